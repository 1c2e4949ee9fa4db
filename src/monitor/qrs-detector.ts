// Streaming R-peak (QRS) detection in the Pan-Tompkins family (Pan & Tompkins 1985; Hamilton &
// Tompkins 1986), one sample at a time so any chunking of the input gives the same beats:
//
//   x (mV) -> band-pass 5-15 Hz (Butterworth high-pass then low-pass, biquads)
//          -> derivative  d[n] = (2x[n] + x[n-1] - x[n-3] - 2x[n-4]) fs / 8
//          -> squaring    d²
//          -> moving-window integration over 150 ms  -> m[n]
//   candidates: local maxima of m that are the largest within ±200 ms (the refractory period);
//   a candidate above THR1 = NPK + 0.25 (SPK - NPK) is a QRS unless it looks like a T wave
//   (within 360 ms of the last QRS with less than half its steepest slope); SPK and NPK track
//   signal and noise peak heights (1/8 updates); when no QRS came for 1.66 x the mean of the last
//   8 RR intervals, search back for the largest candidate above THR2 = THR1 / 2.
//   The R peak is placed at the input's largest deflection over the QRS; beats are cut at the
//   largest |band-passed| sample (the anchor), less the filter delay.
//
// Look-ahead is bounded: a beat is reported at most 200 ms + 150 ms + the search-back span after
// its R peak. The first 2 s set the initial SPK and NPK (a learning phase, as in the paper).

import { Biquad, butterworthHighpass, butterworthLowpass } from './biquad.ts';

export interface RPeak {
  /** Index of the R peak in the input signal (0-based sample): its largest deflection. */
  sample: number;
  /** The largest |band-passed| sample, less the filter delay: where beats are cut and RR measured (on narrow beats within a few ms of `sample`). */
  anchor: number;
  /** True when found by search-back (below the main threshold). */
  searchBack: boolean;
}

interface Candidate { at: number; peak: number; slope: number; r: number; anchor: number; /** Band-passed shape around the anchor, unit norm: [tplBefore + tplAfter + 1]. */ shape: Float64Array }

const TEMPLATE_BEFORE_SECONDS = 0.25;
const TEMPLATE_AFTER_SECONDS = 0.1;
/** A candidate's anchor moves to another peak only when that matches the beat template this well, and this much better. */
const ALIGN_MIN_MATCH = 0.6;
const ALIGN_MARGIN = 0.2;
/** Weight of each accepted beat in the running template. */
const TEMPLATE_WEIGHT = 0.125;

export interface QrsOptions {
  /** Band-pass edges in Hz. */
  lowHz?: number;
  highHz?: number;
}

export class QrsDetector {
  readonly fs: number;
  private readonly hp: Biquad;
  private readonly lp: Biquad;
  private readonly mwiLength: number;
  private readonly halfWindow: number;
  private readonly tWaveSpan: number;
  private readonly learnSpan: number;
  private readonly rDelay: number;
  /** The R peak lies within this many samples of the anchor. */
  private readonly rReach: number;
  /** The band-passed template spans anchor - tplBefore .. anchor + tplAfter (samples). */
  private readonly tplBefore: number;
  private readonly tplAfter: number;
  /** Running mean of accepted beats' band-passed shapes, each scaled to unit norm (null before the first). */
  private template: Float64Array | null = null;
  // Ring buffers (power-of-two size) of the band-passed signal, derivative and integrated signal.
  private readonly mask: number;
  private readonly bp: Float64Array;
  private readonly der: Float64Array;
  private readonly mwi: Float64Array;
  /** The input itself, for placing the R peak on the signal rather than on its band-pass. */
  private readonly raw: Float64Array;
  private mwiSum = 0;
  private n = 0; // samples pushed so far
  private primed = false;
  // Adaptive state.
  private spk = 0;
  private npk = 0;
  private learning: Candidate[] | null = [];
  private learnMax = 0;
  private learnSum = 0;
  private last: Candidate | null = null;
  private readonly rr: number[] = [];
  private meanRr = 0; // mean of rr, updated when a beat is accepted
  private pending: Candidate[] = [];

