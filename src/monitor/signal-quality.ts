// Streaming signal-quality verdicts on fixed windows of WINDOW_SECONDS (counted in samples, so
// any chunking gives the same verdicts). Each window is one of:
//   gap      a sample is not a finite number (NaN gap, dropped packets);
//   flat     peak-to-peak under FLAT_MV: a flat line (lead off, amplifier held), no ECG in it;
//   clipped  a run of CLIP_SECONDS or more at the window's maximum or minimum (saturated ADC);
//   noise    the high-frequency residue (the signal band-passed to RESIDUE_BAND_HZ) has a median
//            |value| over NOISE_RATIO of the peak-to-peak below RANGE_LOWPASS_HZ over the last
//            RANGE_CONTEXT_SECONDS, and over NOISE_FLOOR_MV: ECG is smooth between its QRS
//            complexes, white noise and muscle bursts are not (the context holds a QRS even when
//            this window has none, so a noisy T wave is not the yardstick; the floor keeps
//            quantisation steps of a quiet stretch from counting);
//   null     readable.
// Every noise measure is defined in Hz and mV, not in samples: both bands lie under 0.45 x 125 Hz,
// where a band-limited recording at 125-1000 Hz holds the same content (src/signals/resample.ts),
// so the verdicts do not depend on the rate (bench/quality-rates.ts; docs/signals.md). The
// filters run across windows (Butterworth biquads, src/monitor/biquad.ts) and restart after a gap.
// Thresholds chosen on the five shared records at 128-1000 Hz (0-12 of 3611 windows called noise,
// in 104 and 232) and on white noise of 0.3 mV (381-398 of 400 windows at 128-1000 Hz).

import { Biquad, butterworthHighpass, butterworthLowpass, type BiquadCoefficients } from './biquad.ts';

export type QualityKind = 'gap' | 'flat' | 'clipped' | 'noise';

export interface WindowVerdict { start: number; /** Exclusive. */ end: number; kind: QualityKind | null }

export const WINDOW_SECONDS = 0.5;
export const FLAT_MV = 0.01;
export const CLIP_SECONDS = 0.03;
export const NOISE_RATIO = 0.08;
export const NOISE_FLOOR_MV = 0.02;
export const RANGE_CONTEXT_SECONDS = 2;
/** A residue median this many times the window before's starts the context afresh (noise onset). */
export const ONSET_JUMP = 3;
export const RESIDUE_BAND_HZ: readonly [number, number] = [15, 40];
export const RANGE_LOWPASS_HZ = 15;
/** Below 100 Hz the residue band's top is cut to this fraction of the rate (it must stay under Nyquist). */
const TOP_OF_RATE = 0.4;

/** Where the residue filters match their analog prototypes, and the range filter its own. */
const RANGE_MATCH_HZ = 10;

/**
 * The cutoff to hand the bilinear design so that the digital filter's response equals its analog
 * prototype's at matchHz, not at the cutoff: prewarping at the cutoff makes a band near Nyquist
 * (40 Hz at 128 Hz) pass more than at 1000 Hz; matched in the band's middle, it passes the same.
 */
function prewarpedAt(cutoffHz: number, matchHz: number, fs: number): number {
  return (fs / Math.PI) * Math.atan((Math.tan((Math.PI * matchHz) / fs) * cutoffHz) / matchHz);
}

/** Two cascaded sections (4th order) of a filter design. */
function cascade(c: BiquadCoefficients): Biquad[] { return [new Biquad(c), new Biquad(c)]; }

export class SignalQualityMeter {
  readonly windowLength: number;
  private readonly clipRun: number;
  private readonly buf: Float64Array;
  /** |residue| and the range-band signal of each sample of the window. */
  private readonly residue: Float64Array;
  private readonly smooth: Float64Array;
  private readonly residueFilters: Biquad[];
  private readonly rangeFilters: Biquad[];
  private primed = false;
  /** Lowest and highest range-band value of the last windows, this one last (RANGE_CONTEXT_SECONDS). */
  private readonly recentLo: number[] = [];
  private readonly recentHi: number[] = [];
  private readonly contextWindows: number;
  /** The residue median of the window before (0 after a gap or flat line). */
  private lastMedian = Infinity;
  private fill = 0;
  private start = 0;
  private nonFinite = 0;

