// Pacemaker spikes and paced rhythm: the spike score on synthetic beats (a QRS-wide bump scores
// low, a 2-sample pulse before it high, at 250 Hz and up), then record 104 (paced) against
// record 100: pacing is detected in 104 only, its paced beats are Q, not V.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { beatJson } from '../../src/monitor/beat-format.ts';
import { EcgMonitor } from '../../src/monitor/ecg-monitor.ts';
import { PACED_SPIKE, PacingTracker, spikeScore } from '../../src/monitor/pacing.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { MITDB } from './helpers.ts';

/** One beat: a Gaussian R wave (sd `sd` s) at 1 s, optionally a pacing pulse of `pulse` s, 1 mV, 40 ms before. */
function beat(fs: number, sd: number, pulse = 0): Float32Array {
  const x = new Float32Array(2 * fs);
  for (let i = 0; i < x.length; i++) x[i] = Math.exp(-(((i / fs - 1) / sd) ** 2) / 2);
  if (pulse > 0) for (let i = Math.round(0.96 * fs); i < Math.round((0.96 + pulse) * fs); i++) x[i] += 1;
  return x;
}

describe('pacing', () => {
  it('scores a narrow pacing pulse high and a QRS wave low, at 250 to 1000 Hz; measures nothing below 200 Hz', () => {
    const at = (x: Float32Array) => (i: number) => x[Math.min(x.length - 1, Math.max(0, i))];
    expect(spikeScore(at(beat(128, 0.012, 2 / 128)), 128, 128)).toBe(0);
    for (const fs of [250, 360, 500, 1000]) {
      expect(spikeScore(at(beat(fs, 0.012)), fs, fs)).toBeLessThan(PACED_SPIKE); // a sharp R wave (~50 ms wide)
      expect(spikeScore(at(beat(fs, 0.012, 2 / fs)), fs, fs)).toBeGreaterThan(PACED_SPIKE); // a 2-sample pulse
    }
  });

  it('calls a rhythm paced from a third of its beats, and only then a spiky beat paced', () => {
    const t = new PacingTracker();
    t.learn([0.1, 0.5, 0.1, 0.1]);
    expect(t.paced).toBe(false);
    expect(t.next(0.5)).toBe(false); // one spike in a non-paced rhythm: not a paced beat
    const later = new PacingTracker();
    let first = -1;
    for (let i = 0; i < 200 && first < 0; i++) if (later.next(0.6)) first = i;
    expect(first).toBeGreaterThan(10); // a demand pacemaker taking over is found after some beats
    expect(later.next(0.1)).toBe(false);
  });

  it('detects pacing in record 104 (paced beats Q, few V) and not in record 100', () => {
    const run = (rec: string, chunk = 0) => {
      const sig = readWfdbLead(path.join(MITDB, rec));
      const m = new EcgMonitor({ fs: sig.fs, scoring: { kind: 'learn', seconds: 120 } });
      const x = sig.samples.subarray(0, 240 * sig.fs);
      const got = [];
      if (chunk > 0) for (let i = 0; i < x.length; i += chunk) got.push(...m.push(x.subarray(i, i + chunk)));
      else got.push(...m.push(x));
      got.push(...m.end());
      return { paced: m.pacedRhythm, beats: got.filter((b) => !b.learning), all: got };
    };
    const p = run('104');
    expect(run('104', 777).all).toEqual(p.all); // streaming equals batch, paced flags and classes included
    expect(p.paced).toBe(true);
    const pacedBeats = p.beats.filter((b) => b.paced);
    expect(pacedBeats.length).toBeGreaterThan(0.5 * p.beats.length);
    expect(pacedBeats.every((b) => b.class === 'Q')).toBe(true);
    expect(beatJson(pacedBeats[0], 360)).toMatchObject({ class: 'Q', paced: true }); // --jsonl
    expect(beatJson(p.beats.find((b) => !b.paced)!, 360)).not.toHaveProperty('paced');
    expect(p.beats.filter((b) => b.class === 'V').length).toBeLessThan(0.05 * p.beats.length);
    const n = run('100');
    expect(n.paced).toBe(false);
    expect(n.beats.some((b) => b.paced)).toBe(false);
  });
});