  constructor(fs: number, opts: QrsOptions = {}) {
    if (!(fs >= 50) || !Number.isFinite(fs)) throw new Error(`QRS detection needs a sampling rate >= 50 Hz, got ${fs}`);
    this.fs = fs;
    this.hp = new Biquad(butterworthHighpass(opts.lowHz ?? 5, fs));
    this.lp = new Biquad(butterworthLowpass(opts.highHz ?? 15, fs));
    this.mwiLength = Math.round(0.15 * fs);
    this.halfWindow = Math.round(0.2 * fs);
    this.tWaveSpan = Math.round(0.36 * fs);
    this.learnSpan = Math.round(2 * fs);
    this.rDelay = Math.round(0.008 * fs); // band-pass group delay near the QRS's frequencies
    this.rReach = Math.round(0.08 * fs);
    this.tplBefore = Math.round(TEMPLATE_BEFORE_SECONDS * fs);
    this.tplAfter = Math.round(TEMPLATE_AFTER_SECONDS * fs);
    let size = 1;
    while (size < 2 * this.halfWindow + 2 * this.mwiLength + this.tplBefore + this.tplAfter + 16) size *= 2;
    this.mask = size - 1;
    this.bp = new Float64Array(size);
    this.der = new Float64Array(size);
    this.mwi = new Float64Array(size);
    this.raw = new Float64Array(size);
  }

  /** Feeds samples; returns the R peaks decided so far, in order. */
  push(samples: ArrayLike<number>): RPeak[] {
    const out: RPeak[] = [];
    for (let i = 0; i < samples.length; i++) this.step(samples[i], out);
    return out;
  }

  /** Ends the stream: the last samples are decided as if the signal held its last value. */
  end(): RPeak[] {
    const out: RPeak[] = [];
    const total = this.n;
    const hold = this.n > 0 ? this.bpInput : 0;
    for (let i = 0; i < this.halfWindow + this.mwiLength + 8; i++) this.step(hold, out);
    this.finishLearning(out);
    return out.filter((p) => p.anchor < total && p.sample < total);
  }

  private bpInput = 0;

  private step(x: number, out: RPeak[]): void {
    if (!Number.isFinite(x)) throw new Error(`sample ${this.n} is not a finite number (${x})`);
    if (!this.primed) { this.hp.prime(x); this.lp.prime(0); this.primed = true; }
    this.bpInput = x;
    const n = this.n++;
    const m = this.mask;
    const y = this.lp.step(this.hp.step(x));
    this.bp[n & m] = y;
    this.raw[n & m] = x;
    // Derivative over the last 5 band-passed samples (the ring is zero before the start).
    const bp = this.bp;
    const d = ((2 * y + bp[(n - 1) & m] - bp[(n - 3) & m] - 2 * bp[(n - 4) & m]) * this.fs) / 8;
    this.der[n & m] = d;
    this.mwiSum += d * d;
    if (n - this.mwiLength >= 0) { const old = this.der[(n - this.mwiLength) & m]; this.mwiSum -= old * old; }
    // Guard against float drift making the running sum slightly negative.
    const v = Math.max(this.mwiSum, 0) / this.mwiLength;
    this.mwi[n & m] = v;
    if (this.learning) { this.learnSum += v; if (v > this.learnMax) this.learnMax = v; }

    // Decide about the sample halfWindow back (the centre of a ±200 ms window).
    const c = n - this.halfWindow;
    if (c < 0) return;
    if (this.learning === null) this.searchBack(c, out);
    const candidate = this.candidateAt(c);
    if (candidate) {
      if (this.learning) this.learning.push(candidate);
      else this.classify(candidate, out);
    }
    if (this.learning && c >= this.learnSpan) this.finishLearning(out);
  }

