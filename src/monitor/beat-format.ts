// How beats, alerts and the summary are written: aligned text lines for people, or one JSON
// object per line (--jsonl) for programs. A score that is not finite is written as null (JSON
// has no Infinity/NaN) and its beat is always flagged.

import type { MonitorBeat } from './ecg-monitor.ts';
import type { AlertEvent } from './run-alerts.ts';

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
    score: finiteOrNull(b.score), error: finiteOrNull(b.error), flagged: b.flagged, learning: b.learning, class: b.class };
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
