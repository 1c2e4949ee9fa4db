// The normal cycle follows the rate through stretches where most beats are Q (issue 24: record
// 108's noisy last minutes, where a frozen cycle made regular beats look early and V).
import { describe, expect, it } from 'vitest';
import { BeatClassifier, type ClassifierInput } from '../../src/monitor/beat-classifier.ts';
import { cutQrs } from '../../src/monitor/qrs-morphology.ts';

const FS = 360;
const gauss = (t: number, sd: number) => Math.exp(-((t / sd) ** 2) / 2);
const normal = (t: number) => gauss(t, 0.01) - 0.15 * gauss(t - 0.03, 0.008);
const small = (t: number) => -0.3 * gauss(t - 0.02, 0.02); // small and unlike: class Q
const changed = (t: number) => gauss(t, 0.01) - 0.9 * gauss(t - 0.02, 0.008); // r about 0.8 with normal

function inputs(beats: { shape: (t: number) => number; rr: number }[]): ClassifierInput[] {
  const r: number[] = [];
  let t = 0.5;
  for (const b of beats) { t += b.rr; r.push(Math.round(t * FS)); }
  const x = new Float32Array(r[r.length - 1] + FS);
  beats.forEach((b, k) => { for (let i = r[k] - 60; i < r[k] + 60; i++) x[i] += b.shape((i - r[k]) / FS); });
  const at = (i: number) => x[Math.min(x.length - 1, Math.max(0, i))];
  return r.map((s, k) => ({ sample: s, rr: k > 0 ? s - r[k - 1] : null, shape: cutQrs(at, s, FS), unreadable: false, shapeZ: 0, spike: 0 }));
}

describe('normal cycle through Q beats', () => {
  it('follows a rate that rises while most beats are Q, so an on-time, moderately changed beat stays N', () => {
    const learn = Array.from({ length: 30 }, () => ({ shape: normal, rr: 1.0 }));
    // 40 beats, all but every 10th one Q, the RR falling from 1.0 to 0.8 s; then the changed beat at 0.8 s.
    const noisy = Array.from({ length: 40 }, (_, k) => ({ shape: k % 10 === 9 ? normal : small, rr: 1.0 - (0.2 * (k + 1)) / 40 }));
    const all = inputs([...learn, ...noisy, { shape: changed, rr: 0.8 }]);
    const c = new BeatClassifier();
    expect(c.learn(all.slice(0, 30))).toBe(true);
    const got = all.slice(30).map((b) => c.classify(b));
    expect(got.slice(0, 40).filter((g) => g.cls === 'Q').length).toBeGreaterThanOrEqual(30);
    const last = got[got.length - 1];
    expect(last.features!.corr).toBeLessThan(0.9);
    expect(last.features!.rrRatio!).toBeGreaterThan(0.9); // the cycle followed to about 0.8 s (frozen: 0.8)
    expect(last.cls).toBe('N');
  });
});
