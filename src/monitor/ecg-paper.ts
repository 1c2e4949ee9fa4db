// One ECG strip on standard paper as SVG, at true size: 25 mm/s, 10 mm/mV, a 1 mm grid with a
// heavier line every 5 mm; the class letter of each beat above its R peak. Units are mm (the
// svg's width/height carry "mm", so a browser prints it at scale).

import type { BeatClass } from './beat-class.ts';

export const MM_PER_SECOND = 25;
export const MM_PER_MV = 10;
const HEIGHT_MM = 30;
const LETTER_BAND_MM = 5;

export interface StripBeat { sample: number; class: BeatClass }

const COLORS: Record<BeatClass, string> = { N: '#222', S: '#1565c0', V: '#c62828', F: '#6a1b9a', Q: '#777' };

export function ecgStrip(signal: Float32Array, fs: number, from: number, to: number, beats: readonly StripBeat[], label: string): string {
  const a = Math.max(0, Math.floor(from)), b = Math.min(signal.length, Math.ceil(to));
  const widthMm = ((b - a) / fs) * MM_PER_SECOND;
  const h = HEIGHT_MM + LETTER_BAND_MM;
  const grid: string[] = [];
  for (let x = 0; x <= widthMm + 1e-9; x += 1) grid.push(`<line x1="${x.toFixed(2)}" y1="${LETTER_BAND_MM}" x2="${x.toFixed(2)}" y2="${h}" class="${Math.round(x) % 5 === 0 ? 'major' : 'minor'}"/>`);
  for (let y = 0; y <= HEIGHT_MM; y += 1) grid.push(`<line x1="0" y1="${LETTER_BAND_MM + y}" x2="${widthMm.toFixed(2)}" y2="${LETTER_BAND_MM + y}" class="${y % 5 === 0 ? 'major' : 'minor'}"/>`);
  const values = Array.from(signal.subarray(a, b)).filter(Number.isFinite).sort((p, q) => p - q);
  const mid = values.length > 0 ? values[Math.floor(values.length / 2)] : 0;
  const centre = LETTER_BAND_MM + HEIGHT_MM * 0.6;
  // At most ~4 points per mm: a 10 s strip at 360 Hz keeps every sample.
  const step = Math.max(1, Math.floor(fs / (MM_PER_SECOND * 4)));
  const pts: string[] = [];
  for (let i = a; i < b; i += step) {
    const v = signal[i];
    if (!Number.isFinite(v)) continue;
    const y = Math.min(h, Math.max(LETTER_BAND_MM, centre - (v - mid) * MM_PER_MV));
    pts.push(`${(((i - a) / fs) * MM_PER_SECOND).toFixed(2)},${y.toFixed(2)}`);
  }
  const letters = beats.filter((t) => t.sample >= a && t.sample < b).map((t) =>
    `<text x="${(((t.sample - a) / fs) * MM_PER_SECOND).toFixed(2)}" y="${LETTER_BAND_MM - 1}" fill="${COLORS[t.class]}">${t.class}</text>`);
  return `<figure class="strip"><figcaption>${escapeHtml(label)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthMm.toFixed(2)}mm" height="${h}mm" viewBox="0 0 ${widthMm.toFixed(2)} ${h}">` +
    `<g class="grid">${grid.join('')}</g><polyline class="ecg" points="${pts.join(' ')}"/><g class="letters">${letters.join('')}</g></svg></figure>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export const ECG_PAPER_CSS = `.strip svg .grid line.minor{stroke:#f6c6c6;stroke-width:0.1}.strip svg .grid line.major{stroke:#e88;stroke-width:0.25}` +
  `.strip svg .ecg{fill:none;stroke:#000;stroke-width:0.3;stroke-linejoin:round}.strip svg text{font:bold 3.5px sans-serif;text-anchor:middle}` +
  `.strip{margin:0 0 6mm 0}.strip figcaption{font:13px sans-serif;margin-bottom:2px}`;
