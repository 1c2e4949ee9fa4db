// How quality episodes and flat-line alarms are written (beside beat-format.ts): a text line or
// one JSON object per line (--jsonl: "type": "quality" with start/end in seconds and samples, its
// kind; a flat-line alarm is an "alert" with event "asystole"), and their totals for the summary.

import { clock } from './beat-format.ts';
import type { FlatLineAlarm } from './flat-line-alarm.ts';
import type { QualityEpisode } from './quality-episodes.ts';

export function qualityJson(e: QualityEpisode, fs: number): Record<string, unknown> {
  return { type: 'quality', kind: e.kind, start_sample: e.start, end_sample: e.end, start: e.start / fs, end: e.end / fs, seconds: (e.end - e.start) / fs };
}

export function qualityLine(e: QualityEpisode, fs: number): string {
  return `QUALITY  ${e.kind} ${clock(e.start / fs)} to ${clock(e.end / fs)} (${((e.end - e.start) / fs).toFixed(1)} s)`;
}

export function flatLineAlarmJson(a: FlatLineAlarm, fs: number): Record<string, unknown> {
  return { type: 'alert', event: a.type, message: a.message, technical: true, sample: a.sample, time: a.sample / fs, start_sample: a.start, start: a.start / fs };
}

export function flatLineAlarmLine(a: FlatLineAlarm, fs: number): string {
  return `ALARM  ${a.message}: flat line since ${clock(a.start / fs)} (at ${clock(a.sample / fs)})`;
}

export interface QualitySummary {
  episodes: number;
  /** Seconds of each kind of episode. */
  seconds: Record<string, number>;
  /** Flat-line ("possible asystole or lead off") alarms. */
  flatLineAlarms: number;
}

/** Episodes kept for the report (a week of bad signal stays bounded; the totals count them all). */
export const REPORTED_EPISODES_MAX = 10_000;

export class QualityTotals {
  private episodes = 0;
  private readonly seconds: Record<string, number> = {};
  private alarms = 0;
  private readonly kept: QualityEpisode[] = [];
  constructor(private readonly fs: number) {}

  addEpisode(e: QualityEpisode): void {
    this.episodes++;
    this.seconds[e.kind] = (this.seconds[e.kind] ?? 0) + (e.end - e.start) / this.fs;
    if (this.kept.length < REPORTED_EPISODES_MAX) this.kept.push({ start: e.start, end: e.end, kind: e.kind });
  }

  /** The first REPORTED_EPISODES_MAX episodes, in order: what the report shades. */
  get list(): readonly QualityEpisode[] { return this.kept; }

  addAlarm(): void { this.alarms++; }

  result(): QualitySummary { return { episodes: this.episodes, seconds: { ...this.seconds }, flatLineAlarms: this.alarms }; }
}

export function qualitySummaryLine(q: QualitySummary): string {
  const kinds = Object.entries(q.seconds).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ');
  return `signal quality: ${q.episodes} unreadable episode(s)${kinds ? ` (${kinds})` : ''}; ${q.flatLineAlarms} flat-line alarm(s) (possible asystole or lead off)`;
}
