// EDF+D in the monitor (issue 24 item 2): a gap between data records becomes a quality 'gap'
// episode, and samples and times keep the recording's clock. Record 100's MLII in 60-s records
// with onsets 0, 60 and 130 s (a 10 s gap at 120 s).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEdfLead } from '../../src/signals/edf-node.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from '../monitor/helpers.ts';
import { writeEdf } from './edf-writer.ts';

describe('EDF+D gaps in the monitor', () => {
  it('a 10 s gap is one quality gap episode on the recording clock; beats after it keep their times', () => {
    const x = readWfdbLead(path.join(MITDB, '100')).samples.subarray(0, 180 * 360);
    const digital = Int16Array.from(x, (v) => Math.round(v * 1000)); // µV
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'edfd-')), 'gapped.edf');
    writeFileSync(file, writeEdf({ variant: 'EDF+D', recordDuration: 60, records: 3, onsets: [0, 60, 130],
      signals: [{ label: 'ECG MLII', units: 'uV', physicalMin: -32768, physicalMax: 32767, samplesPerRecord: 60 * 360, digital }] }));
    const lead = readEdfLead(file);
    expect(lead.samples.length).toBe(190 * 360);
    expect(lead.gaps).toEqual([{ start: 120 * 360, end: 130 * 360 }]);
    const r = cli('monitor', [file, '--learn', '1m', '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const gaps = lines.filter((o) => o.type === 'quality' && o.kind === 'gap');
    expect(gaps.map((g) => [g.start, g.end])).toEqual([[120, 130]]);
    const beats = lines.filter((o) => o.type === 'beat');
    expect(beats.filter((b) => b.time >= 120 && b.time < 130)).toEqual([]);
    const after = beats.filter((b) => b.time >= 130);
    expect(after.length).toBeGreaterThan(60); // ~ 72 bpm for the last minute
    expect(after[0].class).toBe('Q'); // its RR spans the gap
    // The first beat after the gap is record 100's first beat after 120 s, 10 s later on the clock.
    const first120 = beats.filter((b) => b.time < 120).length;
    expect(first120).toBeGreaterThan(130);
    expect(after[0].sample).toBeGreaterThanOrEqual(130 * 360);
    expect(lines.at(-1).quality.seconds.gap).toBe(10);
  }, 60_000);
});
