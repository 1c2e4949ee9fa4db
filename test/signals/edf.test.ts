// EDF/EDF+ reading: PhysioNet's test pair read by the EDF and the WFDB reader sample for sample,
// TALs, EDF+D gaps, hostile files refused with the file and field named, and the monitor giving
// the same beats on an EDF and on its WFDB twin.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { edfPhysical } from '../../src/signals/edf.ts';
import { readEdfFile, readEdfLead } from '../../src/signals/edf-node.ts';
import { parseWfdbHeader } from '../../src/signals/wfdb-header.ts';
import { decodeRecord } from '../../src/signals/wfdb-signal.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli } from '../monitor/helpers.ts';
import { writeEdf } from './edf-writer.ts';
import { FORMATS, MITDB } from './paths.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'edf-'));

function wfdbAdc(record: string) {
  const hea = record + '.hea';
  const header = parseWfdbHeader(readFileSync(hea, 'utf8'), hea);
  const files = new Map(header.signals.map((s) => [s.file, new Uint8Array(readFileSync(path.join(path.dirname(hea), s.file)))]));
  return decodeRecord(header, files, (f) => f, hea);
}

describe('EDF reader', () => {
  it('test_generator_2.edf equals its WFDB twin sample for sample, digital and physical', () => {
    const edf = readEdfFile(path.join(FORMATS, 'test_generator_2.edf'));
    expect(edf.header.variant).toBe('EDF+C');
    expect(edf.header.records).toBe(600);
    const wfdb = wfdbAdc(path.join(FORMATS, 'test_generator_2'));
    expect(wfdb.header.signals.map((s) => s.samplesPerFrame)).toEqual([...new Array(11).fill(200), 51]);
    const ordinary = edf.header.signals.filter((s) => !s.isAnnotations);
    expect(ordinary.map((s) => s.label)).toEqual(wfdb.header.signals.slice(0, 11).map((s) => s.description));
    for (let i = 0; i < 11; i++) {
      expect(edf.digital[i].length).toBe(120000);
      expect(wfdb.adc[i].length).toBe(120000);
      expect(Buffer.from(edf.digital[i].buffer).equals(Buffer.from(wfdb.adc[i].buffer)), ordinary[i].label).toBe(true);
      expect(new Set(edf.digital[i]).size, ordinary[i].label).toBeGreaterThan(1);
    }
    // Physical: EDF's ranges and WFDB's gain differ by half an LSB of offset at most (1 LSB = 1/32.7675 uV).
    const e = edfPhysical(ordinary[3], edf.digital[3]);
    const w = readWfdbLead(path.join(FORMATS, 'test_generator_2'), 'ECG');
    expect(w.fs).toBe(200); // 1 frame/s x 200 samples per frame
    let worst = 0;
    for (let k = 0; k < e.length; k++) worst = Math.max(worst, Math.abs(e[k] - w.samples[k]));
    expect(worst).toBeLessThan(0.5 / 32.7675 + 1e-3);
    // The lead the monitor gets: the ECG channel by label, in mV.
    const lead = readEdfLead(path.join(FORMATS, 'test_generator_2.edf'));
    expect(lead.lead).toBe('ECG');
    expect(lead.fs).toBe(200);
    expect(Math.abs(lead.samples[1234] - w.samples[1234] / 1000)).toBeLessThan(0.5 / 32.7675 / 1000 + 1e-9);
    expect(readEdfLead(path.join(FORMATS, 'test_generator_2.edf'), 'sine 8 hz').lead).toBe('sine 8 Hz');
    expect(() => readEdfLead(path.join(FORMATS, 'test_generator_2.edf'), 'V1')).toThrow(/test_generator_2\.edf: no lead "V1" \(signals: squarewave, ramp/);
    expect(edf.annotations).toEqual([{ onset: 0, duration: null, text: 'RECORD START' }, { onset: 600, duration: null, text: 'REC STOP' }]);
    expect(Array.from(edf.recordOnsets.subarray(0, 3))).toEqual([0, 1, 2]);
  });

  it('reads the TALs of test_edfann.edf (onset, duration, text)', () => {
    const edf = readEdfFile(path.join(FORMATS, 'test_edfann.edf'));
    expect(edf.header.signals).toHaveLength(1);
    expect(edf.annotations.length).toBe(856);
    expect(edf.annotations.slice(0, 3)).toEqual([
      { onset: 0, duration: 30, text: 'Sleep stage W' },
      { onset: 30, duration: 30, text: 'Sleep stage W' },
      { onset: 33.43, duration: 0, text: 'Lights off@@EEG F4-A1' },
    ]);
    expect(() => readEdfLead(path.join(FORMATS, 'test_edfann.edf'))).toThrow(/test_edfann\.edf: no signal channels/);
  });

  const ecg = (records: number, spr = 10) => ({ label: 'ECG I', units: 'uV', physicalMin: -3276.8, physicalMax: 3276.7,
    samplesPerRecord: spr, digital: Int16Array.from({ length: records * spr }, (_, k) => (k * 37) % 2000 - 1000) });

  it('EDF+D: record onsets and annotations read with their gaps; a gapped lead holds NaN in its gaps', () => {
    const dir = tmp();
    const file = path.join(dir, 'd.edf');
    writeFileSync(file, writeEdf({ variant: 'EDF+D', recordDuration: 1, records: 3, onsets: [0, 1, 5.5], tals: [[], ['PVC'], []], signals: [ecg(3)] }));
    const edf = readEdfFile(file);
    expect(edf.header.variant).toBe('EDF+D');
    expect(Array.from(edf.recordOnsets)).toEqual([0, 1, 5.5]);
    expect(edf.annotations).toEqual([{ onset: 1, duration: null, text: 'PVC' }]);
    expect(edfPhysical(edf.header.signals[0], edf.digital[0])[1]).toBeCloseTo(-1000 / 10 + 3.7 - 0.05 + 0.05, 6); // (37-1000) * 0.1
    // The gap (2 to 5.5 s) is NaN on the recording's clock: 20 samples, 35 NaN, 10 samples.
    const gapped = readEdfLead(file);
    expect(gapped.samples.length).toBe(65);
    expect(gapped.gaps).toEqual([{ start: 20, end: 55 }]);
    expect(Array.from(gapped.samples.subarray(20, 55)).every(Number.isNaN)).toBe(true);
    expect(gapped.samples[55]).toBeCloseTo(((20 * 37) % 2000 - 1000) * 0.1 / 1000, 6);
    // Without a gap, EDF+D reads as one signal; a gap in a file marked EDF+C is an error.
    writeFileSync(file, writeEdf({ variant: 'EDF+D', recordDuration: 1, records: 3, signals: [ecg(3)] }));
    const lead = readEdfLead(file);
    expect(lead.samples.length).toBe(30);
    expect(lead.fs).toBe(10);
    expect(lead.samples[1]).toBeCloseTo((37 - 1000) * 0.1 / 1000, 6);
    writeFileSync(file, writeEdf({ variant: 'EDF+C', recordDuration: 1, records: 3, onsets: [0, 1, 3], signals: [ecg(3)] }));
    expect(() => readEdfFile(file)).toThrow(/data record 3 starts at 3 s, a gap in a file marked EDF\+C/);
  });

  it('refuses hostile files with the file and field named, before reading the data', () => {
    const dir = tmp();
    const file = path.join(dir, 'bad.edf');
    const good = writeEdf({ recordDuration: 1, records: 4, signals: [ecg(4)] });
    writeFileSync(file, good.subarray(0, good.length - 7));
    expect(() => readEdfFile(file)).toThrow(/bad\.edf: \d+ bytes, but the header says 4 data records \(number of data records\) of 20 bytes = \d+ bytes \(truncated\)/);
    writeFileSync(file, writeEdf({ recordDuration: 1, records: 4, signals: [ecg(4)], raw: { records: '9' } }).subarray(0, good.length));
    expect(() => readEdfFile(file)).toThrow(/header says 9 data records .*\(truncated\)/);
    writeFileSync(file, Buffer.concat([good, Buffer.alloc(40)]));
    expect(() => readEdfFile(file)).toThrow(/bad\.edf: \d+ bytes, but the header says 4 data records/);
    writeFileSync(file, good.subarray(0, 100));
    expect(() => readEdfFile(file)).toThrow(/bad\.edf: truncated: 100 bytes, an EDF header takes at least 256/);
    const hostile: [Parameters<typeof writeEdf>[0]['raw'], RegExp][] = [
      [{ duration: '0.000001' }, /bad\.edf: EDF header, signal 1 \(ECG I\) samples per data record: 10 per 0\.000001 s is 10000000 Hz, over 100000 Hz/],
      [{ duration: 'abc' }, /bad\.edf: EDF header, duration of a data record: expected a number, got "abc"/],
      [{ records: '-5' }, /number of data records: expected an integer from -1/],
      [{ ns: 'x' }, /bad\.edf: EDF header, number of signals: expected an integer from 1 to 4096, got "x"/],
      [{ headerBytes: '999' }, /number of bytes in header: 999, but 1 signals need 512/],
      [{ samplesPerRecord: ['99999999999'] }, /signal 1 \(ECG I\) samples per data record: expected an integer from 1 to 16777216/],
    ];
    for (const [raw, want] of hostile) {
      writeFileSync(file, writeEdf({ recordDuration: 1, records: 4, signals: [ecg(4)], raw }));
      expect(() => readEdfFile(file)).toThrow(want);
    }
    writeFileSync(file, writeEdf({ recordDuration: 1, records: 4, signals: [{ ...ecg(4), digitalMin: 5, digitalMax: 5 }] }));
    expect(() => readEdfFile(file)).toThrow(/signal 1 \(ECG I\) digital maximum: 5 is not above the digital minimum 5/);
    writeFileSync(file, writeEdf({ recordDuration: 1, records: 4, signals: [{ ...ecg(4), units: 'degC' }] }));
    expect(() => readEdfLead(file)).toThrow(/physical dimension "degC" is not a voltage/);
    expect(() => readEdfFile('/dev/zero')).toThrow(/\/dev\/zero: not a regular file/);
    expect(() => readEdfFile(path.join(dir, 'none.edf'))).toThrow(/none\.edf: cannot open \(ENOENT\)/);
  });

  it('the monitor on an EDF export of record 106 gives the same beats and classes as on its WFDB twin', () => {
    // 5 minutes of 106's MLII as format 16 WFDB and as EDF (1-s records of 360 samples), same ADC values.
    const rec = wfdbAdc(path.join(MITDB, '106'));
    const n = 360 * 300, adc = rec.adc[0].subarray(0, n);
    const dir = tmp();
    const dat = Buffer.alloc(2 * n);
    adc.forEach((v, k) => dat.writeInt16LE(v, 2 * k));
    writeFileSync(path.join(dir, 'twin.dat'), dat);
    const checksum = (adc.reduce((t, v) => (t + v) | 0, 0) << 16) >> 16;
    writeFileSync(path.join(dir, 'twin.hea'), `twin 1 360 ${n}\ntwin.dat 16 200(1024)/mV 11 0 ${adc[0]} ${checksum} 0 MLII\n`);
    // physical = (d + 32768) * 327.675 / 65535 - 168.96 = (d - 1024) / 200 mV
    writeFileSync(path.join(dir, 'twin.edf'), writeEdf({ variant: 'EDF+C', recordDuration: 1, records: 300,
      signals: [{ label: 'ECG MLII', units: 'mV', physicalMin: -168.96, physicalMax: 158.715, samplesPerRecord: 360, digital: adc }] }));
    const args = ['--learn', '2m', '--jsonl'];
    const a = cli('monitor', [path.join(dir, 'twin'), ...args]);
    const b = cli('monitor', [path.join(dir, 'twin.edf'), ...args]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const beats = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l)).filter((o) => o.type === 'beat');
    const [ba, bb] = [beats(a.stdout), beats(b.stdout)];
    expect(ba.length).toBeGreaterThan(250);
    expect(bb.map((o) => [o.sample, o.class, o.flagged])).toEqual(ba.map((o) => [o.sample, o.class, o.flagged]));
    bb.forEach((o, i) => expect(o.score).toBeCloseTo(ba[i].score, 3));
  }, 60_000);
});
