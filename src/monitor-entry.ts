// cardiograd/monitor: the continuous-ECG monitor for any JavaScript runtime (a page reading a
// chest strap, a worker, a phone app's engine, Deno, workerd, QuickJS). No Node API: push
// samples in as they arrive (any chunking), get beats, rhythm events and alarms out, the same
// ones `npm run monitor -- RECORD --jsonl` prints for the same samples.
//
//   const monitor = new StreamingMonitor({ fs: 360 });           // learns the patient's normal beat (5 min)
//   for (const chunk of chunks) for (const r of monitor.push(chunk)) show(r);   // r.type: beat | event | alert
//   const { records, summary } = monitor.end();
//
// With a trained detector (from cardiograd/detector's detectorFromParts) instead of learning:
//   new StreamingMonitor({ fs: 360, detector, modelName: 'dense' })
// The parts (EcgMonitor, BeatAnalysis, the JSON shapes) are exported for callers who want
// their own wiring; StreamingMonitor is the CLI's wiring, nothing more.

import './backends/cpu/index.ts'; // registers the default backend (learning and scoring)

import type { Detector } from './detect/detector.ts';
import { alarmJson, beatJson, eventJson } from './monitor/beat-format.ts';
import { BeatAnalysis, type AnalysisStep } from './monitor/beat-analysis.ts';
import { DetectorScorer } from './monitor/beat-scorer.ts';
import { SummaryAccumulator, type MonitorSummary } from './monitor/beat-summary.ts';
import { EcgMonitor, type MonitorBeat, type MonitorOptions, type MonitorScoring } from './monitor/ecg-monitor.ts';
import type { HolterSummary } from './monitor/holter-summary.ts';
import type { LearnOptions } from './monitor/learn-normal-beat.ts';
import type { AlarmSettings } from './monitor/alarms.ts';
import type { RhythmSettings } from './monitor/rhythm-events.ts';
import { DEFAULT_ALARMS as ALARM_DEFAULTS } from './monitor/alarms.ts';
import { FlatLineAlarms } from './monitor/flat-line-alarm.ts';
import { flatLineAlarmJson, qualityJson, QualityTotals, type QualitySummary } from './monitor/quality-format.ts';
import type { PolarityVerdict } from './signals/polarity.ts';
import { polarityJson } from './signals/polarity.ts';

export { EcgMonitor, DEFAULT_CLASS_LEARN_SECONDS, type MonitorBeat, type MonitorOptions, type MonitorScoring } from './monitor/ecg-monitor.ts';
export { BeatAnalysis, type AnalysisStep } from './monitor/beat-analysis.ts';
export { SummaryAccumulator, type MonitorSummary } from './monitor/beat-summary.ts';
export { DetectorScorer, type BeatScorer, type BeatScore } from './monitor/beat-scorer.ts';
export { DEFAULT_LEARN, type LearnOptions, type LearnedScorer } from './monitor/learn-normal-beat.ts';
export { BEAT_CLASSES, type BeatClass } from './monitor/beat-class.ts';
export { DEFAULT_ALARMS, parseAlarmTypes, type Alarm, type AlarmSettings } from './monitor/alarms.ts';
export { DEFAULT_RHYTHM, type RhythmEvent, type RhythmSettings } from './monitor/rhythm-events.ts';
export type { HolterSummary } from './monitor/holter-summary.ts';
export type { QualityEpisode } from './monitor/quality-episodes.ts';
export { alarmJson, beatJson, eventJson } from './monitor/beat-format.ts';

/** One output record, as the CLI's --jsonl writes it: {"type": "beat" | "event" | "alert" | "quality" | "meta", ...}. */
export type MonitorRecord = Record<string, unknown> & { type: string };

export interface StreamingMonitorOptions {
  /** Sampling rate in Hz. */
  fs: number;
  /** Score with this trained detector (the CLI's --model); without it the normal beat is learned. */
  detector?: Detector;
  /** The detector's name in the scorer's description (the CLI uses the model folder). */
  modelName?: string;
  /** Seconds to learn the normal beat from when there is no detector (default 300: --learn 5m). */
  learnSeconds?: number;
  learn?: Partial<LearnOptions>;
  rhythm?: Partial<RhythmSettings>;
  alarms?: Partial<AlarmSettings>;
  /** Keep each beat (MonitorBeat, with its features) in `beats`; off by default: a live stream never ends. */
  keepBeats?: boolean;
}

/** What end() adds: the last records and the summary object the CLI prints last. */
export interface MonitorEnd {
  records: MonitorRecord[];
  summary: MonitorSummary & { type: 'summary'; fs: number; samples: number; alerts: number; threshold: number; scorer: string; holter: HolterSummary;
    quality: QualitySummary; polarity: PolarityVerdict | null;
    /** Present (false) when the stream ended inside the learning period: no beat was scored. */
    learningFinished?: false; unscoredBeats?: number };
}