  /** A local maximum of m that is the largest within ±halfWindow (ties go to the earlier one). */
  private candidateAt(c: number): Candidate | null {
    const m = this.mask, w = this.mwi;
    const v = w[c & m];
    if (v <= 0 || (c > 0 && w[(c - 1) & m] >= v) || w[(c + 1) & m] > v) return null;
    for (let k = 1; k <= this.halfWindow; k++) {
      if (w[(c + k) & m] > v) return null;
      if (c - k >= 0 && w[(c - k) & m] >= v) return null;
    }
    // The QRS lies in the integration window ending at c: find its largest |band-passed| sample
    // (the R peak, up to the filter delay) and its steepest slope.
    let anchor = c, bestBp = -1, slope = 0;
    const from = Math.max(0, c - this.mwiLength - 2);
    for (let k = from; k <= c; k++) {
      const a = Math.abs(this.bp[k & m]);
      if (a > bestBp) { bestBp = a; anchor = k; }
      const s = Math.abs(this.der[k & m]);
      if (s > slope) slope = s;
    }
    const aligned = this.align(anchor, from, c);
    const moved = aligned !== anchor;
    anchor = aligned;
    // The R peak itself: the largest deflection of the input over the same stretch, moved back by
    // the band-pass delay, from the mean of its two ends. On the band-passed signal a wide complex
    // (paced, ventricular) peaks on its terminal upstroke, and whether a pacing spike outweighs it
    // depends on the rate (at 128 Hz the spike is filtered away and that upstroke lies ~150 ms late).
    const a = Math.max(0, anchor - this.rDelay);
    const r0 = moved ? Math.max(0, a - this.rReach) : Math.max(0, from - this.rDelay, a - this.rReach);
    const r1 = moved ? a + this.rReach : Math.max(0, Math.min(c - this.rDelay, a + this.rReach));
    const base = (this.raw[r0 & m] + this.raw[r1 & m]) / 2;
    let r = r1, best = -1;
    for (let k = r0; k <= r1; k++) {
      const a = Math.abs(this.raw[k & m] - base);
      if (a > best) { best = a; r = k; }
    }
    return { at: c, peak: v, slope, r, anchor: a, shape: this.segment(anchor) };
  }

  /** The band-passed signal around `k` (tplBefore .. tplAfter; 0 before the start), scaled to unit norm. */
  private segment(k: number): Float64Array {
    const seg = new Float64Array(this.tplBefore + this.tplAfter + 1);
    let ss = 0;
    for (let j = 0; j < seg.length; j++) {
      const i = k - this.tplBefore + j;
      const v = i >= 0 ? this.bp[i & this.mask] : 0;
      seg[j] = v; ss += v * v;
    }
    const norm = Math.sqrt(ss);
    if (norm > 0) for (let j = 0; j < seg.length; j++) seg[j] /= norm;
    return seg;
  }

  /** Correlation (cosine) of the band-passed signal around `k` with the template, over the part up to sample `newest`. */
  private match(k: number, newest: number): number {
    const tpl = this.template!;
    const len = Math.min(tpl.length, newest - (k - this.tplBefore) + 1);
    let dot = 0, ss = 0, tt = 0;
    for (let j = 0; j < len; j++) {
      const i = k - this.tplBefore + j;
      const v = i >= 0 ? this.bp[i & this.mask] : 0;
      dot += v * tpl[j]; ss += v * v; tt += tpl[j] * tpl[j];
    }
    return ss > 0 && tt > 0 ? dot / Math.sqrt(ss * tt) : 0;
  }

