// Pacemaker spikes: a pacing pulse reaches a Holter recording as a very short, steep deflection
// (record 104 at 360 Hz: about 1 mV up and back within 4 samples, 11 ms), far narrower than any
// QRS wave. The spike score of a beat is the largest height of a sample above (or depth below)
// both of its neighbours SPIKE_HALF_WIDTH away, from 200 ms before the R peak to 50 ms after
// (ventricular pacing: just before the QRS; atrial: up to an AV delay before), over the QRS
// window's peak-to-peak amplitude; the neighbours are interpolated, so the score is the same
// measure at any rate (records 100-232 resampled to 250-1000 Hz: pacing found in 104 only). A narrow R wave at +-6 ms is still near its top (score about
// 0.1-0.25 on the non-paced shared records), a spike is not (paced beats of 104: median 0.37).
// A record is paced when at least PACED_FRACTION of its beats carry a spike (non-paced shared
// records: at most 0.5%; 104: 81%); then a beat with a spike is a paced beat (AAMI class Q).

export const SPIKE_HALF_WIDTH_SECONDS = 0.006;
/** A beat's spike score from this is a pacing spike. */
export const PACED_SPIKE = 0.25;
/** Share of beats with a spike that makes the rhythm paced. */
export const PACED_FRACTION = 0.3;
const BEFORE_SECONDS = 0.2, AFTER_SECONDS = 0.05;
/**
 * Below this sampling rate a spike cannot be told from a sharp R wave (6 ms is under a sample;
 * record 100 resampled to 128 Hz scored as paced): no spike is measured, pacing is not detected.
 */
export const MIN_FS = 200;
const QRS_BEFORE = 0.09, QRS_AFTER = 0.11;

/** Spike score of the beat whose R peak is at sample r; `at(i)` reads the raw signal. */
export function spikeScore(at: (i: number) => number, r: number, fs: number): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = r - Math.round(QRS_BEFORE * fs); i <= r + Math.round(QRS_AFTER * fs); i++) { const v = at(i); lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (fs < MIN_FS) return 0;
  // The neighbours exactly SPIKE_HALF_WIDTH_SECONDS away (linear interpolation), so the score means the same at every rate.
  const k = SPIKE_HALF_WIDTH_SECONDS * fs, k0 = Math.floor(k), w = k - k0;
  const near = (i: number, dir: number) => (1 - w) * at(i + dir * k0) + w * at(i + dir * (k0 + 1));
  let best = 0;
  for (let i = r - Math.round(BEFORE_SECONDS * fs); i <= r + Math.round(AFTER_SECONDS * fs); i++) {
    const x = at(i), a = near(i, -1), b = near(i, 1);
    best = Math.max(best, Math.min(x - a, x - b), Math.min(a - x, b - x));
  }
  return hi > lo ? best / (hi - lo) : 0;
}

/**
 * Whether the rhythm is paced: from the learning beats at first, then from a running share of
 * spiky beats (1/64 per beat), so pacing that starts later (a demand pacemaker) is found too. Once
 * found it stays found: the report says "paced rhythm detected".
 */
export class PacingTracker {
  private share = 0;
  paced = false;

  learn(spikes: readonly number[]): void {
    if (spikes.length === 0) return;
    this.share = spikes.filter((s) => s >= PACED_SPIKE).length / spikes.length;
    if (this.share >= PACED_FRACTION) this.paced = true;
  }

  /** Takes one beat's spike score; true when the beat is paced. */
  next(spike: number): boolean {
    const spiky = spike >= PACED_SPIKE;
    this.share += ((spiky ? 1 : 0) - this.share) / 64;
    if (this.share >= PACED_FRACTION) this.paced = true;
    return this.paced && spiky;
  }
}
