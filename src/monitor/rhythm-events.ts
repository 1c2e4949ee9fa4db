// Rhythm events from the classified beats, in order, streaming:
//   couplet      exactly 2 V beats in a row;
//   vt           3 or more V beats in a row (a ventricular run), with its rate;
//   sve-run      3 or more S beats in a row;
//   bigeminy     at least 3 N-V pairs in a row (N V N V N V);
//   trigeminy    at least 3 N-N-V triples in a row;
//   pause        an RR interval over `pauseSeconds` (2 s) between two readable beats;
//   bradycardia / tachycardia  the heart rate from N-N intervals only (60 / mean of the last 8)
//                below / above a limit for at least `rateMinSeconds`.
// A Q beat (unreadable signal) breaks every pattern and no event is made from it. Each event has
// its first and last beat (R samples) and its beat count. `started` reports events as soon as
// they qualify (for alarms); `ended` reports them complete.

import type { BeatClass } from './beat-class.ts';

export type RhythmEventType = 'couplet' | 'vt' | 'sve-run' | 'bigeminy' | 'trigeminy' | 'pause' | 'bradycardia' | 'tachycardia';
export const RHYTHM_EVENT_TYPES: readonly RhythmEventType[] = ['vt', 'couplet', 'bigeminy', 'trigeminy', 'sve-run', 'pause', 'bradycardia', 'tachycardia'];

export interface RhythmEvent {
  type: RhythmEventType;
  /** R samples of the first and last beat (a pause: the beats either side). */
  start: number;
  end: number;
  beats: number;
  /** Rate in bpm: of the run (vt, sve-run), or the mean N-N heart rate of the episode (brady/tachy). */
  rate?: number;
  /** A pause's length in seconds. */
  seconds?: number;
}

export interface RhythmSettings {
  pauseSeconds: number;
  bradyBpm: number;
  tachyBpm: number;
  rateMinSeconds: number;
}

export const DEFAULT_RHYTHM: RhythmSettings = { pauseSeconds: 2, bradyBpm: 50, tachyBpm: 120, rateMinSeconds: 10 };

export interface EventBeat { sample: number; class: BeatClass }
export interface EventUpdate { started: RhythmEvent[]; ended: RhythmEvent[] }

const NN_RATE_BEATS = 8;

interface Run { cls: BeatClass; first: number; last: number; beats: number }
interface Episode { type: 'bradycardia' | 'tachycardia'; first: number; last: number; beats: number; rateSum: number; announced: boolean }

export class RhythmEvents {
  readonly settings: RhythmSettings;
  private run: Run | null = null;
  private prev: EventBeat | null = null;
  // Bigeminy / trigeminy: the pattern being followed, its cycles, and where it began.
  private pattern: { period: 2 | 3; first: number; last: number; cycles: number; phase: BeatClass[] } | null = null;
  private recent: EventBeat[] = [];
  private readonly nn: number[] = [];
  private episode: Episode | null = null;

  constructor(private readonly fs: number, settings: Partial<RhythmSettings> = {}) {
    this.settings = { ...DEFAULT_RHYTHM, ...settings };
    for (const [k, v] of Object.entries(this.settings)) if (!(v > 0)) throw new Error(`rhythm setting ${k} must be positive, got ${v}`);
  }

  next(b: EventBeat): EventUpdate {
    const u: EventUpdate = { started: [], ended: [] };
    this.runs(b, u);
    this.patterns(b, u);
    this.pause(b, u);
    this.rate(b, u);
    this.prev = b;
    return u;
  }

  end(): EventUpdate {
    const u: EventUpdate = { started: [], ended: [] };
    this.closeRun(u);
    this.closePattern(u);
    this.closeEpisode(u);
    return u;
  }

  private runs(b: EventBeat, u: EventUpdate): void {
    if (this.run && this.run.cls === b.class) {
      this.run.last = b.sample; this.run.beats++;
      if (this.run.beats === 3) u.started.push(this.runEvent(this.run)!);
      return;
    }
    this.closeRun(u);
    if (b.class === 'V' || b.class === 'S') this.run = { cls: b.class, first: b.sample, last: b.sample, beats: 1 };
  }

