// SVG building blocks shared by the report plots (plots.ts): a fixed 640x400 canvas, "nice"
// ticks (steps of 1, 2 or 5 times a power of ten), axes, title, legend, lines. Values that are
// NaN or Infinity are dropped here, never written into the SVG. No dependencies (runs anywhere).

export const WIDTH = 640;
export const HEIGHT = 400;
export const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };

export const BLUE = '#1f77b4';
export const ORANGE = '#ff7f0e';
export const RED = '#d62728';
export const GREY = '#888888';

// ---------------------------------------------------------------------------------------------
// Small helpers: text, numbers, scales, ticks

/** Escape text for use inside SVG elements and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate with one decimal: short files, and plenty for a screen. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** A value for a label: three significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  return Number(v.toPrecision(3)).toString();
}

/** A tick label: as many decimals as the tick step needs, no more. */
export function formatTick(v: number, step: number): string {
  if (Math.abs(v) < step / 2) return '0'; // no "-0" or 1e-17 rounding noise
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  if (decimals > 6 || Math.abs(v) >= 1e6) return v.toExponential(1);
  return v.toFixed(decimals);
}

export function finite(values: Iterable<number>): number[] {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return out;
}

export function minMax(values: number[]): [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

export interface Ticks {
  lo: number;
  hi: number;
  step: number;
  values: number[];
}

/**
 * About `target` evenly spaced round tick values covering [lo, hi]; the axis is widened to
 * the outer ticks. An empty range (constant data) is padded so it still has a width.
 */
export function niceTicks(lo: number, hi: number, target = 5, integer = false): Ticks {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  let step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step), last = Math.ceil(hi / step);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(i * step); // i * step: no drift from adding
  return { lo: first * step, hi: last * step, step, values };
}

/** Maps data values to pixels inside the plot area (SVG y grows downward, so y is flipped). */
export interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  xTicks: Ticks;
  yTicks: Ticks;
}

export function makeFrame(xTicks: Ticks, yTicks: Ticks): Frame {
  const left = MARGIN.left, right = WIDTH - MARGIN.right;
  const top = MARGIN.top, bottom = HEIGHT - MARGIN.bottom;
  return {
    x: (v) => left + ((v - xTicks.lo) / (xTicks.hi - xTicks.lo)) * (right - left),
    y: (v) => bottom - ((v - yTicks.lo) / (yTicks.hi - yTicks.lo)) * (bottom - top),
    xTicks,
    yTicks,
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks: document, axes, title, legend, lines

export function svgDocument(width: number, height: number, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

export function titleText(text: string): string {
  return `<text class="title" x="${WIDTH / 2}" y="${MARGIN.top / 2 + 5}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(text)}</text>`;
}

/** Grid lines, the two axes, tick marks with labels, and the axis titles. */
export function axes(f: Frame, xLabel: string, yLabel: string): string {
  const left = MARGIN.left, right = WIDTH - MARGIN.right;
  const top = MARGIN.top, bottom = HEIGHT - MARGIN.bottom;
  const out: string[] = ['<g class="axes" stroke="none" fill="black">'];
  for (const v of f.xTicks.values) {
    const x = px(f.x(v));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#eeeeee"/>`);
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${formatTick(v, f.xTicks.step)}</text>`);
  }
  for (const v of f.yTicks.values) {
    const y = px(f.y(v));
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eeeeee"/>`);
    out.push(`<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(v, f.yTicks.step)}</text>`);
  }
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="black"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="black"/>`);
  out.push(`<text class="x-label" x="${(left + right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  const midY = (top + bottom) / 2;
  out.push(`<text class="y-label" x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})">${escapeXml(yLabel)}</text>`);
  out.push('</g>');
  return out.join('\n');
}

export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'dashed' | 'box';
}

/** A legend box in the top-right corner of the plot area. */
export function legend(items: LegendItem[]): string {
  if (items.length === 0) return '';
  const rowHeight = 18;
  const width = 28 + 7 * Math.max(...items.map((i) => i.label.length));
  const x0 = WIDTH - MARGIN.right - width - 8, y0 = MARGIN.top + 8;
  const out = [`<g class="legend">`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${items.length * rowHeight + 8}" fill="white" fill-opacity="0.85" stroke="#cccccc"/>`];
  items.forEach((item, i) => {
    const y = y0 + 4 + rowHeight * i + rowHeight / 2;
    if (item.kind === 'box') {
      out.push(`<rect x="${x0 + 6}" y="${y - 5}" width="14" height="10" fill="${item.color}" fill-opacity="0.5" stroke="${item.color}"/>`);
    } else {
      const dash = item.kind === 'dashed' ? ' stroke-dasharray="5 3"' : '';
      out.push(`<line x1="${x0 + 4}" y1="${y}" x2="${x0 + 22}" y2="${y}" stroke="${item.color}" stroke-width="2"${dash}/>`);
    }
    out.push(`<text x="${x0 + 26}" y="${y}" dominant-baseline="middle">${escapeXml(item.label)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

export function polyline(points: [number, number][], color: string, cls: string, dashed = false): string {
  if (points.length === 0) return '';
  const dash = dashed ? ' stroke-dasharray="6 4"' : '';
  const coords = points.map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
  // A single point draws no line, so mark it with a dot.
  const dot = points.length === 1 ? `\n<circle cx="${px(points[0][0])}" cy="${px(points[0][1])}" r="3" fill="${color}"/>` : '';
  return `<polyline class="${cls}" points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dash}/>${dot}`;
}

export function noDataNote(text: string): string {
  return `<text class="note" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="${GREY}" font-size="14">${escapeXml(text)}</text>`;
}
