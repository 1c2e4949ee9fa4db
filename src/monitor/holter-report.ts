// report.html: a Holter-style report of a monitored record, one self-contained page (inline CSS
// and SVG, no scripts, no external resources): the summary (beats by class, N-N heart rate min /
// mean / max, SDNN, RMSSD, PVC burden, event and alarm counts), a per-hour table, a per-minute
// trend (N-N heart rate and PVCs per minute) with unreadable stretches shaded, the signal-quality
// episodes, and strips of each event type on ECG paper.

import { BEAT_CLASSES } from './beat-class.ts';
import type { Alarm } from './alarms.ts';
import type { MonitorBeat } from './ecg-monitor.ts';
import { ECG_PAPER_CSS, ecgStrip, escapeHtml } from './ecg-paper.ts';
import type { HolterSummary } from './holter-summary.ts';
import type { QualityEpisode } from './quality-episodes.ts';
import { RHYTHM_EVENT_TYPES, type RhythmEvent } from './rhythm-events.ts';
import { clock } from './beat-format.ts';

export interface ReportInput {
  title: string;
  fs: number;
  /** The lead as the monitor analysed it: already multiplied by -1 when it was inverted. */
  signal: Float32Array;
  /** The monitor found the lead inverted and flipped it; the strips say so. */
  leadInverted?: boolean;
  beats: readonly MonitorBeat[];
  events: readonly RhythmEvent[];
  alarms: readonly Alarm[];
  summary: HolterSummary;
  /** Unreadable stretches (signal-quality.ts), shaded on the trend and listed. */
  quality?: readonly QualityEpisode[];
  /** How many there were in all, when `quality` holds only the first ones. */
  qualityTotal?: number;
}

/** Strips shown per event type. */
const STRIPS_PER_TYPE = 3;
const STRIP_MIN_SECONDS = 6;
const STRIP_MAX_SECONDS = 10;
/** Rows of the signal-quality table (all of them are shaded on the trend). */
const QUALITY_ROWS = 50;

const num = (v: number | null, d = 1) => (v === null ? 'n/a' : v.toFixed(d));

export function holterReport(r: ReportInput): string {
  const s = r.summary;
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const summary = rows([
    ['duration', clock(s.seconds)],
    ['beats', `${s.beats} (${BEAT_CLASSES.map((c) => `${c} ${s.byClass[c]}`).join(', ')})`],
    ['lead polarity', r.leadInverted ? 'inverted: analysed and shown flipped' : 'upright'],
    ['rhythm', s.pacedRhythm ? `paced rhythm detected: ${s.pacedBeats} paced beats (class Q)` : 'no pacing detected'],
    ['heart rate (N-N), bpm', `min ${num(s.heartRate.min)}, mean ${num(s.heartRate.mean)}, max ${num(s.heartRate.max)}`],
    ['SDNN / RMSSD (N-N), ms', `${num(s.sdnnMs)} / ${num(s.rmssdMs)} (${s.nnIntervals} intervals)`],
    ['PVC burden', `${num(s.pvcBurden.percent, 2)}% of classified beats, ${num(s.pvcBurden.perHour)} per hour, max ${Math.max(0, ...s.pvcBurden.perMinute)} in a minute`],
    ['events', RHYTHM_EVENT_TYPES.map((t) => `${t} ${s.events[t] ?? 0}`).join(', ')],
    ['alarms', r.alarms.length === 0 ? 'none' : r.alarms.map((a) => `${a.type} at ${clock(a.sample / r.fs)}`).join('; ')],
  ]);
  const hours = s.hours.map((h) => `<tr><td>${h.hour}</td><td>${h.beats}</td><td>${h.v}</td><td>${h.beats > 0 ? ((100 * h.v) / h.beats).toFixed(2) : 'n/a'}</td><td>${num(h.minHr)}</td><td>${num(h.meanHr)}</td><td>${num(h.maxHr)}</td></tr>`).join('');
  const strips = RHYTHM_EVENT_TYPES.map((t) => eventStrips(r, t)).filter((x) => x !== '').join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}: Holter report</title><style>` +
    `body{font:14px sans-serif;margin:16px;color:#111}table{border-collapse:collapse;margin:0 0 16px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}` +
    `h2{margin:20px 0 8px}.trend{display:block;margin-bottom:12px}${ECG_PAPER_CSS}</style></head><body>` +
    `<h1>${escapeHtml(r.title)}: Holter report</h1><table class="summary">${summary}</table>` +
    `<h2>Per hour</h2><table class="hours"><tr><th>hour</th><th>beats</th><th>V</th><th>PVC %</th><th>HR min</th><th>HR mean</th><th>HR max</th></tr>${hours}</table>` +
    `<h2>Trend</h2>${trend(r)}` +
    `<h2>Signal quality</h2>${qualityTable(r)}` +
    `<h2>Event strips</h2><p>25 mm/s, 10 mm/mV; letters: beat classes (N, S, V, F, Q).</p>${strips || '<p>No events.</p>'}` +
    `</body></html>\n`;
}

