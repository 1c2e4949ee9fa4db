// Fusion beats (F) on a synthetic record: narrow normal QRS, wide opposite PVCs, and beats that
// are a point-by-point mix of the two. A late mixed beat is F; a premature PVC stays V (F must
// not eat V sensitivity); a plain normal beat stays N; with no PVC seen yet nothing is F.
import { describe, expect, it } from 'vitest';
import { BeatClassifier, type ClassifierInput } from '../../src/monitor/beat-classifier.ts';
import type { BeatClass } from '../../src/monitor/beat-class.ts';
import { cutQrs } from '../../src/monitor/qrs-morphology.ts';

const FS = 360;
const gauss = (t: number, sd: number) => Math.exp(-((t / sd) ** 2) / 2);
const normalQrs = (t: number) => gauss(t, 0.01) - 0.15 * gauss(t - 0.03, 0.008);
const pvcQrs = (t: number) => -0.9 * gauss(t - 0.01, 0.035);

/** Beats as (kind, RR in s); a = share of the normal QRS (1 normal, 0 PVC). */
function record(beats: { a: number; rr: number }[]) {
  const r: number[] = [];
  let t = 0.5;
  for (const b of beats) { t += b.rr; r.push(Math.round(t * FS)); }
  const x = new Float32Array(r[r.length - 1] + FS);
  beats.forEach((b, k) => {
    for (let i = Math.max(0, r[k] - 60); i < Math.min(x.length, r[k] + 60); i++) {
      const dt = (i - r[k]) / FS;
      x[i] += b.a * normalQrs(dt) + (1 - b.a) * pvcQrs(dt);
    }
  });
  const at = (i: number) => x[Math.min(x.length - 1, Math.max(0, i))];
  return r.map((s, k): ClassifierInput => ({ sample: s, rr: k > 0 ? s - r[k - 1] : null, shape: cutQrs(at, s, FS), unreadable: false,
    shapeZ: beats[k].a < 1 ? 10 : 0, spike: 0 })); // the autoencoder finds every non-normal QRS odd
}

function classes(beats: { a: number; rr: number }[], learn = 30): BeatClass[] {
  const inputs = record(beats);
  const c = new BeatClassifier();
  expect(c.learn(inputs.slice(0, learn))).toBe(true);
  return inputs.slice(learn).map((b) => c.classify(b).cls);
}

const N = { a: 1, rr: 0.8 };
const pvc = { a: 0, rr: 0.5 };
const after = { a: 1, rr: 1.1 }; // compensatory pause

describe('fusion beats', () => {
  it('calls a late normal/PVC mix F, keeps premature PVCs V and normal beats N', () => {
    const late = { a: 0, rr: 0.8 }; // a PVC on time (no prematurity): V, not F
    const seq = [...Array(30).fill(N), ...Array(4).fill([N, N, pvc, after]).flat(), N, N, { a: 0.5, rr: 0.78 }, N, N, pvc, after, N, late, N, { a: 0.4, rr: 0.8 }, N];
    const got = classes(seq);
    const expected = [...Array(4).fill(['N', 'N', 'V', 'N']).flat(), 'N', 'N', 'F', 'N', 'N', 'V', 'N', 'N', 'V', 'N', 'F', 'N'];
    expect(got).toEqual(expected);
  });

  it('calls nothing F before a PVC morphology was seen', () => {
    const got = classes([...Array(30).fill(N), N, N, { a: 0.5, rr: 0.78 }, N]);
    expect(got).not.toContain('F');
  });
});
