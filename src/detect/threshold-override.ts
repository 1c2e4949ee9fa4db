// `--threshold RULE|VALUE` after training: a number, or a rule (p95, mean+3std, median+9mad, max,
// ...) computed on the errors a saved model recorded of its normal training beats. Models saved
// since this change store those errors (training.errorValues.train, also .heldOut when beats
// were held out and .outOfFold when a small set was cross-fitted); older ones store only a summary (count, mean, std, median, p95, p99, max), so
// only the rules that summary determines can be computed for them, and others are refused.
// Runtime-agnostic: no Node API.

import { computeThreshold, parseThresholdSpec, thresholdMethod, type ThresholdSpec } from './thresholds.ts';
import type { ThresholdInfo } from './threshold-info.ts';
import { scoringDigest } from './model-manifest.ts';

/** Errors of normal beats that a manifest recorded (from its "training" field). */
export interface StoredErrors {
  /** Errors of the normal training beats the threshold rule was computed on; null = only a summary. */
  train: Float64Array | null;
  /** Errors of the held-out normal beats (validation split), when there were any. */
  heldOut: Float64Array | null;
  /** Out-of-fold errors of the training beats, when the (small) set was cross-fitted. */
  outOfFold: Float64Array | null;
  /** The summary every manifest since format 1 records. */
  summary: { count: number; mean: number; std: number; median: number; p95: number; p99: number; max: number } | null;
}

function numbers(x: unknown): Float64Array | null {
  if (!Array.isArray(x) || x.length === 0 || !x.every((e) => typeof e === 'number' && Number.isFinite(e))) return null;
  return Float64Array.from(x as number[]);
}

export function storedErrors(manifest: Record<string, any>): StoredErrors {
  const t = manifest.training ?? {};
  const s = t.trainErrors;
  const summary = s && ['count', 'mean', 'std', 'median', 'p95', 'p99', 'max'].every((k) => Number.isFinite(s[k])) ? s : null;
  return { train: numbers(t.errorValues?.train), heldOut: numbers(t.errorValues?.heldOut), outOfFold: numbers(t.errorValues?.outOfFold), summary };
}

/** The rule's value from the summary alone, or null when the summary does not determine it. */
function fromSummary(spec: ThresholdSpec, s: NonNullable<StoredErrors['summary']>): number | null {
  switch (spec.kind) {
    case 'max': return s.max;
    case 'meanPlusKStd': return s.mean + spec.value * s.std;
    case 'percentile': return spec.value === 95 ? s.p95 : spec.value === 99 ? s.p99 : spec.value === 50 ? s.median : spec.value === 100 ? s.max : null;
    default: return null;
  }
}

/**
 * The threshold `text` gives for this model: a finite number as is, or a rule on its stored
 * training errors. Throws a message that says what to pass instead.
 */
export function resolveThreshold(text: string, manifest: Record<string, any>): ThresholdInfo {
  const s = text.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) throw new Error(`threshold "${text}" is not a finite number`);
    return { value, method: `${s} (set by --threshold)` };
  }
  const spec = parseThresholdSpec(s);
  const method = `${thresholdMethod(spec)} (set by --threshold)`;
  const errors = storedErrors(manifest);
  if (errors.train) return { value: computeThreshold(spec, errors.train, errors.heldOut, errors.outOfFold), method };
  const value = errors.summary ? fromSummary(spec, errors.summary) : null;
  if (value === null) {
    throw new Error(`threshold "${text}": this model records ${errors.summary ? 'only a summary (mean, std, median, p95, p99, max)' : 'no statistics'} ` +
      'of its training errors; use p95, p99, mean+Kstd, max or a number, or retrain to store the errors');
  }
  return { value, method };
}

/** The manifest with another threshold, its scoring checksum recomputed (so the load checks accept it). */
export function manifestWithThreshold<M extends Record<string, any>>(manifest: M, threshold: ThresholdInfo): M {
  const next: Record<string, any> = { ...manifest, threshold };
  if (manifest.scoringSha256 !== undefined) {
    delete next.scoringSha256;
    next.scoringSha256 = scoringDigest(JSON.parse(JSON.stringify(next)));
  }
  return next as M;
}
