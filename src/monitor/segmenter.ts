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
 * first and last 10%), and resamples it to `length` points (linear interpolation; a box mean over
 * each point's spacing when that is longer than a sample).
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
  const interp = (t: number) => {
    const i0 = Math.floor(t), frac = t - i0;
    const x0 = at(r - pre + i0);
    return frac > 0 ? x0 + (at(r - pre + i0 + 1) - x0) * frac : x0;
  };
  // Fewer points than samples: each point is the mean over its own spacing (a box of the same
  // length in seconds at every rate), so the points carry the same bandwidth whatever the input
  // rate. Picking interpolated samples instead let the noise through unfiltered at 1000 Hz (each
  // point one sample) but halved it at 360 Hz (each point a mean of two neighbours), and record
  // 108's noisy beats looked more abnormal to the autoencoder the higher the rate.
  const step = length === 1 ? 0 : span / (length - 1);
  const taps = step > 1 ? 2 * Math.ceil(step) + 1 : 1;
  for (let j = 0; j < length; j++) {
    const t = j * step; // position in the window, in samples
    let x = 0;
    if (taps === 1) x = interp(t);
    else {
      for (let k = 0; k < taps; k++) x += interp(t + step * (k / (taps - 1) - 0.5));
      x /= taps;
    }
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
