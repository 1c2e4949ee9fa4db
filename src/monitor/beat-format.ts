// How beats, alerts and the summary are written: aligned text lines for people, or one JSON
// object per line (--jsonl) for programs. A score that is not finite is written as null (JSON
// has no Infinity/NaN) and its beat is always flagged.

import type { MonitorBeat } from './ecg-monitor.ts';
import type { AlertEvent } from './run-alerts.ts';
import type { Alarm } from './alarms.ts';
import type { RhythmEvent } from './rhythm-events.ts';

/** "01:02:03.456" from seconds. */
export function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000), m = Math.floor((ms % 3_600_000) / 60_000), s = (ms % 60_000) / 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

export function beatJson(b: MonitorBeat, fs: number): Record<string, unknown> {
  return { type: 'beat', index: b.index, sample: b.sample, time: b.sample / fs,
    rr_ms: b.rr === null ? null : (1000 * b.rr) / fs, prematurity: finiteOrNull(b.prematurity),
    score: finiteOrNull(b.score), error: finiteOrNull(b.error), flagged: b.flagged, learning: b.learning, class: b.class,
    ...(b.paced ? { paced: true } : {}) };
}

export const BEAT_HEADER = 'time          sample     RR ms   score  class  flag';

export function beatLine(b: MonitorBeat, fs: number): string {
  const rr = b.rr === null ? '-' : String(Math.round((1000 * b.rr) / fs));
  const score = Number.isFinite(b.score) ? b.score.toFixed(3) : 'n/a';
  return `${clock(b.sample / fs)}  ${String(b.sample).padStart(9)}  ${rr.padStart(6)}  ${score.padStart(8)}  ${b.class.padStart(5)}  ${b.flagged ? 'FLAGGED' : 'ok'}${b.learning ? '  (learning)' : ''}`;
}

export function alertJson(e: AlertEvent, fs: number): Record<string, unknown> {
  return { type: e.kind === 'start' ? 'alert' : 'alert_end', beats: e.run.beats, first_sample: e.run.firstSample,
    last_sample: e.run.lastSample, start: e.run.firstSample / fs, end: e.run.lastSample / fs };
}

export function alertLine(e: AlertEvent, fs: number): string {
  return e.kind === 'start'
    ? `ALERT  ${e.run.beats} flagged beats in a row from ${clock(e.run.firstSample / fs)}`
    : `ALERT END  run of ${e.run.beats} flagged beats, ${clock(e.run.firstSample / fs)} to ${clock(e.run.lastSample / fs)}`;
}

export function eventJson(e: RhythmEvent, fs: number): Record<string, unknown> {
  return { type: 'event', event: e.type, start_sample: e.start, end_sample: e.end, start: e.start / fs, end: e.end / fs, beats: e.beats,
    ...(e.rate !== undefined ? { rate_bpm: e.rate } : {}), ...(e.seconds !== undefined ? { seconds: e.seconds } : {}) };
}

export function eventLine(e: RhythmEvent, fs: number): string {
  const extra = e.rate !== undefined ? `, ${e.rate.toFixed(0)} bpm` : e.seconds !== undefined ? `, ${e.seconds.toFixed(2)} s` : '';
  return `EVENT  ${e.type} ${clock(e.start / fs)} to ${clock(e.end / fs)} (${e.beats} beats${extra})`;
}

export function alarmJson(a: Alarm, fs: number): Record<string, unknown> {
  return { type: 'alert', event: a.type, sample: a.sample, time: a.sample / fs, start_sample: a.event.start, start: a.event.start / fs,
    beats: a.event.beats, ...(a.event.rate !== undefined ? { rate_bpm: a.event.rate } : {}), ...(a.event.seconds !== undefined ? { seconds: a.event.seconds } : {}) };
}

export function alarmLine(a: Alarm, fs: number): string {
  const e = a.event;
  const what = e.type === 'pause' ? `pause of ${e.seconds!.toFixed(2)} s` : e.type === 'vt' ? `VT run (${e.beats} V beats so far, ${e.rate!.toFixed(0)} bpm)` : `${e.type} (${e.rate!.toFixed(0)} bpm N-N)`;
  return `ALARM  ${what} at ${clock(a.sample / fs)}`;
}
