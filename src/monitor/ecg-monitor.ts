// The continuous-ECG monitor as one streaming object: samples in (any chunking), scored beats
// out, in order. Inside: R-peak detection -> a ring buffer of the signal to cut each beat once
// its window is complete -> RR and prematurity -> the scorer (a trained detector, or one learnt
// from this record's first minutes, in which case those beats wait until learning is done).
// Each beat also gets an AAMI class (beat-classifier.ts), learned from the same first minutes
// (5 min with a trained detector); beats inside quality episodes (unreadable signal, given by the
// caller in batch or pushed while streaming, or found by signal-quality.ts) are class Q, and so is
// the first beat after one (its RR spans unreadable signal). The QRS detector sees the signal one
// quality window late: unreadable windows (and one window either side) reach it as a held level,
// so no beat is invented in a flat line or in noise and its thresholds keep the clean signal's.
// Every decision depends only on the sample count, never on chunk boundaries, so a record piped
// in random chunks gives exactly the beats and scores of the whole file at once.

import { learnNormalBeat, DEFAULT_LEARN, type LearnOptions, type LearnedScorer } from './learn-normal-beat.ts';
import type { BeatScorer } from './beat-scorer.ts';
import { QrsDetector } from './qrs-detector.ts';
import type { BeatClass } from './beat-class.ts';
import { BeatClassifier, type BeatFeatures, type ClassifierInput, type ClassifierSettings } from './beat-classifier.ts';
import { cutQrs, type QrsShape } from './qrs-morphology.ts';
import { spikeScore } from './pacing.ts';
import { QualityEpisodes, type QualityEpisode } from './quality-episodes.ts';
import { SignalQualityMeter, type WindowVerdict } from './signal-quality.ts';
import { RrTracker } from './rr-intervals.ts';
import { cutBeat, DEFAULT_WINDOW, windowSamples, zNormalizeRows, type BeatWindow } from './segmenter.ts';

export interface MonitorBeat {
  /** 0-based beat number. */
  index: number;
  /** R-peak sample index. */
  sample: number;
  /** RR interval before this beat in samples (null for the first beat). */
  rr: number | null;
  /** log(median of the previous 8 RR / RR): > 0 when the beat came early. */
  prematurity: number | null;
  score: number;
  /** Reconstruction error of the beat's shape. */
  error: number;
  flagged: boolean;
  /** True for beats inside the --learn period (scored by a model that saw them). */
  learning: boolean;
  /** True when the R peak was found by search-back. */
  searchBack: boolean;
  /** AAMI class: N, S, V, F or Q (Q: unreadable signal, or no patient beat could be learned). */
  class: BeatClass;
  /** A paced beat (pacemaker spike in a paced rhythm, pacing.ts); its class is Q. */
  paced: boolean;
  /** What the class was decided on (null for Q beats). */
  features: BeatFeatures | null;
  /** With MonitorOptions.exportLength: the beat cut at that length and z-normalised (the --model convention), for training files. */
  exported?: Float32Array;
}

export type MonitorScoring =
  | { kind: 'scorer'; scorer: BeatScorer }
  | { kind: 'learn'; seconds: number; options?: Partial<LearnOptions>; onLearned?: (s: LearnedScorer) => void };

export interface MonitorOptions {
  fs: number;
  scoring: MonitorScoring;
  window?: BeatWindow;
  /** Also cut each beat at this length, z-normalised, into MonitorBeat.exported (monitor --export-beats). */
  exportLength?: number;
  /** Stretches of unreadable signal (sample indices, end exclusive): their beats are class Q. More can be pushed with pushQuality. */
  quality?: readonly QualityEpisode[];
  /** Seconds the beat classifier learns from when scoring with a trained detector (with --learn: the same period). Default 300. */
  classLearnSeconds?: number;
  classifier?: Partial<ClassifierSettings>;
}

interface PendingPeak { sample: number; /** R sample of the peak before (-1 for the first). */ prev?: number; searchBack: boolean; rr: number | null; prematurity: number | null; exported?: Float32Array; shape?: QrsShape; spike?: number }

export const DEFAULT_CLASS_LEARN_SECONDS = 300;

/** Noisy windows in a row (of signal-quality.ts's WINDOW_SECONDS) before the detector stops seeing them. */
const HIDE_RUN = 4;

/** Seconds of signal kept for cutting beats; far more than any detection delay. */
const RING_SECONDS = 64;
const BLOCK = 4096;

