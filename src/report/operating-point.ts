// Where the saved threshold sits on the ROC and precision-recall curves: the rates of flagging
// score > threshold (a non-finite score is flagged, as the detector flags it), drawn as a ring.
// Labels: 1 = anomaly.

import { escapeXml, formatValue, px } from './svg.ts';

export interface OperatingPoint { threshold: number; tpr: number; fpr: number; precision: number; recall: number }

export function operatingPoint(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): OperatingPoint | null {
  if (!Number.isFinite(threshold)) return null;
  let tp = 0, fp = 0, positives = 0, negatives = 0;
  const n = Math.min(scores.length, labels.length);
  for (let i = 0; i < n; i++) {
    const flagged = !(scores[i] <= threshold);
    if (labels[i] === 1) { positives++; if (flagged) tp++; } else { negatives++; if (flagged) fp++; }
  }
  if (positives === 0 || negatives === 0) return null;
  return { threshold, tpr: tp / positives, fpr: fp / negatives, recall: tp / positives, precision: tp + fp > 0 ? tp / (tp + fp) : 1 };
}

/** A ring at pixel (x, y) with its label beside it. */
export function operatingPointMark(x: number, y: number, text: string): string {
  const left = x > 420; // keep the label inside the canvas
  return `<g class="operating-point"><circle cx="${px(x)}" cy="${px(y)}" r="6" fill="white" fill-opacity="0.6" stroke="black" stroke-width="2"/>` +
    `<text x="${px(left ? x - 10 : x + 10)}" y="${px(y + 18)}" text-anchor="${left ? 'end' : 'start'}" font-size="12">${escapeXml(text)}</text></g>`;
}

export const thresholdLabel = (t: number) => `threshold ${formatValue(t)}`;
