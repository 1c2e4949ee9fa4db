// SVG plots of a detector's evaluation on labelled beats (no dependencies, runs anywhere):
//   prCurveSvg            precision vs recall as the threshold sweeps, with average precision
//   confusionHeatmapSvg   the 2x2 confusion matrix, cells shaded by their share of the true class
//   classRecallSvg        per original class: the share of its beats flagged
//   classHistogramsSvg    reconstruction errors per original class, one small panel each,
//                         shared bins and the threshold line on every panel
// Labels: 1 = anomaly (the positive class). NaN/Infinity are dropped, never written.

import {
  WIDTH, HEIGHT, MARGIN, type LegendItem, BLUE, RED, GREY, px, formatValue, formatTick, finite, minMax, type Ticks,
  niceTicks, makeFrame, svgDocument, titleText, axes, legend, polyline, noDataNote, escapeXml,
} from './svg.ts';
import type { Confusion, ClassDetection } from '../evaluation/metrics.ts';
import { operatingPoint, operatingPointMark, thresholdLabel } from './operating-point.ts';

/** Class colours: normal is always blue (as in the other plots), then a colour-blind-safe cycle. */
const CLASS_COLORS = ['#d62728', '#ff7f0e', '#9467bd', '#2ca02c', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export function classColor(label: string, normalLabel: string, order: readonly string[]): string {
  if (label === normalLabel) return BLUE;
  const others = order.filter((c) => c !== normalLabel);
  return CLASS_COLORS[Math.max(0, others.indexOf(label)) % CLASS_COLORS.length];
}

/** Class labels in a stable order: numeric ones by value, then the rest alphabetically. */
export function sortClasses(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => (Number(a) - Number(b)) || a.localeCompare(b));
}

// ---------------------------------------------------------------------------------------------
// Precision-recall curve

/**
 * (recall, precision) after each distinct score, highest first (tied scores enter together),
 * starting at recall 0 with the first point's precision, as sklearn's precision_recall_curve.
 */
export function prPoints(scores: ArrayLike<number>, labels: ArrayLike<number>): [number, number][] {
  const pairs: { score: number; positive: boolean }[] = [];
  const n = Math.min(scores.length, labels.length);
  for (let i = 0; i < n; i++) if (!Number.isNaN(scores[i])) pairs.push({ score: scores[i], positive: labels[i] === 1 });
  pairs.sort((a, b) => b.score - a.score || 0);
  const positives = pairs.filter((p) => p.positive).length;
  if (positives === 0) return [];
  const points: [number, number][] = [];
  let tp = 0, fp = 0;
  pairs.forEach((p, i) => {
    if (p.positive) tp++; else fp++;
    if (i === pairs.length - 1 || pairs[i + 1].score !== p.score) points.push([tp / positives, tp / (tp + fp)]);
  });
  return [[0, points[0][1]], ...points];
}