export class EcgMonitor {
  readonly fs: number;
  private readonly detector: QrsDetector;
  private readonly rr = new RrTracker();
  private readonly pre: number;
  private readonly post: number;
  private readonly ring: Float32Array;
  private readonly mask: number;
  private n = 0;
  private readonly peaks: PendingPeak[] = [];
  private beatIndex = 0;
  private scorer: BeatScorer | null;
  private readonly learn: { seconds: number; options: LearnOptions; onLearned?: (s: LearnedScorer) => void } | null;
  private readonly learnBeats: { peak: PendingPeak; beat: Float32Array }[] = [];
  /** With a trained detector: the classifier's learning beats (already given out, class Q). */
  private readonly classLearnInputs: ClassifierInput[] = [];
  private readonly learnSeconds: number;
  private learning = true;
  private readonly classifier: BeatClassifier;
  private classifierReady = false;
  private readonly quality: QualityEpisodes;
  private ended = false;
  private readonly meter: SignalQualityMeter;
  /** Windows judged but not yet given to the detector (with their sanitised samples). */
  private readonly windows: { v: WindowVerdict; x: Float32Array; bad: boolean | null }[] = [];
  private windowSamples: number[] = [];
  private prevWindowBad = false;
  private held = 0;
  private lastFinite = 0;
  private found: { sample: number; searchBack: boolean }[] = [];
  /** Episodes found here, closed, not yet taken by takeQualityEpisodes. */
  private readonly foundEpisodes: QualityEpisode[] = [];
  private openEpisode: QualityEpisode | null = null;
  /** The open episode as QualityEpisodes holds it (its end grows with it). */
  private openStored: QualityEpisode | null = null;
  private lastDrained = -1;
  private readonly exportLength: number | null;

  constructor(opts: MonitorOptions) {
    this.fs = opts.fs;
    this.exportLength = opts.exportLength ?? null;
    this.detector = new QrsDetector(opts.fs);
    ({ pre: this.pre, post: this.post } = windowSamples(opts.window ?? DEFAULT_WINDOW, opts.fs));
    let size = 1;
    while (size < RING_SECONDS * opts.fs) size *= 2;
    this.ring = new Float32Array(size);
    this.mask = size - 1;
    if (opts.scoring.kind === 'scorer') {
      this.scorer = opts.scoring.scorer;
      this.learn = null;
    } else {
      if (!(opts.scoring.seconds > 0)) throw new Error(`--learn must be a positive duration, got ${opts.scoring.seconds} s`);
      this.scorer = null;
      this.learn = { seconds: opts.scoring.seconds, options: { ...DEFAULT_LEARN, ...opts.scoring.options }, onLearned: opts.scoring.onLearned };
    }
    this.learnSeconds = this.learn ? this.learn.seconds : (opts.classLearnSeconds ?? DEFAULT_CLASS_LEARN_SECONDS);
    if (!(this.learnSeconds > 0)) throw new Error(`the class learning period must be positive, got ${this.learnSeconds} s`);
    this.classifier = new BeatClassifier(opts.classifier);
    this.quality = new QualityEpisodes(opts.quality ?? []);
    this.meter = new SignalQualityMeter(opts.fs);
  }

  /** The quality episode still growing at the newest judged window (a copy), or null: for live alarms on it (flat-line-alarm.ts). */
  get openQualityEpisode(): QualityEpisode | null {
    return this.openEpisode ? { ...this.openEpisode } : null;
  }

  /** Quality episodes found in the signal and finished since the last call (all of them after end()). */
  takeQualityEpisodes(): QualityEpisode[] {
    return this.foundEpisodes.splice(0);
  }

  /**
   * A window judged. A noisy or clipped window counts only next to another of its kind (a lone
   * one is most often a QRS's own edge; see signal-quality.ts); a gap or flat window always
   * counts. So the window before the newest is settled now, and the one before that goes to the detector.
   */
  private judged(v: WindowVerdict): void {
    const x = Float32Array.from(this.windowSamples);
    this.windowSamples = [];
    const w = this.windows;
    w.push({ v, x, bad: null });
    if (w.length >= 2) this.settle(w.length - 2, v.kind);
    if (w.length >= HIDE_RUN + 1) this.feedDetector();
  }