  private runEvent(r: Run): RhythmEvent | null {
    const rate = r.beats > 1 ? (60 * this.fs * (r.beats - 1)) / (r.last - r.first) : undefined;
    if (r.cls === 'V' && r.beats === 2) return { type: 'couplet', start: r.first, end: r.last, beats: 2 };
    if (r.beats >= 3) return { type: r.cls === 'V' ? 'vt' : 'sve-run', start: r.first, end: r.last, beats: r.beats, rate };
    return null;
  }

  private closeRun(u: EventUpdate): void {
    const e = this.run ? this.runEvent(this.run) : null;
    if (e) u.ended.push(e);
    this.run = null;
  }

  private patterns(b: EventBeat, u: EventUpdate): void {
    this.recent.push(b);
    if (this.recent.length > 9) this.recent.shift();
    const p = this.pattern;
    if (p) {
      const expected = p.phase[(this.recentIndexInPattern++) % p.period];
      if (b.class === expected) {
        p.last = b.sample;
        if (b.class === 'V') p.cycles++;
        return;
      }
      this.closePattern(u);
      this.recent.push(b); // the beat that broke the pattern may begin the next one
    }
    // A pattern begins once its first 3 cycles are seen: N V N V N V, or N N V N N V N N V.
    for (const period of [2, 3] as const) {
      const need = 3 * period;
      const tail = this.recentTail(need);
      if (!tail) continue;
      const phase: BeatClass[] = period === 2 ? ['N', 'V'] : ['N', 'N', 'V'];
      if (tail.every((t, i) => t.class === phase[i % period])) {
        this.pattern = { period, first: tail[0].sample, last: b.sample, cycles: 3, phase };
        this.recentIndexInPattern = 0;
        return;
      }
    }
  }

  private recentIndexInPattern = 0;

  private recentTail(n: number): EventBeat[] | null {
    return this.recent.length >= n ? this.recent.slice(this.recent.length - n) : null;
  }

  private closePattern(u: EventUpdate): void {
    const p = this.pattern;
    if (p) u.ended.push({ type: p.period === 2 ? 'bigeminy' : 'trigeminy', start: p.first, end: p.last, beats: p.cycles * p.period });
    this.pattern = null;
    this.recent = [];
  }

  private pause(b: EventBeat, u: EventUpdate): void {
    const prev = this.prev;
    if (!prev || prev.class === 'Q' || b.class === 'Q') return;
    const seconds = (b.sample - prev.sample) / this.fs;
    if (seconds > this.settings.pauseSeconds) {
      const e: RhythmEvent = { type: 'pause', start: prev.sample, end: b.sample, beats: 2, seconds };
      u.started.push(e); u.ended.push(e);
    }
  }

  /** Heart rate from N-N intervals only: consecutive N beats. */
  private rate(b: EventBeat, u: EventUpdate): void {
    const prev = this.prev;
    if (b.class === 'Q') { this.closeEpisode(u); this.nn.length = 0; return; }
    if (!prev || prev.class !== 'N' || b.class !== 'N') return;
    this.nn.push(b.sample - prev.sample);
    if (this.nn.length > NN_RATE_BEATS) this.nn.shift();
    if (this.nn.length < NN_RATE_BEATS) return;
    const bpm = (60 * this.fs * this.nn.length) / this.nn.reduce((s, v) => s + v, 0);
    const type = bpm < this.settings.bradyBpm ? 'bradycardia' : bpm > this.settings.tachyBpm ? 'tachycardia' : null;
    const ep = this.episode;
    if (ep && ep.type === type) {
      ep.last = b.sample; ep.beats++; ep.rateSum += bpm;
    } else {
      this.closeEpisode(u);
      if (type) this.episode = { type, first: b.sample, last: b.sample, beats: 1, rateSum: bpm, announced: false };
    }
    const e = this.episode;
    if (e && !e.announced && (e.last - e.first) / this.fs >= this.settings.rateMinSeconds) {
      e.announced = true;
      u.started.push(this.episodeEvent(e));
    }
  }

  private episodeEvent(e: Episode): RhythmEvent {
    return { type: e.type, start: e.first, end: e.last, beats: e.beats, rate: e.rateSum / e.beats };
  }

  private closeEpisode(u: EventUpdate): void {
    const e = this.episode;
    if (e && e.announced) u.ended.push(this.episodeEvent(e));
    this.episode = null;
  }
}
