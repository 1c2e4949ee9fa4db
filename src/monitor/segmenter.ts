// Beat segmentation: a fixed window around each R peak, its baseline removed, resampled to the
// length a model expects. Pure functions on a signal accessor, so the streaming monitor (a ring
// buffer) and a whole record (an array) cut identical beats.

export interface BeatWindow {
  /** Seconds before the R peak. */
  before: number;
  /** Seconds after the R peak. */
  after: number;
}

/** 0.25 s before to 0.4 s after R: the P wave, the QRS and the T wave of a beat at normal rates. */
export const DEFAULT_WINDOW: BeatWindow = { before: 0.25, after: 0.4 };

/** Window bounds in samples: [r - pre, r + post]. */
export function windowSamples(w: BeatWindow, fs: number): { pre: number; post: number } {
  return { pre: Math.round(w.before * fs), post: Math.round(w.after * fs) };
}

/**
 * Cuts the beat at R peak `r` from `at(i)` (samples before 0 or past the end are clamped by the
 * caller's accessor), removes the baseline (the straight line through the means of the window's
 * first and last 10%), and resamples it linearly to `length` points.
 * out: Float32Array [length], written at `offset`.
 */
export function cutBeat(at: (i: number) => number, r: number, pre: number, post: number, length: number,
                        out: Float32Array, offset = 0): void {
  const span = pre + post; // the window has span + 1 samples: r - pre .. r + post
  const edge = Math.max(1, Math.round((span + 1) * 0.1));
  let head = 0, tail = 0;
  for (let k = 0; k < edge; k++) { head += at(r - pre + k); tail += at(r + post - k); }
  head /= edge; tail /= edge;
  const mid = (edge - 1) / 2; // the edge means sit at these offsets from each end
  const slope = (tail - head) / Math.max(1, span - 2 * mid);
  for (let j = 0; j < length; j++) {
    const t = length === 1 ? 0 : (j * span) / (length - 1); // position in the window, in samples
    const i0 = Math.floor(t), frac = t - i0;
    const x0 = at(r - pre + i0), x1 = frac > 0 ? at(r - pre + i0 + 1) : x0;
    const x = x0 + (x1 - x0) * frac;
    out[offset + j] = x - (head + slope * (t - mid));
  }
}

/** Each beat divided by its own standard deviation after removing its mean (how UCR's ECG5000 beats are stored). */
export function zNormalizeRows(beats: Float32Array, length: number): void {
  for (let o = 0; o < beats.length; o += length) {
    let s = 0;
    for (let j = 0; j < length; j++) s += beats[o + j];
    const mean = s / length;
    let v = 0;
    for (let j = 0; j < length; j++) { const d = beats[o + j] - mean; v += d * d; }
    const std = Math.sqrt(v / length) || 1;
    for (let j = 0; j < length; j++) beats[o + j] = (beats[o + j] - mean) / std;
  }
}