export class StreamingMonitor {
  readonly fs: number;
  readonly monitor: EcgMonitor;
  readonly analysis: BeatAnalysis;
  readonly beats: MonitorBeat[] = [];
  private readonly totals: SummaryAccumulator;
  private readonly keep: boolean;
  private readonly flatLine: FlatLineAlarms;
  private readonly quality: QualityTotals;
  private polarityShown = false;
  private scorerText = '';
  private ended = false;
  /** Samples the normal beat is learnt from (null with a trained detector). */
  private readonly learnSamples: number | null;

  constructor(opts: StreamingMonitorOptions) {
    if (!(opts.fs > 0) || !Number.isFinite(opts.fs)) throw new Error(`fs must be a sampling rate in Hz, got ${opts.fs}`);
    this.fs = opts.fs;
    let scoring: MonitorScoring;
    if (opts.detector) {
      const scorer = new DetectorScorer(opts.detector, opts.modelName ?? 'detector');
      this.scorerText = scorer.description;
      this.learnSamples = null;
      scoring = { kind: 'scorer', scorer };
    } else {
      this.learnSamples = (opts.learnSeconds ?? 300) * opts.fs;
      scoring = { kind: 'learn', seconds: opts.learnSeconds ?? 300, options: { seed: 1, ...opts.learn },
        onLearned: (s) => { this.scorerText = s.description; } };
    }
    const options: MonitorOptions = { fs: opts.fs, scoring };
    this.monitor = new EcgMonitor(options);
    this.analysis = new BeatAnalysis(opts.fs, { rhythm: opts.rhythm, alarms: opts.alarms, keepEvents: false });
    this.totals = new SummaryAccumulator(opts.fs);
    this.keep = opts.keepBeats ?? false;
    this.quality = new QualityTotals(opts.fs);
    this.flatLine = new FlatLineAlarms(opts.fs, opts.alarms?.pauseAlarmSeconds ?? ALARM_DEFAULTS.pauseAlarmSeconds);
  }

  /** Samples in (any length, in order); the beats whose window is complete, with the events and alarms they close or raise. */
  push(samples: ArrayLike<number>): MonitorRecord[] {
    if (this.ended) throw new Error('push after end(): this monitor has finished');
    return this.qualityRecords(this.records(this.monitor.push(samples)));
  }

  /** The stream is over: the last beats, events still open, and the summary. */
  end(): MonitorEnd {
    if (this.ended) throw new Error('end() called twice');
    this.ended = true;
    // Ended before the learning period did: the held beats would be scored by a normal beat learnt
    // from themselves, so none is given out (as the CLI does with a stream on stdin).
    const unlearned = this.learnSamples !== null && this.monitor.samplesSeen < this.learnSamples;
    const held = this.monitor.end();
    const records = this.records(unlearned ? [] : held);
    this.steps(this.analysis.end(), records);
    this.qualityRecords(records);
    const samples = this.monitor.samplesSeen;
    const scorer = unlearned
      ? `none: learning never finished (the stream ended inside the ${this.learnSamples! / this.fs} s --learn period; ${held.length} beats not scored)`
      : this.scorerText;
    const summary = { type: 'summary' as const, fs: this.fs, samples, ...this.totals.result(samples),
      alerts: this.analysis.alarms.raised.length, threshold: unlearned ? NaN : (this.monitor.activeScorer?.threshold ?? NaN),
      scorer, holter: this.analysis.summary(samples),
      quality: this.quality.result(), polarity: this.monitor.polarity,
      ...(unlearned ? { learningFinished: false as const, unscoredBeats: held.length } : {}) };
    return { records, summary };
  }

  private records(batch: MonitorBeat[]): MonitorRecord[] {
    const out: MonitorRecord[] = [];
    for (const b of batch) {
      if (this.keep) this.beats.push(b);
      this.totals.add(b);
      out.push(beatJson(b, this.fs) as MonitorRecord);
      this.steps(this.analysis.next(b), out);
    }
    return out;
  }

  /**
   * The lead's polarity (once, before the beats it bears on), quality episodes as they close,
   * and the flat-line alarm while a flat line grows: the CLI's order.
   */
  private qualityRecords(into: MonitorRecord[]): MonitorRecord[] {
    if (!this.polarityShown && this.monitor.polarity) {
      this.polarityShown = true;
      into.unshift(polarityJson(this.monitor.polarity) as MonitorRecord);
    }
    const closed = this.monitor.takeQualityEpisodes();
    for (const e of closed) { this.quality.addEpisode(e); into.push(qualityJson(e, this.fs) as MonitorRecord); }
    for (const a of this.flatLine.update(closed, this.monitor.openQualityEpisode)) {
      this.quality.addAlarm();
      into.push(flatLineAlarmJson(a, this.fs) as MonitorRecord);
    }
    return into;
  }

  private steps(step: AnalysisStep, into: MonitorRecord[]): void {
    for (const e of step.events) into.push(eventJson(e, this.fs) as MonitorRecord);
    for (const a of step.alarms) into.push(alarmJson(a, this.fs) as MonitorRecord);
  }
}
