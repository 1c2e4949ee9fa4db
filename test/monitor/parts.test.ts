// The monitor's small parts: beat matching (150 ms rule), run alerts, the summary, prematurity,
// segmentation, and the safety rule that a beat whose score cannot be computed is flagged.
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createRng } from '../../src/engine/random.ts';
import { matchBeats } from '../../src/monitor/beat-matching.ts';
import { SummaryAccumulator } from '../../src/monitor/beat-summary.ts';
import type { MonitorBeat } from '../../src/monitor/ecg-monitor.ts';
import { learnNormalBeat, DEFAULT_LEARN } from '../../src/monitor/learn-normal-beat.ts';
import { RrTracker } from '../../src/monitor/rr-intervals.ts';
import { RunAlerts } from '../../src/monitor/run-alerts.ts';
import { cutBeat } from '../../src/monitor/segmenter.ts';
import { resample } from '../helpers/resample.ts';

const beat = (index: number, sample: number, flagged: boolean, rr: number | null = 360): MonitorBeat =>
  ({ index, sample, rr, prematurity: 0, score: 0, error: 0, flagged, learning: false, searchBack: false, class: 'N', paced: false, features: null });

describe('monitor parts', () => {
  it('matches detections to reference beats within the tolerance, each reference once', () => {
    const m = matchBeats([100, 160, 500, 505, 900], [110, 500, 1000], 54);
    expect([m.tp, m.fp, m.fn]).toEqual([2, 3, 1]);
    expect(Array.from(m.matchOf)).toEqual([0, -1, 1, -1, -1]);
    expect(m.sensitivity).toBeCloseTo(2 / 3);
    expect(m.positivePredictivity).toBeCloseTo(2 / 5);
  });

  it('raises an alert at the 3rd flagged beat in a row and closes it with the run length', () => {
    const a = new RunAlerts(3);
    const flags = [1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1];
    const events = flags.map((f, i) => a.next(beat(i, i * 300, f === 1)));
    expect(events.map((e) => e?.kind ?? null)).toEqual([null, null, null, null, null, 'start', null, 'end', null, null, 'start']);
    expect(events[7]!.run).toMatchObject({ firstBeat: 3, lastBeat: 6, beats: 4 });
    expect(a.close()).toMatchObject({ kind: 'end', run: { firstBeat: 8, beats: 3 } });
    expect(a.closed.length).toBe(2);
  });

  it('summarises beats, heart rate and flags', () => {
    const s = new SummaryAccumulator(360);
    [beat(0, 0, false, null), beat(1, 360, true, 360), beat(2, 540, false, 180)].forEach((b) => s.add(b));
    expect(s.result(720)).toEqual({ beats: 3, flagged: 1, heartRate: 80, minHeartRate: 60, maxHeartRate: 120, seconds: 2 });
  });

  it('prematurity compares each RR with the median of the previous 8', () => {
    const t = new RrTracker();
    const rs = [0, 300, 600, 900, 1200, 1350, 1800];
    const got = rs.map((r) => t.next(r));
    expect(got[0]).toEqual({ rr: null, prematurity: null });
    expect(got[5].rr).toBe(150);
    expect(got[5].prematurity).toBeCloseTo(Math.log(2));
    expect(got[6].prematurity).toBeCloseTo(Math.log(300 / 450));
  });

  it('cuts a beat with its baseline line removed and resamples it', () => {
    const x = Array.from({ length: 1000 }, (_, i) => 0.01 * i + (i === 500 ? 2 : 0)); // a ramp and a spike
    const out = new Float32Array(101);
    cutBeat((i) => x[i], 500, 50, 50, 101, out); // one point per sample: the samples themselves
    expect(out[50]).toBeCloseTo(2, 4); // the spike at the centre, the ramp gone
    for (const j of [0, 1, 49, 51, 99, 100]) expect(Math.abs(out[j])).toBeLessThan(1e-4);
    // Ten samples per point: each point is the mean over its 10-sample spacing, so the spike
    // (area 2 samples x 2 / 2) is spread to about 2 / 10 and the ramp still vanishes.
    const coarse = new Float32Array(11);
    cutBeat((i) => x[i], 500, 50, 50, 11, coarse);
    expect(coarse[5]).toBeGreaterThan(0.15);
    expect(coarse[5]).toBeLessThan(0.25);
    for (const j of [0, 1, 9, 10]) expect(Math.abs(coarse[j])).toBeLessThan(1e-4);
  });

  it('cut beats carry the same bandwidth at any rate: noise cut at 1000 Hz and at 360 Hz has the same spread (issue 24)', () => {
    // White noise at 1000 Hz, and the same noise band-limited to 360 Hz (its first 162 Hz kept):
    // cut to 64 points over 650 ms (about 98 points a second) both keep about the content under
    // the points' own rate. Picking interpolated samples instead kept all of the 1000 Hz noise
    // (0.29 spread) and about 0.2 of the 360 Hz one.
    const rng = createRng('bandwidth');
    const hi = Float32Array.from({ length: 20000 }, () => rng.normal());
    const lo = resample(hi, 1000, 360);
    const spread = (x: Float32Array, fs: number) => {
      let s = 0, n = 0;
      const out = new Float32Array(64);
      for (let r = fs; r < x.length - fs; r += Math.round(0.7 * fs)) {
        cutBeat((i) => x[i], r, Math.round(0.25 * fs), Math.round(0.4 * fs), 64, out);
        for (const v of out) { s += v * v; n++; }
      }
      return Math.sqrt(s / n);
    };
    const a = spread(hi, 1000), b = spread(lo, 360);
    expect(Math.abs(Math.log(a / b))).toBeLessThan(0.15);
  });

  it('a learned scorer flags a beat it cannot score (non-finite), never calls it normal', () => {
    const rng = createRng('parts');
    const L = DEFAULT_LEARN.length, n = 40;
    const beats = new Float32Array(n * L);
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) beats[i * L + j] = Math.sin(j / 5) + 0.05 * rng.normal();
    const scorer = learnNormalBeat(beats, n, Array.from({ length: n }, (_, i) => (i === 0 ? null : 0.01 * rng.normal())), { ...DEFAULT_LEARN, epochs: 3 });
    const ok = scorer.score(beats.subarray(0, L), 0);
    expect(Number.isFinite(ok.score)).toBe(true);
    const broken = Float32Array.from(beats.subarray(0, L));
    broken[3] = NaN;
    expect(scorer.score(broken, 0).flagged).toBe(true);
    expect(scorer.score(beats.subarray(0, L), 2).flagged).toBe(true); // far too premature
    expect(() => learnNormalBeat(beats, 10, new Array(10).fill(0))).toThrow(/only 10 beats/);
  });

  it('heavy trimming keeps held-out beats for the shape scale (pooled trimming dropped them all: a NaN scale)', () => {
    const rng = createRng('parts-trim');
    const L = DEFAULT_LEARN.length, n = 40;
    const beats = new Float32Array(n * L);
    for (let i = 0; i < n; i++) for (let j = 0; j < L; j++) beats[i * L + j] = Math.sin(j / 5) + 0.05 * rng.normal();
    const rr = Array.from({ length: n }, (_, i) => (i === 0 ? null : 0.01 * rng.normal()));
    const scorer = learnNormalBeat(beats, n, rr, { ...DEFAULT_LEARN, epochs: 3, trim: 0.9 });
    const normal = scorer.score(beats.subarray(0, L), 0);
    expect(Number.isFinite(normal.score)).toBe(true);
    expect(normal.flagged).toBe(false);
  });
});
