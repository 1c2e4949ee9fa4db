// Streaming signal-quality verdicts on fixed windows of WINDOW_SECONDS (counted in samples, so
// any chunking gives the same verdicts). Each window is one of:
//   gap      a sample is not a finite number (NaN gap, dropped packets);
//   flat     peak-to-peak under FLAT_MV: a flat line (lead off, amplifier held), no ECG in it;
//   clipped  a run of CLIP_SECONDS or more at the window's maximum or minimum (saturated ADC);
//   noise    the high-frequency residue (x less its 20 ms moving mean) has a median over
//            NOISE_RATIO of the peak-to-peak and over NOISE_FLOOR_MV: ECG is smooth between its
//            QRS complexes, white noise and muscle bursts are not (the floor keeps quantisation
//            steps of a quiet stretch from counting; the residue is in seconds, so any rate);
//   null     readable.
// Thresholds chosen on the five shared records (clean: 0-16 of 3611 windows called noise, in 104
// and 108) and on white noise of 0.1 and 1 mV (199 and 200 of 200 windows called noise).

export type QualityKind = 'gap' | 'flat' | 'clipped' | 'noise';

export interface WindowVerdict { start: number; /** Exclusive. */ end: number; kind: QualityKind | null }

export const WINDOW_SECONDS = 0.5;
export const FLAT_MV = 0.01;
export const CLIP_SECONDS = 0.03;
export const NOISE_RATIO = 0.08;
export const NOISE_FLOOR_MV = 0.04;
const RESIDUE_SECONDS = 0.01; // half-width of the moving mean

export class SignalQualityMeter {
  readonly windowLength: number;
  private readonly clipRun: number;
  private readonly half: number;
  private readonly buf: Float64Array;
  private readonly residue: Float64Array;
  private fill = 0;
  private start = 0;
  private nonFinite = 0;

  constructor(readonly fs: number) {
    this.windowLength = Math.max(8, Math.round(WINDOW_SECONDS * fs));
    this.clipRun = Math.max(4, Math.round(CLIP_SECONDS * fs));
    this.half = Math.max(1, Math.round(RESIDUE_SECONDS * fs));
    this.buf = new Float64Array(this.windowLength);
    this.residue = new Float64Array(this.windowLength);
  }

  /** One sample; the verdict of its window when this sample completes it. */
  push(x: number): WindowVerdict | null {
    if (!Number.isFinite(x)) this.nonFinite++;
    this.buf[this.fill++] = x;
    if (this.fill < this.windowLength) return null;
    return this.close();
  }

  /** The verdict of the last, partial window (null when it is empty). */
  end(): WindowVerdict | null {
    return this.fill > 0 ? this.close() : null;
  }

  private close(): WindowVerdict {
    const n = this.fill;
    const v: WindowVerdict = { start: this.start, end: this.start + n, kind: this.judge(n) };
    this.start += n;
    this.fill = 0;
    this.nonFinite = 0;
    return v;
  }

  private judge(n: number): QualityKind | null {
    if (this.nonFinite > 0) return 'gap';
    const x = this.buf;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) { if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i]; }
    const range = hi - lo;
    if (range < FLAT_MV) return 'flat';
    if (this.longestRunAt(n, hi) >= this.clipRun || this.longestRunAt(n, lo) >= this.clipRun) return 'clipped';
    if (n < 2 * this.half + 2) return null;
    let sum = 0;
    for (let i = 0; i <= 2 * this.half; i++) sum += x[i];
    const width = 2 * this.half + 1;
    let m = 0;
    for (let i = this.half; i < n - this.half; i++) {
      if (i > this.half) sum += x[i + this.half] - x[i - this.half - 1];
      this.residue[m++] = Math.abs(x[i] - sum / width);
    }
    const med = this.residue.subarray(0, m).sort()[m >> 1];
    return med > NOISE_RATIO * range && med > NOISE_FLOOR_MV ? 'noise' : null;
  }

  private longestRunAt(n: number, value: number): number {
    let best = 0, run = 0;
    for (let i = 0; i < n; i++) {
      run = this.buf[i] === value ? run + 1 : 0;
      if (run > best) best = run;
    }
    return best;
  }
}
