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
    const out = new Float32Array(11);
    cutBeat((i) => x[i], 500, 50, 50, 11, out);
    expect(out[5]).toBeCloseTo(2, 4); // the spike at the centre, the ramp gone
    for (const j of [0, 1, 9, 10]) expect(Math.abs(out[j])).toBeLessThan(1e-4);
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
