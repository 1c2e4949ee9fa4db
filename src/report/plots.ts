// SVG plots for a training report, as strings, with no dependencies (runs anywhere).
//
//   lossCurveSvg        training (and validation) loss per epoch
//   errorHistogramSvg   reconstruction errors of normal vs anomalous beats, with the threshold
//   rocCurveSvg         true-positive rate vs false-positive rate as the threshold sweeps
//   reconstructionSvg   one beat and its reconstruction, the gap between them shaded
//
// Every plot is a fixed 640x400 canvas: a plot area inside margins, axes with "nice" ticks
// (steps of 1, 2 or 5 times a power of ten), a title and a legend. Inputs may be empty,
// constant or contain NaN/Infinity: such values are dropped, never written into the SVG.

import {
  WIDTH, HEIGHT, MARGIN, BLUE, ORANGE, RED,
  GREY, px, formatValue, finite, minMax, type Ticks,
  niceTicks, makeFrame, svgDocument, titleText, axes, type LegendItem,
  legend, polyline, noDataNote,
} from './svg.ts';
import { operatingPoint, operatingPointMark, thresholdLabel } from './operating-point.ts';

// ---------------------------------------------------------------------------------------------
// Loss curve

export interface LossPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
}

/** `bestEpoch`: the epoch whose weights were kept, marked with a vertical line; `yLabel`: what the loss is. */
export function lossCurveSvg(history: LossPoint[], bestEpoch?: number, yLabel = 'loss (mean squared error)'): string {
  const train = history.filter((h) => Number.isFinite(h.epoch) && Number.isFinite(h.loss));
  const val = history.filter((h) => Number.isFinite(h.epoch) && h.valLoss !== undefined && Number.isFinite(h.valLoss));
  const epochs = minMax(finite(history.map((h) => h.epoch))) ?? [0, 1];
  const losses = minMax([...train.map((h) => h.loss), ...val.map((h) => h.valLoss as number)]) ?? [0, 1];
  const f = makeFrame(niceTicks(epochs[0], epochs[1], 6, true), niceTicks(losses[0], losses[1]));

  const items: LegendItem[] = [];
  const parts = [axes(f, 'epoch', yLabel)];
  if (train.length > 0) {
    parts.push(polyline(train.map((h) => [f.x(h.epoch), f.y(h.loss)]), BLUE, 'train-loss'));
    items.push({ label: 'training loss', color: BLUE, kind: 'line' });
  }
  if (val.length > 0) {
    parts.push(polyline(val.map((h) => [f.x(h.epoch), f.y(h.valLoss as number)]), ORANGE, 'val-loss', true));
    items.push({ label: 'validation loss', color: ORANGE, kind: 'dashed' });
  }
  if (bestEpoch !== undefined && Number.isFinite(bestEpoch) && bestEpoch >= f.xTicks.lo && bestEpoch <= f.xTicks.hi) {
    const x = px(f.x(bestEpoch));
    parts.push(`<line class="best-epoch" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${HEIGHT - MARGIN.bottom}" stroke="${GREY}" stroke-width="1.5" stroke-dasharray="2 3"/>`);
    items.push({ label: `best epoch ${bestEpoch} (weights kept)`, color: GREY, kind: 'dashed' });
  }
  if (train.length === 0 && val.length === 0) parts.push(noDataNote('no training history'));
  parts.push(legend(items), titleText('Loss per epoch'));
  return svgDocument(WIDTH, HEIGHT, 'Loss per epoch', parts.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Error histogram

/**
 * Histograms of the reconstruction errors of normal and anomalous beats on shared bins, each
 * as a fraction of its own class (so a small class stays visible), and the threshold line.
 */
export function errorHistogramSvg(normalErrors: number[], anomalyErrors: number[], threshold: number): string {
  const normal = finite(normalErrors), anomaly = finite(anomalyErrors);
  const hasThreshold = Number.isFinite(threshold);
  const all = hasThreshold ? [...normal, ...anomaly, threshold] : [...normal, ...anomaly];
  const range = minMax(all) ?? [0, 1];
  // Errors have a long right tail: show up to the 99th percentile (at least 4x the threshold)
  // so the bulk around the threshold stays readable; the last bin gathers everything above.
  const sorted = [...normal, ...anomaly].sort((a, b) => a - b);
  const p99 = sorted.length ? sorted[Math.floor(0.99 * (sorted.length - 1))] : range[1];
  const upper = Math.min(range[1], Math.max(p99, hasThreshold ? 4 * threshold : p99));
  const xTicks = niceTicks(range[0], upper > range[0] ? upper : range[1], 6);
  const clipped = sorted.length > 0 && sorted[sorted.length - 1] > xTicks.hi;

  // Bins: up to 40, fewer for small samples (about the square root of the count).
  const binCount = Math.min(40, Math.max(10, Math.ceil(Math.sqrt(normal.length + anomaly.length))));
  const binWidth = (xTicks.hi - xTicks.lo) / binCount;
  const fractions = (values: number[]): number[] => {
    const counts = new Array<number>(binCount).fill(0);
    for (const v of values) {
      const bin = Math.floor((v - xTicks.lo) / binWidth);
      counts[Math.min(binCount - 1, Math.max(0, bin))]++; // clamp: the top edge and rounding
    }
    return counts.map((c) => (values.length > 0 ? c / values.length : 0));
  };
  const normalFractions = fractions(normal), anomalyFractions = fractions(anomaly);
  const highest = Math.max(0, ...normalFractions, ...anomalyFractions);
  const f = makeFrame(xTicks, niceTicks(0, highest > 0 ? highest : 1, 5));

  const bars = (fr: number[], color: string, cls: string): string => {
    const out = [`<g class="${cls}" fill="${color}" fill-opacity="0.45" stroke="${color}" stroke-width="0.5">`];
    fr.forEach((v, i) => {
      if (v === 0) return;
      const x0 = f.x(xTicks.lo + i * binWidth), x1 = f.x(xTicks.lo + (i + 1) * binWidth);
      out.push(`<rect x="${px(x0)}" y="${px(f.y(v))}" width="${px(x1 - x0)}" height="${px(f.y(0) - f.y(v))}"/>`);
    });
    out.push('</g>');
    return out.join('\n');
  };

  const parts = [axes(f, clipped ? `reconstruction error (last bin: ≥ ${formatValue(xTicks.hi - binWidth)})` : 'reconstruction error',
    'fraction of beats in class')];
  parts.push(bars(normalFractions, BLUE, 'normal-bars'), bars(anomalyFractions, RED, 'anomaly-bars'));
  const items: LegendItem[] = [
    { label: `normal (n=${normal.length})`, color: BLUE, kind: 'box' },
    { label: `anomaly (n=${anomaly.length})`, color: RED, kind: 'box' },
  ];
  if (hasThreshold) {
    const x = px(f.x(threshold));
    parts.push(`<line class="threshold" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${HEIGHT - MARGIN.bottom}" stroke="black" stroke-width="2" stroke-dasharray="6 4"/>`);
    items.push({ label: `threshold = ${formatValue(threshold)}`, color: 'black', kind: 'dashed' });
  }
  if (normal.length === 0 && anomaly.length === 0) parts.push(noDataNote('no errors to show'));
  parts.push(legend(items), titleText('Reconstruction error by class'));
  return svgDocument(WIDTH, HEIGHT, 'Reconstruction error by class', parts.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// ROC curve

/**
 * ROC points: sort by score, highest first, and lower the threshold past one distinct score
 * at a time (tied scores move together), recording (false-positive rate, true-positive rate).
 */
export function rocPoints(scores: ArrayLike<number>, labels: ArrayLike<number>): [number, number][] {
  const pairs: { score: number; positive: boolean }[] = [];
  const n = Math.min(scores.length, labels.length);
  for (let i = 0; i < n; i++) if (!Number.isNaN(scores[i])) pairs.push({ score: scores[i], positive: labels[i] === 1 });
  pairs.sort((a, b) => b.score - a.score || 0); // `|| 0`: Infinity - Infinity is NaN, a tie
  const positives = pairs.filter((p) => p.positive).length, negatives = pairs.length - positives;
  const rate = (count: number, total: number) => (total > 0 ? count / total : 0);

  const points: [number, number][] = [[0, 0]];
  let tp = 0, fp = 0;
  pairs.forEach((p, i) => {
    if (p.positive) tp++; else fp++;
    if (i === pairs.length - 1 || pairs[i + 1].score !== p.score) points.push([rate(fp, negatives), rate(tp, positives)]);
  });
  return points;
}

/** labels: 1 = anomaly (the positive class), anything else = normal. `threshold`: marked on the curve. */
export function rocCurveSvg(scores: ArrayLike<number>, labels: ArrayLike<number>, auc?: number, threshold?: number): string {
  const points = rocPoints(scores, labels);
  const positives = Array.from(labels).filter((l) => l === 1).length;
  const bothClasses = positives > 0 && positives < labels.length;
  const axis: Ticks = { lo: 0, hi: 1, step: 0.2, values: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  const f = makeFrame(axis, axis);

  const title = `ROC curve (AUC = ${auc === undefined ? 'n/a' : formatValue(auc)})`;
  const parts = [axes(f, 'false-positive rate (normal beats flagged)', 'true-positive rate (anomalies caught)')];
  parts.push(`<line class="chance" x1="${px(f.x(0))}" y1="${px(f.y(0))}" x2="${px(f.x(1))}" y2="${px(f.y(1))}" stroke="${GREY}" stroke-dasharray="4 4"/>`);
  parts.push(polyline(points.map(([x, y]) => [f.x(x), f.y(y)]), RED, 'roc'));
  if (!bothClasses) parts.push(noDataNote('an ROC curve needs both normal and anomalous beats'));
  const op = threshold === undefined ? null : operatingPoint(scores, labels, threshold);
  if (op) parts.push(operatingPointMark(f.x(op.fpr), f.y(op.tpr), `${thresholdLabel(op.threshold)}: TPR ${formatValue(op.tpr)}, FPR ${formatValue(op.fpr)}`));
  parts.push(legend([
    { label: 'detector', color: RED, kind: 'line' },
    { label: 'chance', color: GREY, kind: 'dashed' },
  ]));
  parts.push(titleText(title));
  return svgDocument(WIDTH, HEIGHT, title, parts.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Reconstruction of one beat

/** The plot without the <svg> wrapper, so several can be stacked in one file. */
function reconstructionBody(original: ArrayLike<number>, reconstruction: ArrayLike<number>, title: string): string {
  const toPoints = (ys: ArrayLike<number>) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < ys.length; i++) if (Number.isFinite(ys[i])) pts.push([i, ys[i]]);
    return pts;
  };
  const orig = toPoints(original), recon = toPoints(reconstruction);
  const length = Math.max(original.length, reconstruction.length);
  const yRange = minMax([...orig, ...recon].map(([, y]) => y)) ?? [0, 1];
  const f = makeFrame(niceTicks(0, Math.max(1, length - 1), 7, true), niceTicks(yRange[0], yRange[1]));
  const toPixels = (pts: [number, number][]) => pts.map(([x, y]) => [f.x(x), f.y(y)] as [number, number]);

  const parts = [axes(f, 'sample', 'value')];
  // Shade the gap between the curves: the reconstruction error made visible.
  if (orig.length > 1 && recon.length > 1) {
    const outline = [...toPixels(orig), ...toPixels(recon).reverse()].map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
    parts.push(`<polygon class="error-area" points="${outline}" fill="${RED}" fill-opacity="0.15" stroke="none"/>`);
  }
  parts.push(polyline(toPixels(orig), BLUE, 'original'));
  parts.push(polyline(toPixels(recon), ORANGE, 'reconstruction', true));
  if (length === 0) parts.push(noDataNote('empty beat'));
  parts.push(legend([
    { label: 'original', color: BLUE, kind: 'line' },
    { label: 'reconstruction', color: ORANGE, kind: 'dashed' },
  ]));
  parts.push(titleText(title));
  return parts.join('\n');
}

export function reconstructionSvg(original: ArrayLike<number>, reconstruction: ArrayLike<number>, title: string): string {
  return svgDocument(WIDTH, HEIGHT, title, reconstructionBody(original, reconstruction, title));
}

export interface ReconstructionExample {
  title: string;
  original: ArrayLike<number>;
  reconstruction: ArrayLike<number>;
}

/** Several reconstructions stacked vertically in one SVG. */
export function reconstructionsSvg(examples: ReconstructionExample[]): string {
  const panels = examples.map((e, i) =>
    `<g transform="translate(0 ${i * HEIGHT})">\n${reconstructionBody(e.original, e.reconstruction, e.title)}\n</g>`);
  if (panels.length === 0) panels.push(noDataNote('no examples'));
  return svgDocument(WIDTH, HEIGHT * Math.max(1, examples.length), 'Example reconstructions', panels.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// The report: every plot of a trained detector, by file name

export interface PlotInputs {
  history: LossPoint[];
  normalErrors: number[];
  anomalyErrors: number[];
  threshold: number;
  /** Anomaly scores and labels (1 = anomaly) of a labelled test set; absent without test data. */
  scores?: number[];
  labels?: number[];
  auc?: number;
  examples: ReconstructionExample[];
  /** What the loss numbers are (loss-description.ts); default "mean squared error". */
  lossLabel?: string;
}

/** loss.svg and errors.svg always; roc.svg with test data; examples.svg when there are examples. */
export function renderPlots(input: PlotInputs): Record<string, string> {
  const files: Record<string, string> = {
    'loss.svg': lossCurveSvg(input.history, undefined, input.lossLabel ? `loss: ${input.lossLabel}` : undefined),
    'errors.svg': errorHistogramSvg(input.normalErrors, input.anomalyErrors, input.threshold),
  };
  if (input.scores && input.labels) files['roc.svg'] = rocCurveSvg(input.scores, input.labels, input.auc, input.threshold);
  if (input.examples.length > 0) files['examples.svg'] = reconstructionsSvg(input.examples);
  return files;
}
