// The QRS complex of one beat as the classifier sees it: a short window around the R peak
// (90 ms before to 110 ms after), its baseline removed, resampled to a fixed number of points so
// every sampling rate gives the same shape; cut at a few small shifts so a template can be
// aligned to it (R peaks are placed to a few milliseconds). Measures used against the template:
//   correlation (best over the shifts), peak-to-peak amplitude, area (sum |x|), and width (points
//   above a quarter of the beat's own largest |x|).

import { cutBeat } from './segmenter.ts';

export const QRS_POINTS = 40;
export const QRS_BEFORE_SECONDS = 0.09;
export const QRS_AFTER_SECONDS = 0.11;
/** Alignment search: +-this many seconds, in SHIFT_STEPS steps either side. */
const SHIFT_SECONDS = 0.05;
const SHIFT_STEPS = 12;

export interface QrsShape {
  /** [(2 SHIFT_STEPS + 1) * QRS_POINTS]: the window cut at each shift; the centre one is unshifted. */
  cuts: Float32Array;
}

export function cutQrs(at: (i: number) => number, r: number, fs: number): QrsShape {
  const pre = Math.round(QRS_BEFORE_SECONDS * fs), post = Math.round(QRS_AFTER_SECONDS * fs);
  const cuts = new Float32Array((2 * SHIFT_STEPS + 1) * QRS_POINTS);
  for (let k = -SHIFT_STEPS; k <= SHIFT_STEPS; k++) {
    const shift = Math.round((k * SHIFT_SECONDS * fs) / SHIFT_STEPS);
    cutBeat(at, r + shift, pre, post, QRS_POINTS, cuts, (k + SHIFT_STEPS) * QRS_POINTS);
  }
  return { cuts };
}

/** The unshifted window [QRS_POINTS]. */
export function centre(s: QrsShape): Float32Array {
  return s.cuts.subarray(SHIFT_STEPS * QRS_POINTS, (SHIFT_STEPS + 1) * QRS_POINTS);
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>, n: number, ao = 0): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[ao + i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[ao + i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  const d = Math.sqrt(saa * sbb);
  return d > 0 ? sab / d : 0;
}

/** Best correlation of the beat with the template over the shifts, and the shift's window. */
export function bestAlignment(s: QrsShape, template: Float32Array): { corr: number; window: Float32Array } {
  let best = -2, at = SHIFT_STEPS;
  for (let k = 0; k <= 2 * SHIFT_STEPS; k++) {
    const c = correlation(s.cuts, template, QRS_POINTS, k * QRS_POINTS);
    if (c > best) { best = c; at = k; }
  }
  return { corr: best, window: s.cuts.subarray(at * QRS_POINTS, (at + 1) * QRS_POINTS) };
}

export function peakToPeak(x: ArrayLike<number>): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]); }
  return hi - lo;
}

export function area(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}

export function width(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  let w = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > 0.25 * m) w++;
  return w;
}
