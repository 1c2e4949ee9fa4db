// The threshold-transfer study (docs/thresholds.md): train a detector exactly as `train` does
// (default settings and seed) on each small dataset's normal beats, then compare every candidate
// label-free rule's F1 on the dataset's labelled test file with the best F1 any threshold reaches
// there (chosen with those labels: the ceiling a label-free rule is measured against).

import { defaultArchitecture, trainingDefaults } from '../../src/autoencoders/defaults.ts';
import type { ModelKind } from '../../src/autoencoders/registry.ts';
import { binaryLabels } from '../../src/data/dataset.ts';
import { confusion, f1 as f1Of, rocAuc } from '../../src/evaluation/metrics.ts';
import { bestF1Threshold, computeThreshold, DEFAULT_THRESHOLD, parseThresholdSpec, usesHeldOut } from '../../src/detect/thresholds.ts';
import { trainDetector } from '../../src/training/pipeline.ts';
import type { SmallDataset } from './datasets.ts';

export interface TransferRun {
  dataset: string;
  model: ModelKind;
  seed: number;
  fitErrors: Float32Array;
  valErrors: Float32Array | null;
  /** Out-of-fold errors when train cross-fitted the set (under CROSS_FIT_BELOW fitted beats), else null. */
  oofErrors: Float32Array | null;
  scores: Float32Array;
  labels: Uint8Array;
  rocAuc: number;
  bestF1: number;
  seconds: number;
  /** Of `seconds`, the cross-fitting's (0 when the set was not cross-fitted). */
  crossFitSeconds: number;
}

/**
 * epochs: override the kind's default (the LSTM and Conv1D in a short study; said in the table).
 * valFraction: override the kind's hold-out share (the study's `--val-fraction` variant).
 */
export function runTransfer(ds: SmallDataset, model: ModelKind, seed: number, epochs?: number, valFraction?: number): TransferRun {
  const d = trainingDefaults(model);
  const started = performance.now();
  const trained = trainDetector(ds.train, {
    architecture: defaultArchitecture(model, ds.train.length), scaler: d.scaler, epochs: epochs ?? d.epochs, batchSize: d.batchSize,
    lr: d.lr, lrSchedule: d.lrSchedule, patience: d.patience, valFraction: valFraction ?? d.valFraction, threshold: 'max',
    normalLabel: '1', seed, clipNorm: d.clipNorm,
  });
  const scores = trained.detector.detect(ds.test.beats, ds.test.n).scores;
  const labels = binaryLabels(ds.test, '1');
  return { dataset: ds.name, model, seed, fitErrors: trained.trainErrors, valErrors: trained.valErrors, oofErrors: trained.oofErrors, scores, labels,
    rocAuc: rocAuc(scores, labels), bestF1: bestF1Threshold(scores, labels).f1, seconds: (performance.now() - started) / 1000,
    crossFitSeconds: trained.crossFit?.seconds ?? 0 };
}

export interface Rule { name: string; threshold: (r: Pick<TransferRun, 'fitErrors' | 'valErrors' | 'oofErrors'>) => number }

/** A rule `train --threshold` accepts, on the fitted errors and (heldout- parts) the held-out ones. */
const spec = (text: string): Rule => {
  const held = usesHeldOut(parseThresholdSpec(text));
  return { name: text, threshold: (r) => (r.valErrors?.length || !held ? computeThreshold(text, r.fitErrors, r.valErrors) : NaN) };
};
/**
 * What `train` would do with an oof- default: the oof- rule where it cross-fitted the set, else
 * (CROSS_FIT_BELOW fitted beats or more, so no out-of-fold errors) `large`. Named `small:RULE`.
 */
const smallOrDefault = (text: string, large = DEFAULT_THRESHOLD): Rule => ({
  name: `small:${text}`, threshold: (r) => (r.oofErrors ? computeThreshold(text, r.fitErrors, r.valErrors, r.oofErrors) : spec(large).threshold(r)),
});
/** Study-only variant (not offered by train): every normal error pooled. */
const onAll = (text: string): Rule => ({
  name: `all:${text}`, threshold: (r) => computeThreshold(text, r.valErrors ? Float32Array.from([...r.fitErrors, ...r.valErrors]) : r.fitErrors),
});

/** Every rule the study compares (the ones bench/select/rules.ts scores on full ECG5000, and a few more). */
export function transferRules(): Rule[] {
  const fitted = ['p90', 'p95', 'p99', 'max', 'mean+2std', 'mean+3std', 'mean+4std', 'mean+5std',
    ...[3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 20].map((k) => `median+${k}mad`), ...[2, 2.33, 2.5, 3, 3.5, 4, 5].map((k) => `logmedian+${k}mad`)];
  const heldOut = ['heldout-p90', 'heldout-p95', 'heldout-max', ...[3, 5, 9].map((k) => `heldout-median+${k}mad`)];
  const capped = [3, 4, 5, 6, 7, 8, 9].flatMap((k) => ['max', 'p95', 'p90'].map((h) => `min(median+${k}mad,heldout-${h})`));
  // Held-out-adjusted fitted rules: stretched or moved by the held-out median (src/detect/thresholds.ts).
  const adjusted = [...[3, 4, 5, 6, 7, 8, 9].flatMap((k) => [`scaled-median+${k}mad`, `shifted-median+${k}mad`]),
    ...[2, 2.5, 3, 3.5, 4].map((k) => `scaled-logmedian+${k}mad`), ...[5, 7, 9].map((k) => `min(scaled-median+${k}mad,heldout-max)`)];
  // Out-of-fold rules (cross-fitted small sets; the default where train does not cross-fit).
  const oofBase = ['p80', 'p85', 'p90', 'p95', 'p97.5', 'p99', 'max', 'mean+2std', 'mean+3std',
    ...[2, 3, 4, 5, 6].map((k) => `median+${k}mad`), ...[1.64, 2, 2.33, 3].map((k) => `logmedian+${k}mad`)];
  const oof = [...oofBase.map((b) => `oof-${b}`),
    ...[3, 4, 5, 6, 7, 9].flatMap((k) => ['p90', 'p95', 'p99', 'max'].map((h) => `min(median+${k}mad,oof-${h})`)),
    ...['p90', 'p95', 'p99', 'max'].map((h) => `min(median+5mad,heldout-max,oof-${h})`)];
  return [...[...fitted, ...heldOut, ...capped, ...adjusted].map(spec), ...[2, 3, 5].map((k) => onAll(`median+${k}mad`)), onAll('max'),
    ...oof.map((t) => smallOrDefault(t))];
}

export interface RuleResult { f1: number; flagged: number; gap: number }

export function applyRule(run: TransferRun, rule: Rule): RuleResult {
  const t = rule.threshold(run);
  if (!Number.isFinite(t)) return { f1: NaN, flagged: NaN, gap: NaN };
  const c = confusion(run.scores, run.labels, t);
  const f1 = f1Of(c);
  return { f1, flagged: (c.tp + c.fp) / run.scores.length, gap: run.bestF1 - f1 };
}