function eventStrips(r: ReportInput, type: RhythmEvent['type']): string {
  const events = r.events.filter((e) => e.type === type).slice(0, STRIPS_PER_TYPE);
  if (events.length === 0) return '';
  const parts = events.map((e) => {
    const span = Math.min(STRIP_MAX_SECONDS, Math.max(STRIP_MIN_SECONDS, (e.end - e.start) / r.fs + 2));
    const centre = (e.start + e.end) / 2;
    const from = Math.max(0, centre - (span * r.fs) / 2);
    const label = `${type} ${clock(e.start / r.fs)} to ${clock(e.end / r.fs)}, ${e.beats} beats` +
      (e.rate !== undefined ? `, ${e.rate.toFixed(0)} bpm` : '') + (e.seconds !== undefined ? `, ${e.seconds.toFixed(2)} s` : '') +
      (r.leadInverted ? ' (lead inverted: shown flipped)' : '');
    return ecgStrip(r.signal, r.fs, from, from + span * r.fs, r.beats, label);
  });
  const total = r.summary.events[type] ?? 0;
  return `<section class="events" data-type="${type}"><h3>${type} (${total})</h3>${parts.join('')}</section>`;
}

/** Per-minute N-N heart rate (line) and PVCs (bars). */
function trend(r: ReportInput): string {
  const minutes = Math.max(1, r.summary.pvcBurden.perMinute.length);
  const sum = new Float64Array(minutes), count = new Float64Array(minutes);
  for (let i = 1; i < r.beats.length; i++) {
    const a = r.beats[i - 1], b = r.beats[i];
    if (a.class !== 'N' || b.class !== 'N') continue;
    const m = Math.min(minutes - 1, Math.floor(b.sample / r.fs / 60));
    sum[m] += (b.sample - a.sample) / r.fs; count[m]++;
  }
  const W = 720, H = 160, pad = 30, bw = (W - 2 * pad) / minutes;
  const hr = Array.from(sum, (v, m) => (count[m] > 0 ? 60 / (v / count[m]) : null));
  const maxHr = Math.max(120, ...hr.filter((v): v is number => v !== null));
  const maxV = Math.max(1, ...r.summary.pvcBurden.perMinute);
  const bars = r.summary.pvcBurden.perMinute.map((v, m) => v > 0
    ? `<rect x="${(pad + m * bw).toFixed(1)}" y="${(H - pad - (v / maxV) * (H - 2 * pad)).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((v / maxV) * (H - 2 * pad)).toFixed(1)}" fill="#e57373"/>` : '').join('');
  const shaded = (r.quality ?? []).map((e) => {
    const x0 = pad + (e.start / r.fs / 60) * bw, x1 = pad + (e.end / r.fs / 60) * bw;
    return `<rect class="quality" data-kind="${escapeHtml(e.kind)}" x="${x0.toFixed(1)}" y="${pad}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${H - 2 * pad}" fill="#9e9e9e" fill-opacity="0.35"/>`;
  }).join('');
  const line = hr.map((v, m) => (v === null ? null : `${(pad + (m + 0.5) * bw).toFixed(1)},${(H - pad - (v / maxHr) * (H - 2 * pad)).toFixed(1)}`)).filter((p) => p !== null).join(' ');
  return `<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${H - 2 * pad}" fill="none" stroke="#ccc"/>${shaded}${bars}` +
    `<polyline points="${line}" fill="none" stroke="#1565c0" stroke-width="1.5"/>` +
    `<text x="${pad}" y="${pad - 8}" font-size="11">N-N heart rate (blue, 0-${maxHr.toFixed(0)} bpm) and PVCs per minute (red bars, max ${maxV}) over ${minutes} min${shaded ? '; grey: unreadable signal' : ''}</text></svg>`;
}

/** The unreadable stretches: beats there are class Q and raise no alarm. */
function qualityTable(r: ReportInput): string {
  const episodes = r.quality ?? [];
  const total = r.qualityTotal ?? episodes.length;
  if (total === 0) return '<p>No unreadable stretches.</p>';
  const rows = episodes.slice(0, QUALITY_ROWS).map((e) =>
    `<tr><td>${escapeHtml(e.kind)}</td><td>${clock(e.start / r.fs)}</td><td>${clock(e.end / r.fs)}</td><td>${((e.end - e.start) / r.fs).toFixed(1)}</td></tr>`).join('');
  const more = total > QUALITY_ROWS ? `<p>First ${QUALITY_ROWS} of ${total} episodes listed.</p>` : '';
  return `<p>${total} unreadable episode(s), shaded grey on the trend; beats inside them are class Q and raise no alarm.</p>` +
    `<table class="quality"><tr><th>kind</th><th>from</th><th>to</th><th>seconds</th></tr>${rows}</table>${more}`;
}
