// The Holter-style summary of a monitored record, accumulated beat by beat: beats by class;
// heart rate from N-N intervals only (consecutive N beats), min / mean / max overall and per
// hour (min and max of the running mean of the last 8 N-N intervals, so one missed or extra beat
// does not set them; an ectopic beat leaves its two intervals out but does not empty the window,
// so a record whose sinus beats rarely come 9 in a row (record 232) still has a min and max);
// SDNN and RMSSD of the N-N intervals (ms); PVC burden per minute, per hour and as a share
// of the classified beats; rhythm events counted by type; paced beats (a paced rhythm detected).

import { BEAT_CLASSES, type BeatClass } from './beat-class.ts';
import type { RhythmEvent, RhythmEventType } from './rhythm-events.ts';

export interface HourStats { hour: number; beats: number; v: number; minHr: number | null; meanHr: number | null; maxHr: number | null }

export interface HolterSummary {
  seconds: number;
  beats: number;
  byClass: Record<BeatClass, number>;
  /** Paced beats (class Q, pacing.ts); pacedRhythm when there are any: "paced rhythm detected". */
  pacedBeats: number;
  pacedRhythm: boolean;
  heartRate: { min: number | null; mean: number | null; max: number | null };
  sdnnMs: number | null;
  rmssdMs: number | null;
  nnIntervals: number;
  pvcBurden: { percent: number | null; perHour: number | null; perMinute: number[] };
  hours: HourStats[];
  events: Partial<Record<RhythmEventType, number>>;
}

const RUNNING = 8;

export class HolterAccumulator {
  private beats = 0;
  private paced = 0;
  private readonly byClass = Object.fromEntries(BEAT_CLASSES.map((c) => [c, 0])) as Record<BeatClass, number>;
  private prev: { sample: number; class: BeatClass } | null = null;
  private prevNn: number | null = null;
  private nnSum = 0; private nnSq = 0; private nnCount = 0;
  private diffSq = 0; private diffCount = 0;
  private readonly running: number[] = [];
  private hrMin = Infinity; private hrMax = -Infinity;
  private readonly perMinute: number[] = [];
  private readonly hours: { beats: number; v: number; nnSum: number; nnCount: number; min: number; max: number }[] = [];
  private readonly events: Partial<Record<RhythmEventType, number>> = {};

  constructor(private readonly fs: number) {}

  addBeat(b: { sample: number; class: BeatClass; paced?: boolean }): void {
    this.beats++;
    if (b.paced) this.paced++;
    this.byClass[b.class]++;
    const hour = this.hour(b.sample);
    hour.beats++;
    if (b.class === 'V') {
      hour.v++;
      const m = Math.floor(b.sample / this.fs / 60);
      while (this.perMinute.length <= m) this.perMinute.push(0);
      this.perMinute[m]++;
    }
    if (this.prev && this.prev.class === 'N' && b.class === 'N') this.addNn((1000 * (b.sample - this.prev.sample)) / this.fs, hour);
    else this.prevNn = null;
    this.prev = b;
  }

  addEvent(e: RhythmEvent): void {
    this.events[e.type] = (this.events[e.type] ?? 0) + 1;
  }

  private hour(sample: number) {
    const h = Math.floor(sample / this.fs / 3600);
    while (this.hours.length <= h) this.hours.push({ beats: 0, v: 0, nnSum: 0, nnCount: 0, min: Infinity, max: -Infinity });
    return this.hours[h];
  }

  private addNn(ms: number, hour: ReturnType<HolterAccumulator['hour']>): void {
    this.nnSum += ms; this.nnSq += ms * ms; this.nnCount++;
    hour.nnSum += ms; hour.nnCount++;
    if (this.prevNn !== null) { const d = ms - this.prevNn; this.diffSq += d * d; this.diffCount++; }
    this.prevNn = ms;
    this.running.push(ms);
    if (this.running.length > RUNNING) this.running.shift();
    if (this.running.length === RUNNING) {
      const hr = 60000 / (this.running.reduce((s, v) => s + v, 0) / RUNNING);
      this.hrMin = Math.min(this.hrMin, hr); this.hrMax = Math.max(this.hrMax, hr);
      hour.min = Math.min(hour.min, hr); hour.max = Math.max(hour.max, hr);
    }
  }

  result(totalSamples: number): HolterSummary {
    const seconds = totalSamples / this.fs;
    const fin = (v: number) => (Number.isFinite(v) ? v : null);
    const mean = this.nnCount > 0 ? this.nnSum / this.nnCount : null;
    const classified = this.beats - this.byClass.Q;
    const minutes = Math.ceil(seconds / 60);
    const perMinute = Array.from({ length: minutes }, (_, i) => this.perMinute[i] ?? 0);
    return {
      seconds, beats: this.beats, byClass: { ...this.byClass }, pacedBeats: this.paced, pacedRhythm: this.paced > 0,
      heartRate: { min: fin(this.hrMin), mean: mean ? 60000 / mean : null, max: fin(this.hrMax) },
      sdnnMs: this.nnCount > 1 ? Math.sqrt(Math.max(0, this.nnSq / this.nnCount - mean! * mean!)) : null,
      rmssdMs: this.diffCount > 0 ? Math.sqrt(this.diffSq / this.diffCount) : null,
      nnIntervals: this.nnCount,
      pvcBurden: { percent: classified > 0 ? (100 * this.byClass.V) / classified : null,
        perHour: seconds > 0 ? this.byClass.V / (seconds / 3600) : null, perMinute },
      hours: this.hours.map((h, i) => ({ hour: i, beats: h.beats, v: h.v, minHr: fin(h.min), meanHr: h.nnCount ? 60000 / (h.nnSum / h.nnCount) : null, maxHr: fin(h.max) })),
      events: { ...this.events },
    };
  }
}