  /** Decides whether window `i` (in this.windows) is unreadable, given the raw verdict of the window after it. */
  private settle(i: number, nextKind: WindowVerdict['kind']): void {
    const { v } = this.windows[i];
    const prevKind = i > 0 ? this.windows[i - 1].v.kind : this.fedKind;
    const k = v.kind;
    const bad = k === 'gap' || k === 'flat' || (k !== null && (prevKind === k || nextKind === k));
    this.windows[i].bad = bad;
    if (bad) {
      const open = this.openEpisode;
      if (open && open.kind === k && open.end === v.start) { open.end = v.end; this.openStored!.end = v.end; } else {
        this.closeEpisode();
        this.openEpisode = { start: v.start, end: v.end, kind: k! };
        this.openStored = this.quality.add(this.openEpisode, this.lastEmitted);
      }
    } else this.closeEpisode();
  }

  private closeEpisode(): void {
    if (this.openEpisode) this.foundEpisodes.push(this.openEpisode);
    this.openEpisode = null;
    this.openStored = null;
  }

  /**
   * Whether window `i` is kept from the detector: a gap or flat line, or a run of at least
   * HIDE_RUN noisy (or clipped) windows. Shorter noisy runs reach it (their beats are Q), so a
   * noisy second of a readable record still has its beats counted.
   */
  private hidden(i: number): boolean {
    const w = this.windows;
    const k = w[i].v.kind;
    if (k === null || !w[i].bad) return false;
    if (k === 'gap' || k === 'flat') return true;
    let run = 1;
    for (let j = i - 1; j >= 0 && w[j].v.kind === k; j--) run++;
    if (i - run + 1 === 0 && this.fedKind === k) run += this.fedRun;
    for (let j = i + 1; j < w.length && w[j].v.kind === k; j++) run++;
    return run >= HIDE_RUN;
  }

  /** Gives the oldest waiting window (settled, as is the one after it when there is one) to the detector. */
  private feedDetector(): void {
    const hide = this.hidden(0), nextHide = this.windows.length > 1 && this.hidden(1);
    const { v, x } = this.windows.shift()!;
    const bad = hide;
    if (hide || nextHide) x.fill(this.held);
    else if (this.prevWindowBad) {
      // Back from an unreadable stretch: a ramp from the held level to the next window's first sample, so no step reaches the band-pass.
      const to = this.windows.length > 0 ? this.windows[0].x[0] : this.held;
      for (let i = 0; i < x.length; i++) x[i] = this.held + ((to - this.held) * (i + 1)) / x.length;
    }
    this.prevWindowBad = bad === true;
    this.fedRun = v.kind === this.fedKind ? this.fedRun + 1 : 1;
    this.fedKind = v.kind;
    if (x.length > 0) this.held = x[x.length - 1];
    for (const p of this.detector.push(x)) this.found.push(p);
  }

  private fedKind: WindowVerdict['kind'] = null;
  /** How many windows of fedKind in a row ended with the last window fed. */
  private fedRun = 0;

  /**
   * A stretch of unreadable signal found while streaming. It must come before any beat inside it
   * was returned (push it no later than the samples it covers), else streaming would differ from batch.
   */
  pushQuality(episode: QualityEpisode): void {
    this.quality.add(episode, this.lastEmitted);
  }

  private lastEmitted = -1;

  get samplesSeen(): number { return this.n; }

  /** True once a paced rhythm was detected (pacing.ts). */
  get pacedRhythm(): boolean { return this.classifier.pacedRhythm; }

  /** The scorer in use (null while still learning). */
  get activeScorer(): BeatScorer | null { return this.scorer; }

  push(samples: ArrayLike<number>): MonitorBeat[] {
    if (this.ended) throw new Error('push after end');
    const out: MonitorBeat[] = [];
    // Blocks of at most BLOCK samples, so a whole record pushed at once never overruns the ring.
    for (let b0 = 0; b0 < samples.length; b0 += BLOCK) {
      const b1 = Math.min(samples.length, b0 + BLOCK);
      const block = new Float32Array(b1 - b0);
      for (let i = b0; i < b1; i++) {
        const raw = samples[i];
        // A non-finite sample is a gap (the meter marks it); the signal holds the last finite value.
        const x = Number.isFinite(raw) ? raw : this.lastFinite;
        this.lastFinite = x;
        block[i - b0] = x;
        this.ring[(this.n + i - b0) & this.mask] = x;
        this.windowSamples.push(x);
        const v = this.meter.push(raw);
        if (v) this.judged(v);
      }
      // Peaks are decided after their samples are in the ring (the detector looks back only).
      this.n += block.length;
      this.takeFound();
      this.drain(false, out);
    }
    return out;
  }

