// The candidate threshold rules and how the protocol scores them on one inner split.
// A rule sees only errors of normal beats the inner model was trained with (or its own early-
// stopping hold-out); it is judged on beats it never saw: held-out normal beats (false alarms)
// and the training set's labelled anomalies (recall).

import { rocAuc } from '../../src/evaluation/metrics.ts';
import { computeThreshold, percentile } from '../../src/detect/thresholds.ts';
import type { InnerResult } from './inner-split.ts';

export interface Candidate {
  name: string;
  /** Threshold from the inner model's errors; null when the rule cannot apply (no hold-out). */
  threshold: (r: InnerResult) => number | null;
}

const grid = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => +(from + i * step).toFixed(4));

/** A rule that reads the held-out errors: null (not applicable) without them. */
const withHeldOut = (spec: string): Candidate => ({
  name: spec, threshold: (r) => (r.valErrors && r.valErrors.length ? computeThreshold(spec, r.fitErrors, r.valErrors) : null),
});

/** Every rule the protocol compares; `train --threshold SPEC` accepts all but the held-out ones. */
export function candidateRules(): Candidate[] {
  const onFit = (spec: string): Candidate => ({ name: spec, threshold: (r) => computeThreshold(spec, r.fitErrors) });
  return [
    ...grid(1, 3, 0.5).map((k) => onFit(`mean+${k}std`)),
    ...[90, 95, 97.5, 99].map((p) => onFit(`p${p}`)),
    ...grid(3, 14, 1).map((k) => onFit(`median+${k}mad`)),
    ...grid(2, 4, 0.25).map((k) => onFit(`logmedian+${k}mad`)),
    // A quantile of the errors of held-out normal beats (the early-stopping hold-out: 10%).
    ...[90, 95, 97.5, 99].map((p): Candidate => ({
      name: `heldout-p${p}`, threshold: (r) => (r.valErrors && r.valErrors.length ? percentile(r.valErrors, p) : null),
    })),
    // The lower of a rule on the fitted errors and the largest held-out error (docs/thresholds.md).
    ...grid(4, 9, 1).map((k) => withHeldOut(`min(median+${k}mad,heldout-max)`)),
    // A fitted rule stretched (scaled-) or moved (shifted-) by the held-out median (docs/thresholds.md).
    ...grid(3, 9, 1).map((k) => withHeldOut(`scaled-median+${k}mad`)),
    ...grid(2, 4, 0.5).map((k) => withHeldOut(`scaled-logmedian+${k}mad`)),
    ...grid(3, 7, 1).map((k) => withHeldOut(`shifted-median+${k}mad`)),
    ...[5, 7, 9].map((k) => withHeldOut(`min(scaled-median+${k}mad,heldout-max)`)),
  ];
}

export interface InnerScore { falseAlarms: number; recall: number; f1: number }

/**
 * False-alarm rate on held-out normal beats, recall on the training set's anomalies, and the F1
 * they imply at the training set's own prevalence π:
 *   precision = π·recall / (π·recall + (1 - π)·falseAlarms)
 * (the held-out normal beats are fewer than the anomalies, so counting them raw would not do).
 */
export function scoreThreshold(r: InnerResult, threshold: number): InnerScore {
  const above = (xs: Float32Array) => xs.reduce((s, e) => s + (e > threshold ? 1 : 0), 0) / xs.length;
  const falseAlarms = above(r.heldOutNormal), recall = above(r.anomalies), pi = r.prevalence;
  const precision = pi * recall + (1 - pi) * falseAlarms > 0 ? (pi * recall) / (pi * recall + (1 - pi) * falseAlarms) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { falseAlarms, recall, f1 };
}

/** ROC-AUC of held-out normal beats against the training set's anomalies (label-free of the test file). */
export function innerAuc(r: InnerResult): number {
  const scores = Float32Array.from([...r.heldOutNormal, ...r.anomalies]);
  const labels = Uint8Array.from(scores, (_, i) => (i < r.heldOutNormal.length ? 0 : 1));
  return rocAuc(scores, labels);
}