/** `threshold`: marked on the curve. */
export function prCurveSvg(scores: ArrayLike<number>, labels: ArrayLike<number>, averagePrecision?: number, threshold?: number): string {
  const points = prPoints(scores, labels);
  const n = Math.min(scores.length, labels.length);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positives++;
  const axis: Ticks = { lo: 0, hi: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  const f = makeFrame(axis, axis);
  const title = `Precision-recall curve (AP = ${averagePrecision === undefined ? 'n/a' : formatValue(averagePrecision)})`;
  const parts = [axes(f, 'recall (anomalies caught)', 'precision (flags that are anomalies)')];
  const items: LegendItem[] = [{ label: 'detector', color: RED, kind: 'line' }];
  if (positives > 0 && positives < n) {
    const base = positives / n; // a detector that flags at random
    parts.push(`<line class="chance" x1="${px(f.x(0))}" y1="${px(f.y(base))}" x2="${px(f.x(1))}" y2="${px(f.y(base))}" stroke="${GREY}" stroke-dasharray="4 4"/>`);
    items.push({ label: `chance (${formatValue(base)})`, color: GREY, kind: 'dashed' });
  } else {
    parts.push(noDataNote('a precision-recall curve needs both normal and anomalous beats'));
  }
  parts.push(polyline(points.map(([x, y]) => [f.x(x), f.y(y)]), RED, 'pr'));
  const op = threshold === undefined ? null : operatingPoint(scores, labels, threshold);
  if (op) parts.push(operatingPointMark(f.x(op.recall), f.y(op.precision), `${thresholdLabel(op.threshold)}: recall ${formatValue(op.recall)}, precision ${formatValue(op.precision)}`));
  parts.push(legend(items), titleText(title));
  return svgDocument(WIDTH, HEIGHT, title, parts.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix

/** Rows: truth (anomaly, normal); columns: the detector's answer (flagged, not flagged). */
export function confusionHeatmapSvg(c: Confusion): string {
  const size = 400, cell = 130, x0 = 150, y0 = 90;
  const rows = [
    { truth: 'anomaly', cells: [{ v: c.tp, name: 'TP' }, { v: c.fn, name: 'FN' }] },
    { truth: 'normal', cells: [{ v: c.fp, name: 'FP' }, { v: c.tn, name: 'TN' }] },
  ];
  const out: string[] = [];
  out.push(`<text class="title" x="${size / 2 + 40}" y="25" text-anchor="middle" font-size="15" font-weight="bold">Confusion matrix</text>`);
  out.push(`<text x="${x0 + cell}" y="${y0 - 32}" text-anchor="middle">detector's answer</text>`);
  ['flagged', 'not flagged'].forEach((h, j) => out.push(`<text x="${x0 + cell * j + cell / 2}" y="${y0 - 10}" text-anchor="middle">${h}</text>`));
  out.push(`<text x="30" y="${y0 + cell}" text-anchor="middle" transform="rotate(-90 30 ${y0 + cell})">truth</text>`);
  rows.forEach((row, i) => {
    const total = row.cells[0].v + row.cells[1].v;
    out.push(`<text x="${x0 - 10}" y="${y0 + cell * i + cell / 2}" text-anchor="end" dominant-baseline="middle">${row.truth} (n=${total})</text>`);
    row.cells.forEach((cl, j) => {
      const share = total > 0 ? cl.v / total : 0;
      const correct = i === j; // TP and TN sit on the diagonal
      const color = correct ? BLUE : RED;
      const x = x0 + cell * j, y = y0 + cell * i;
      out.push(`<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${color}" fill-opacity="${px(0.08 + 0.8 * share)}" stroke="white" stroke-width="2"/>`);
      const ink = share > 0.55 ? 'white' : 'black';
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 - 8}" text-anchor="middle" font-size="20" fill="${ink}">${cl.v}</text>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 16}" text-anchor="middle" fill="${ink}">${cl.name} · ${(100 * share).toFixed(1)}% of row</text>`);
    });
  });
  return svgDocument(size + 80, size, 'Confusion matrix', out.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Share flagged per class

export function classRecallSvg(byClass: Record<string, ClassDetection>, normalLabel: string): string {
  const classes = sortClasses(Object.keys(byClass));
  const rowH = 34, top = 50, left = 190, right = 130, width = WIDTH;
  const height = top + rowH * Math.max(1, classes.length) + 50;
  const barMax = width - left - right;
  const out = [`<text class="title" x="${width / 2}" y="25" text-anchor="middle" font-size="15" font-weight="bold">Share of each class flagged</text>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const x = px(left + t * barMax);
    out.push(`<line x1="${x}" y1="${top - 5}" x2="${x}" y2="${height - 45}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x}" y="${height - 30}" text-anchor="middle">${t * 100}%</text>`);
  }
  classes.forEach((label, i) => {
    const d = byClass[label];
    const y = top + rowH * i;
    const isNormal = label === normalLabel;
    const color = classColor(label, normalLabel, classes);
    const name = `class ${label}${isNormal ? ' (normal: false alarms)' : ''}`;
    out.push(`<text x="${left - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(name)}</text>`);
    const w = Number.isFinite(d.rate) ? d.rate * barMax : 0;
    out.push(`<rect class="bar" x="${left}" y="${y + 6}" width="${px(Math.max(w, 1))}" height="${rowH - 12}" fill="${color}" fill-opacity="0.7"/>`);
    out.push(`<text x="${px(left + w + 6)}" y="${y + rowH / 2}" dominant-baseline="middle">${(100 * d.rate).toFixed(1)}% (${d.flagged}/${d.count})</text>`);
  });
  if (classes.length === 0) out.push(noDataNote('no labelled beats'));
  out.push(`<text x="${left + barMax / 2}" y="${height - 10}" text-anchor="middle">share of the class's beats above the threshold</text>`);
  return svgDocument(width, height, 'Share of each class flagged', out.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Error histograms per class

export interface ClassErrors { label: string; errors: ArrayLike<number> }

/**
 * One panel per class on shared bins (up to the 99th percentile of all errors, at least 4x the
 * threshold; the last bin gathers everything above), bars as a fraction of the class.
 */
export function classHistogramsSvg(groups: ClassErrors[], threshold: number, normalLabel: string): string {
  const all = finite(groups.flatMap((g) => Array.from(g.errors)));
  const sorted = [...all].sort((a, b) => a - b);
  const hasThreshold = Number.isFinite(threshold);
  const range = minMax(hasThreshold ? [...sorted, threshold] : sorted) ?? [0, 1];
  const p99 = sorted.length ? sorted[Math.floor(0.99 * (sorted.length - 1))] : range[1];
  const upper = Math.min(range[1], Math.max(p99, hasThreshold ? 4 * threshold : p99));
  const xTicks = niceTicks(range[0], upper > range[0] ? upper : range[1], 6);
  const bins = 40, binWidth = (xTicks.hi - xTicks.lo) / bins;
  const panelH = 110, top = 45, gap = 12;
  const height = top + groups.length * (panelH + gap) + 45;
  const left = MARGIN.left, right = WIDTH - MARGIN.right;
  const xOf = (v: number) => left + ((v - xTicks.lo) / (xTicks.hi - xTicks.lo)) * (right - left);
  const order = groups.map((g) => g.label);
  const out = [`<text class="title" x="${WIDTH / 2}" y="25" text-anchor="middle" font-size="15" font-weight="bold">Reconstruction error per class</text>`];
  groups.forEach((g, i) => {
    const values = finite(Array.from(g.errors));
    const counts = new Array<number>(bins).fill(0);
    for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - xTicks.lo) / binWidth)))]++;
    const highest = Math.max(1, ...counts);
    const y0 = top + i * (panelH + gap), base = y0 + panelH;
    const color = classColor(g.label, normalLabel, order);
    out.push(`<g class="panel">`);
    out.push(`<rect x="${left}" y="${y0}" width="${right - left}" height="${panelH}" fill="#fafafa" stroke="#dddddd"/>`);
    counts.forEach((c, b) => {
      if (c === 0) return;
      const h = (c / highest) * (panelH - 20);
      out.push(`<rect x="${px(xOf(xTicks.lo + b * binWidth))}" y="${px(base - h)}" width="${px(xOf(xTicks.lo + (b + 1) * binWidth) - xOf(xTicks.lo + b * binWidth))}" height="${px(h)}" fill="${color}" fill-opacity="0.6"/>`);
    });
    if (hasThreshold) out.push(`<line class="threshold" x1="${px(xOf(threshold))}" y1="${y0}" x2="${px(xOf(threshold))}" y2="${base}" stroke="black" stroke-width="1.5" stroke-dasharray="5 3"/>`);
    const above = values.filter((v) => v > threshold).length;
    const name = `class ${g.label}${g.label === normalLabel ? ' (normal)' : ''}: n=${values.length}, ${values.length ? (100 * above / values.length).toFixed(1) : '0'}% above threshold`;
    out.push(`<text x="${right - 6}" y="${y0 + 14}" text-anchor="end">${escapeXml(name)}</text>`);
    out.push('</g>');
  });
  const axisY = top + groups.length * (panelH + gap) - gap;
  for (const v of xTicks.values) out.push(`<text x="${px(xOf(v))}" y="${axisY + 16}" text-anchor="middle">${formatTick(v, xTicks.step)}</text>`);
  const clipped = sorted.length > 0 && sorted[sorted.length - 1] > xTicks.hi;
  out.push(`<text x="${(left + right) / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(`reconstruction error${clipped ? ` (last bin: ≥ ${formatValue(xTicks.hi - binWidth)})` : ''}; dashed line: threshold ${formatValue(threshold)}`)}</text>`);
  if (groups.length === 0) out.push(noDataNote('no errors to show'));
  return svgDocument(WIDTH, Math.max(height, 120), 'Reconstruction error per class', out.join('\n'));
}