  end(): MonitorBeat[] {
    if (this.ended) return [];
    const out: MonitorBeat[] = [];
    const v = this.meter.end();
    if (v) this.judged(v);
    if (this.windows.length > 0) this.settle(this.windows.length - 1, null);
    while (this.windows.length > 0) this.feedDetector();
    this.closeEpisode();
    for (const p of this.detector.end()) this.found.push(p);
    this.takeFound();
    this.ended = true;
    this.drain(true, out);
    if (this.learning) this.finishLearning(out);
    return out;
  }

  private takeFound(): void {
    for (const p of this.found) this.peaks.push({ sample: p.sample, searchBack: p.searchBack, ...this.rr.next(p.sample) });
    this.found.length = 0;
  }

  private get beatLength(): number { return this.scorer ? this.scorer.beatLength : this.learn!.options.length; }

  private classifierInput(peak: PendingPeak, shapeZ: number | null = null): ClassifierInput {
    return { sample: peak.sample, rr: peak.rr, shape: peak.shape!, unreadable: this.quality.between(peak.prev ?? -1, peak.sample), shapeZ, spike: peak.spike ?? 0 };
  }

  /** Cuts every peak whose window is complete (or, at the end, every peak left). */
  private drain(final: boolean, out: MonitorBeat[]): void {
    while (this.peaks.length > 0 && (final || this.peaks[0].sample + this.post < this.n)) {
      const peak = this.peaks.shift()!;
      peak.prev = this.lastDrained;
      this.lastDrained = peak.sample;
      if (this.n - (peak.sample - this.pre) > this.ring.length) {
        throw new Error(`internal: beat at sample ${peak.sample} left the ${RING_SECONDS} s signal buffer before it was cut`);
      }
      const last = this.n - 1;
      const at = (i: number) => this.ring[Math.min(last, Math.max(0, i)) & this.mask];
      if (this.exportLength !== null) {
        peak.exported = new Float32Array(this.exportLength);
        cutBeat(at, peak.sample, this.pre, this.post, this.exportLength, peak.exported);
        zNormalizeRows(peak.exported, this.exportLength);
      }
      peak.shape = cutQrs(at, peak.sample, this.fs);
      peak.spike = spikeScore(at, peak.sample, this.fs);
      if (this.learning) {
        if (peak.sample < this.learnSeconds * this.fs) {
          const beat = new Float32Array(this.beatLength);
          cutBeat(at, peak.sample, this.pre, this.post, beat.length, beat);
          if (this.learn) { this.learnBeats.push({ peak, beat }); continue; }
          // A trained detector scores at once; the class waits for the learned template (Q until then).
          this.classLearnInputs.push(this.classifierInput(peak));
          out.push(this.scoreBeat(peak, beat, false));
          continue;
        }
        this.finishLearning(out);
      }
      const beat = new Float32Array(this.beatLength);
      cutBeat(at, peak.sample, this.pre, this.post, beat.length, beat);
      out.push(this.scoreBeat(peak, beat, false));
    }
  }

  private finishLearning(out: MonitorBeat[]): void {
    this.learning = false;
    const learn = this.learn;
    if (learn && !this.scorer) {
      const L = learn.options.length;
      const data = new Float32Array(this.learnBeats.length * L);
      this.learnBeats.forEach((b, i) => data.set(b.beat, i * L));
      const scorer = learnNormalBeat(data, this.learnBeats.length, this.learnBeats.map((b) => b.peak.prematurity), learn.options);
      this.scorer = scorer;
      learn.onLearned?.(scorer);
    }
    const inputs = learn ? this.learnBeats.map((b) => this.classifierInput(b.peak)) : this.classLearnInputs;
    this.classifierReady = this.classifier.learn(inputs);
    this.classLearnInputs.length = 0;
    for (const b of this.learnBeats) out.push(this.scoreBeat(b.peak, b.beat, learn !== null));
    this.learnBeats.length = 0;
  }

  private scoreBeat(peak: PendingPeak, beat: Float32Array, learning: boolean): MonitorBeat {
    const s = this.scorer!.score(beat, peak.prematurity);
    const c = this.classifierReady && !this.learning ? this.classifier.classify(this.classifierInput(peak, s.shapeZ ?? null)) : { cls: 'Q' as const, features: null, paced: false };
    this.lastEmitted = peak.sample;
    this.quality.forgetBefore(peak.sample);
    return { index: this.beatIndex++, sample: peak.sample, rr: peak.rr, prematurity: peak.prematurity,
      score: s.score, error: s.error, flagged: s.flagged, learning, searchBack: peak.searchBack,
      class: c.cls, features: c.features, paced: c.paced,
      ...(peak.exported ? { exported: peak.exported } : {}) };
  }
}