  /**
   * Where the candidate's QRS lies when its largest |band-passed| sample is not it: a tall, sharp
   * P wave (record 108) can outweigh a small QRS, and the integration window then peaks between
   * the two, before the QRS. Each position from `from` to the newest that still has the
   * template's span after it, and more than rReach from the anchor (nearer is the same complex),
   * is matched against the template of the beats accepted so far (band-passed, -250 .. +100 ms,
   * so it holds the P wave before the QRS). The anchor moves only to a clearly better match that
   * has a deflection of its own (at least half the anchor's) and brings the RR interval nearer
   * the running mean: a beat template alone drifts onto T waves when the QRS changes shape.
   */
  private align(anchor: number, from: number, c: number): number {
    const last = this.last;
    if (!this.template || !last || this.rr.length === 0) return anchor;
    const m = this.mask, bp = this.bp;
    // The newest sample is c + halfWindow; a match needs the QRS (40 ms past its anchor) in.
    const newest = c + this.halfWindow, hi = newest - Math.round(0.04 * this.fs);
    const own = this.match(anchor, newest);
    const height = (k: number) => {
      let h = 0;
      for (let j = k - (this.rReach >> 1); j <= k + (this.rReach >> 1); j++) h = Math.max(h, Math.abs(bp[j & m]));
      return h;
    };
    const ownHeight = Math.abs(bp[anchor & m]);
    const sorted = [...this.rr].sort((p, q) => p - q);
    const typical = sorted[sorted.length >> 1]; // the median: one extra or missed beat does not move it
    const rrOff = (k: number) => Math.abs(k - this.rDelay - last.anchor - typical);
    let best = anchor, bestCorr = own;
    for (let k = from; k <= hi; k++) {
      if (Math.abs(k - anchor) <= this.rReach) continue;
      const corr = this.match(k, newest);
      if (corr > bestCorr && height(k) >= 0.5 * ownHeight && rrOff(k) < rrOff(anchor)) { bestCorr = corr; best = k; }
    }
    return bestCorr >= ALIGN_MIN_MATCH && bestCorr - own >= ALIGN_MARGIN ? best : anchor;
  }

  private finishLearning(out: RPeak[]): void {
    if (!this.learning) return;
    const seen = this.learning;
    this.learning = null;
    const span = Math.max(1, Math.min(this.n, this.learnSpan));
    this.spk = this.learnMax / 3;
    this.npk = this.learnSum / span / 2;
    for (const cand of seen) this.classify(cand, out);
  }

  private get thr1(): number { return this.npk + 0.25 * (this.spk - this.npk); }

  private classify(cand: Candidate, out: RPeak[]): void {
    const last = this.last;
    if (cand.peak > this.thr1) {
      const tWave = last !== null && cand.at - last.at < this.tWaveSpan && cand.slope < 0.5 * last.slope;
      if (!tWave) { this.spk = 0.125 * cand.peak + 0.875 * this.spk; this.accept(cand, false, out); return; }
    }
    this.npk = 0.125 * cand.peak + 0.875 * this.npk;
    this.pending.push(cand);
  }

  private accept(cand: Candidate, searchBack: boolean, out: RPeak[]): void {
    if (this.last) {
      this.rr.push(cand.at - this.last.at);
      if (this.rr.length > 8) this.rr.shift();
      this.meanRr = this.rr.reduce((s, v) => s + v, 0) / this.rr.length;
    }
    this.last = cand;
    if (!this.template) this.template = Float64Array.from(cand.shape);
    else for (let j = 0; j < cand.shape.length; j++) this.template[j] += TEMPLATE_WEIGHT * (cand.shape[j] - this.template[j]);
    this.pending = this.pending.filter((p) => p.at > cand.at);
    out.push({ sample: cand.r, anchor: cand.anchor, searchBack });
  }

  /** When the gap since the last QRS passes 1.66 RR, the largest earlier candidate above THR2 is a QRS. */
  private searchBack(now: number, out: RPeak[]): void {
    while (this.last && this.rr.length > 0) {
      if (now - this.last.at <= 1.66 * this.meanRr) return;
      const thr2 = 0.5 * this.thr1;
      let best: Candidate | null = null;
      for (const p of this.pending) {
        if (p.at - this.last.at > this.halfWindow && p.peak > thr2 && (!best || p.peak > best.peak)) best = p;
      }
      if (!best) return;
      this.spk = 0.25 * best.peak + 0.75 * this.spk;
      this.accept(best, true, out);
    }
  }
}

/** Whole-signal convenience: every R peak of `samples`. */
export function detectRPeaks(samples: ArrayLike<number>, fs: number, opts?: QrsOptions): RPeak[] {
  const d = new QrsDetector(fs, opts);
  return [...d.push(samples), ...d.end()];
}
