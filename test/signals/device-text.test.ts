// Text exports from devices (issue 24 item 5): an Apple Watch strip (Key,Value lines stating the
// rate and the unit, then µV samples) and a Polar H10 log (a 'timestamp;ecg' header, 130 Hz µV,
// no rate stated), small synthetic files of those shapes; flags fill in, contradictions and
// unreadable headers are errors naming the line and field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextSignal, TextSampleStream } from '../../src/signals/text-signal.ts';
import { openSignalInput } from '../../src/signals/signal-input-node.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { resample } from '../../src/signals/resample.ts';
import { cli, MITDB } from '../monitor/helpers.ts';

const APPLE_PREAMBLE = ['Name,Jane Appleseed', 'Date of Birth,"Jan 1, 1970"', 'Recorded Date,2026-12-01 09:30:00 +0000', 'Classification,Sinus Rhythm',
  'Symptoms,', 'Software Version,1.90', 'Device,"Watch6,2"', 'Sample Rate,512 hertz', '', 'Lead,Lead I', 'Unit,µV', '', ''].join('\n');

const tmp = () => mkdtempSync(path.join(tmpdir(), 'device-'));

describe('device text exports', () => {
  it('Apple Watch: rate, unit and lead from the Key,Value lines; µV scaled to mV; any chunking', () => {
    const text = `${APPLE_PREAMBLE}\n-120.5\n-98.25\n1500\n`;
    const s = readTextSignal(text, 'watch.csv');
    expect(s.fs).toBe(512);
    expect(s.unit).toBe('µV');
    expect(s.lead).toBe('Lead I');
    expect(Array.from(s.samples)).toEqual([-0.1205, -0.09825, 1.5].map(Math.fround));
    const p = new TextSampleStream('stdin', { fs: 512 });
    const got: number[] = [];
    for (let i = 0; i < text.length; i += 7) got.push(...p.push(text.slice(i, i + 7)));
    got.push(...p.end());
    expect(got).toEqual(Array.from(s.samples));
    expect(() => readTextSignal(text, 'watch.csv', { fs: 500 })).toThrow(/--fs 500 disagrees with watch\.csv:8, which says 512 Hz/);
    expect(() => readTextSignal(text, 'watch.csv', { unit: 'mV' })).toThrow(/--unit mV disagrees with watch\.csv:11 \(field "Unit": µV\)/);
    expect(() => readTextSignal(text.replace('512 hertz', 'fast'), 'watch.csv')).toThrow(/watch\.csv:8: field "Sample Rate" is "fast", not a sampling rate/);
    expect(() => readTextSignal(text.replace('Unit,µV', 'Unit,mmHg'), 'watch.csv')).toThrow(/watch\.csv:11: field "Unit" is "mmHg", not a voltage unit/);
    expect(() => readTextSignal(text.replace('1500', '1500,3'), 'watch.csv')).not.toThrow(); // extra fields after the ECG's are ignored
    expect(() => readTextSignal(text.replace('-98.25', '-98.2x'), 'watch.csv')).toThrow(/watch\.csv:15: column 1 \(column 1\) is "-98\.2x", not a decimal number/);
  });

  it('Polar H10: the ECG column by its header name and unit, the rate from --fs', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `2026-12-01T09:30:00.${String(i * 8).padStart(3, '0')};${599000000000 + i * 7692307};${i * 7.692};${-400 + 100 * i}`);
    const text = ['Phone timestamp;sensor timestamp [ns];timestamp [ms];ecg [uV]', ...rows].join('\n') + '\n';
    const s = readTextSignal(text, 'polar.txt', { fs: 130 });
    expect(s.column).toBe(3);
    expect(s.columnName).toBe('ecg [uV]');
    expect(s.unit).toBe('uV');
    expect(Array.from(s.samples)).toEqual([-0.4, -0.3, -0.2, -0.1, 0].map(Math.fround));
    expect(readTextSignal(text, 'polar.txt').fs).toBeNull();
    const dir = tmp();
    const file = path.join(dir, 'polar.txt');
    writeFileSync(file, text);
    expect(() => openSignalInput(file)).toThrow(/polar\.txt has no sampling rate in its header: give --fs HZ/);
    expect(openSignalInput(file, { fs: 130 }).lead).toBe('ecg [uV]');
    // Without a unit in the header: --unit, else an error when the values cannot be mV.
    const bare = text.replace('ecg [uV]', 'ecg');
    expect(readTextSignal(bare, 'p.txt', { fs: 130, unit: 'uV' }).samples[0]).toBeCloseTo(-0.4, 6);
    writeFileSync(file, bare);
    expect(() => openSignalInput(file, { fs: 130 })).toThrow(/polar\.txt: values reach 400 but the file states no unit, so they would be read as mV: give --unit uV/);
    expect(() => readTextSignal('1;2;3\n4;5;6\n', 'x.csv')).toThrow(/x\.csv: 3 fields per line and no header line naming the ECG column: give --column N/);
    expect(Array.from(readTextSignal('1;2;3\n4;5;6\n', 'x.csv', { column: 2 }).samples)).toEqual([3, 6]);
    expect(() => readTextSignal('a;b\n1;2\n', 'y.csv')).toThrow(/y\.csv:1: no column is named like an ECG .* "a", "b"/);
    expect(() => readTextSignal('ecg1;ecg2\n1;2\n', 'z.csv')).toThrow(/z\.csv:1: several columns could be the ECG \("ecg1", "ecg2"\)/);
    expect(() => readTextSignal('t,ecg [mV]\n1,2\n', 'u.csv', { unit: 'uV' })).toThrow(/--unit uV disagrees with u\.csv:1 \(column "ecg \[mV\]": mV\)/);
  });

  it('the monitor reads an Apple-Watch-style export of record 100 (512 Hz, µV) and finds its beats', () => {
    const x = readWfdbLead(path.join(MITDB, '100')).samples.subarray(0, 90 * 360);
    const y = resample(x, 360, 512);
    const file = path.join(tmp(), 'ecg_2026-12-01.csv');
    writeFileSync(file, `${APPLE_PREAMBLE}\n${Array.from(y, (v) => (v * 1000).toFixed(3)).join('\n')}\n`);
    const r = cli('monitor', [file, '--learn', '1m', '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ fs: 512, lead: 'Lead I', samples: y.length });
    expect(summary.beats).toBeGreaterThan(100); // ~ 75 bpm for 90 s
    expect(summary.beats).toBeLessThan(120);
    const bad = cli('monitor', [file, '--fs', '500']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--fs 500 disagrees with .*ecg_2026-12-01\.csv:8, which says 512 Hz/);
  }, 30_000);
});
