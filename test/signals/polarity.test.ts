// Inverted leads (issue 24 item 3): the polarity is judged on the first 30 s from the narrower
// half of the beats (robust to PVCs), and the monitor flips an inverted lead, so a record and its
// inversion give the same beats, scores and classes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { readReference } from '../../src/cli/monitor-eval.ts';
import { EcgMonitor } from '../../src/monitor/ecg-monitor.ts';
import { decidePolarity } from '../../src/signals/polarity.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { resample } from '../helpers/resample.ts';
import { cli, MITDB } from '../monitor/helpers.ts';

const FS = 360;
const negate = (x: Float32Array) => x.map((v) => -v);

describe('lead polarity', () => {
  it('upright MLII reads upright, its inversion inverted; the 30 s of record 106 with the most PVCs too', () => {
    for (const r of ['100', '106', '232']) {
      const x = readWfdbLead(path.join(MITDB, r)).samples.subarray(0, 30 * FS);
      const up = decidePolarity(x, FS), down = decidePolarity(negate(x), FS);
      expect(up.decided && down.decided, r).toBe(true);
      expect(up.inverted, r).toBe(false);
      expect(down.inverted, r).toBe(true);
      expect(down.negative).toBe(up.votes - up.negative);
    }
    // The densest 30 s of PVCs in record 106 (bigeminy: about one beat in two is a V of opposite sign).
    const x = readWfdbLead(path.join(MITDB, '106')).samples;
    const ref = readReference(path.join(MITDB, '106'));
    let best = 0, bestV = -1, bestAll = 0;
    for (let t = 0; t + 30 * FS <= x.length; t += 5 * FS) {
      let v = 0, all = 0;
      ref.samples.forEach((s, i) => { if (s >= t && s < t + 30 * FS) { all++; if (ref.classes[i] === 'V') v++; } });
      if (v > bestV) { bestV = v; best = t; bestAll = all; }
    }
    expect(bestV / bestAll).toBeGreaterThan(0.4);
    const window = x.subarray(best, best + 30 * FS);
    expect(decidePolarity(window, FS).inverted).toBe(false);
    expect(decidePolarity(negate(window), FS).inverted).toBe(true);
  });

  // Before the P-wave vote, 108 (QS-like complexes under tall upright P waves) read inverted at
  // every rate, and 104 (paced: a positive spike on a wide negative QRS) inverted at 128 Hz only.
  it('record 108 reads upright by its P waves and 104 (paced) is never read inverted, at 128-1000 Hz', () => {
    const x108 = readWfdbLead(path.join(MITDB, '108')).samples.subarray(0, 30 * FS);
    const x104 = readWfdbLead(path.join(MITDB, '104')).samples.subarray(0, 30 * FS);
    for (const hz of [128, 250, 360, 1000]) {
      const at = (x: Float32Array) => (hz === FS ? x : resample(x, FS, hz));
      const up = decidePolarity(at(x108), hz), down = decidePolarity(negate(at(x108)), hz);
      expect([up.decided, up.inverted, up.by], `108 at ${hz} Hz`).toEqual([true, false, 'p']);
      expect([down.decided, down.inverted, down.by], `108 inverted at ${hz} Hz`).toEqual([true, true, 'p']);
      const paced = decidePolarity(at(x104), hz);
      expect(paced.inverted, `104 at ${hz} Hz`).toBe(false);
    }
  });

  it('the monitor on an inverted record gives the same beats, scores and classes as upright (records 106 and 108, 8 min)', () => {
    for (const r of ['106', '108']) {
      const x = readWfdbLead(path.join(MITDB, r)).samples.slice(0, 480 * FS);
      const run = (y: Float32Array) => {
        const m = new EcgMonitor({ fs: FS, scoring: { kind: 'learn', seconds: 120, options: { seed: 1 } } });
        const beats = [...m.push(y), ...m.end()];
        return { beats: beats.map((b) => [b.sample, b.class, b.score, b.flagged]), polarity: m.polarity! };
      };
      const up = run(x), down = run(negate(x));
      expect(up.beats.length, r).toBeGreaterThan(400);
      expect(down.beats, r).toEqual(up.beats);
      expect(down.polarity.inverted, r).toBe(!up.polarity.inverted);
    }
  }, 30_000);

  it('the CLI says so: a meta line first in --jsonl, a line in the text summary', () => {
    const x = negate(readWfdbLead(path.join(MITDB, '100')).samples.slice(0, 120 * FS));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'polarity-')), 'inverted.txt');
    writeFileSync(file, Array.from(x, (v) => v.toFixed(3)).join('\n') + '\n');
    const r = cli('monitor', [file, '--fs', '360', '--learn', '1m', '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'meta', polarity: 'inverted', flipped: true, decided: true });
    expect(lines.at(-1).polarity.inverted).toBe(true);
    const text = cli('monitor', [file, '--fs', '360', '--learn', '1m']);
    expect(text.stdout).toMatch(/^# lead polarity: INVERTED .*flipped internally$/m);
    expect(text.stdout).toMatch(/^lead polarity: INVERTED \(P wave negative in \d+ of \d+ narrow beats of the first 30 s\); flipped internally$/m);
  }, 30_000);
});