  constructor(readonly fs: number) {
    this.windowLength = Math.max(8, Math.round(WINDOW_SECONDS * fs));
    this.clipRun = Math.max(4, Math.round(CLIP_SECONDS * fs));
    this.contextWindows = Math.max(1, Math.round(RANGE_CONTEXT_SECONDS / WINDOW_SECONDS));
    this.buf = new Float64Array(this.windowLength);
    this.residue = new Float64Array(this.windowLength);
    this.smooth = new Float64Array(this.windowLength);
    const [lowHz, highHz] = RESIDUE_BAND_HZ;
    const top = Math.min(highHz, TOP_OF_RATE * fs), match = (lowHz + top) / 2;
    this.residueFilters = [...cascade(butterworthLowpass(prewarpedAt(top, match, fs), fs)), ...cascade(butterworthHighpass(prewarpedAt(lowHz, match, fs), fs))];
    this.rangeFilters = cascade(butterworthLowpass(prewarpedAt(Math.min(RANGE_LOWPASS_HZ, TOP_OF_RATE * fs), RANGE_MATCH_HZ, fs), fs));
  }

  /** One sample; the verdict of its window when this sample completes it. */
  push(x: number): WindowVerdict | null {
    if (!Number.isFinite(x)) { this.nonFinite++; this.primed = false; this.smooth[this.fill] = NaN; } else this.filter(x);
    this.buf[this.fill++] = x;
    if (this.fill < this.windowLength) return null;
    return this.close();
  }

  /** The verdict of the last, partial window (null when it is empty). */
  end(): WindowVerdict | null {
    return this.fill > 0 ? this.close() : null;
  }

  /** Runs the residue and range filters on one finite sample (restarting them in its steady state after a gap or at the start). */
  private filter(x: number): void {
    if (!this.primed) {
      // Steady state for a constant x: the low-passes pass it, the first high-pass takes it to 0.
      const [lp1, lp2, hp1, hp2] = this.residueFilters;
      lp1.prime(x); lp2.prime(x); hp1.prime(x); hp2.prime(0);
      for (const f of this.rangeFilters) f.prime(x);
      this.primed = true;
    }
    let r = x;
    for (const f of this.residueFilters) r = f.step(r);
    let s = x;
    for (const f of this.rangeFilters) s = f.step(s);
    this.residue[this.fill] = Math.abs(r);
    this.smooth[this.fill] = s;
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
    const context = this.rememberRange(n); // every window, so the context is the last seconds whatever they were
    const ownRange = this.recentHi[this.recentHi.length - 1] - this.recentLo[this.recentLo.length - 1];
    if (this.nonFinite > 0) return 'gap';
    const x = this.buf;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) { if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i]; }
    const range = hi - lo;
    if (range < FLAT_MV) return 'flat';
    if (this.longestRunAt(n, hi) >= this.clipRun || this.longestRunAt(n, lo) >= this.clipRun) return 'clipped';
    const med = this.residue.subarray(0, n).sort()[n >> 1];
    const onset = med > NOISE_FLOOR_MV && med > ONSET_JUMP * this.lastMedian;
    this.lastMedian = med;
    if (onset) this.forgetContext(); // noise came in: the QRS before it is no yardstick for it
    return med > NOISE_RATIO * (onset ? ownRange : context) && med > NOISE_FLOOR_MV ? 'noise' : null;
  }

  private forgetContext(): void {
    // This window too: its start may still hold the filters' ringing from the last QRS.
    this.recentLo.length = 0;
    this.recentHi.length = 0;
  }

  /** Adds this window's range-band extremes (NaN samples skipped) and returns the peak-to-peak over the context. */
  private rememberRange(n: number): number {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) { const v = this.smooth[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    this.recentLo.push(lo);
    this.recentHi.push(hi);
    if (this.recentLo.length > this.contextWindows) { this.recentLo.shift(); this.recentHi.shift(); }
    return Math.max(...this.recentHi) - Math.min(...this.recentLo);
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
