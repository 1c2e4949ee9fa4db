// SVG figures of a monitored record (pure strings, built on report/svg.ts's blocks):
//   trend.svg:   heart rate (bpm, from RR) and beat score over time, flagged beats in red;
//   flagged.svg: 8-second ECG strips (mV) around the first flagged beats, R peaks marked, flagged red.

import { axes, BLUE, escapeXml, finite, GREY, HEIGHT, legend, MARGIN, makeFrame, minMax, niceTicks, noDataNote,
  polyline, px, RED, svgDocument, titleText, WIDTH } from '../report/svg.ts';
import type { MonitorBeat } from './ecg-monitor.ts';

export function trendChart(beats: readonly MonitorBeat[], fs: number, threshold: number, title: string): string {
  const minutes = (b: MonitorBeat) => b.sample / fs / 60;
  const hr = beats.filter((b) => b.rr !== null).map((b) => [minutes(b), (60 * fs) / b.rr!] as [number, number]);
  const sc = beats.filter((b) => Number.isFinite(b.score)).map((b) => [minutes(b), b.score] as [number, number]);
  if (beats.length === 0) return svgDocument(WIDTH, HEIGHT * 2, title, titleText(title) + noDataNote('no beats'));
  const xr = minMax(beats.map(minutes))!;
  const xt = niceTicks(xr[0], xr[1] > xr[0] ? xr[1] : xr[0] + 1);
  const panel = (points: [number, number][], yLabel: string, color: string, dy: number, extra: (f: ReturnType<typeof makeFrame>) => string) => {
    const yr = minMax(finite(points.map((p) => p[1]))) ?? [0, 1];
    const f = makeFrame(xt, niceTicks(Math.min(yr[0], 0), yr[1] > yr[0] ? yr[1] : yr[0] + 1));
    return `<g transform="translate(0 ${dy})">${axes(f, 'time (minutes)', yLabel)}\n` +
      `<g class="points" fill="${color}">${points.map(([x, y]) => `<circle cx="${px(f.x(x))}" cy="${px(f.y(y))}" r="1.2"/>`).join('')}</g>${extra(f)}</g>`;
  };
  const hrPanel = panel(hr, 'heart rate (bpm)', BLUE, 0, () => '');
  const flagged = beats.filter((b) => b.flagged && Number.isFinite(b.score));
  const scorePanel = panel(sc, 'beat score', GREY, HEIGHT, (f) =>
    `<g class="flagged" fill="${RED}">${flagged.map((b) => `<circle cx="${px(f.x(minutes(b)))}" cy="${px(f.y(b.score))}" r="2"/>`).join('')}</g>` +
    polyline([[f.xTicks.lo, threshold], [f.xTicks.hi, threshold]].map(([x, y]) => [f.x(x), f.y(y)] as [number, number]), RED, 'threshold', true) +
    legend([{ label: 'beat', color: GREY, kind: 'box' }, { label: 'flagged', color: RED, kind: 'box' }, { label: `threshold ${threshold}`, color: RED, kind: 'dashed' }]));
  return svgDocument(WIDTH, HEIGHT * 2, title, `${titleText(title)}\n${hrPanel}\n${scorePanel}`);
}

export interface Stretch { start: number; end: number }

/** Up to `max` 8-second stretches of signal (3 s before to 5 s after a flagged beat), not overlapping, all on one time scale. */
export function flaggedStretches(beats: readonly MonitorBeat[], fs: number, max = 6): Stretch[] {
  const out: Stretch[] = [];
  for (const b of beats) {
    if (!b.flagged) continue;
    if (out.length > 0 && b.sample <= out[out.length - 1].end) continue; // already shown
    if (out.length === max) break;
    out.push({ start: Math.max(0, b.sample - 3 * fs), end: b.sample + 5 * fs });
  }
  return out;
}

const STRIP_HEIGHT = 150;

export function flaggedStrips(signal: Float32Array, beats: readonly MonitorBeat[], fs: number, title: string): string {
  const stretches = flaggedStretches(beats, fs);
  if (stretches.length === 0) return svgDocument(WIDTH, HEIGHT, title, titleText(title) + noDataNote('no flagged beats'));
  const left = MARGIN.left, right = WIDTH - MARGIN.right;
  const parts: string[] = [titleText(title)];
  stretches.forEach((st, k) => {
    const end = Math.min(signal.length - 1, Math.round(st.end));
    const start = Math.round(st.start);
    const top = MARGIN.top + 16 + k * STRIP_HEIGHT, bottom = top + STRIP_HEIGHT - 30;
    const step = Math.max(1, Math.ceil((end - start) / 1200));
    let lo = Infinity, hi = -Infinity;
    for (let i = start; i <= end; i++) { lo = Math.min(lo, signal[i]); hi = Math.max(hi, signal[i]); }
    if (!(hi > lo)) { hi = lo + 1; }
    const span = 8 * fs; // every strip on the same scale: 8 s across the plot
    const x = (i: number) => left + ((i - start) / span) * (right - left);
    const y = (v: number) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
    const pts: [number, number][] = [];
    for (let i = start; i <= end; i += step) pts.push([x(i), y(signal[i])]);
    parts.push(`<g class="strip"><text x="${left}" y="${top - 4}">${escapeXml(`${(start / fs).toFixed(1)} s to ${(end / fs).toFixed(1)} s (mV ${lo.toFixed(2)} to ${hi.toFixed(2)})`)}</text>`);
    parts.push(polyline(pts, BLUE, 'ecg'));
    for (const b of beats) {
      if (b.sample < start || b.sample > end) continue;
      parts.push(`<line x1="${px(x(b.sample))}" y1="${top}" x2="${px(x(b.sample))}" y2="${bottom}" stroke="${b.flagged ? RED : GREY}" stroke-width="${b.flagged ? 1.5 : 0.7}"/>`);
    }
    parts.push('</g>');
  });
  return svgDocument(WIDTH, MARGIN.top + 16 + stretches.length * STRIP_HEIGHT + 10, title, parts.join('\n'));
}
