// The detector's whole training recipe, independent of files and terminals:
//   1. keep the normal beats of the training set; hold out a seeded validation fraction of them;
//   2. fit the scaler on the remaining normal training beats only;
//   3. train the autoencoder (early stopping on the held-out normal beats);
//   4. on a small set (under CROSS_FIT_BELOW fitted beats; dense and VAE) also cross-fit K extra models for
//      out-of-fold errors of the fitted beats (cross-fit.ts; the final model is step 3's);
//   5. choose the threshold without test labels (from training errors), or by best F1 on a
//      labelled validation set when the user supplies one.

import type { Architecture } from '../autoencoders/autoencoder.ts';
import { createAutoencoder } from '../autoencoders/registry.ts';
import type { BeatSet } from '../data/dataset.ts';
import { binaryLabels, normalizeLabel, selectRows, splitValidation } from '../data/dataset.ts';
import { checkTrainingBeats } from '../data/training-checks.ts';
import { Detector, type ScoringMethod, type ThresholdInfo } from '../detect/detector.ts';
import { evaluate, type Metrics } from '../evaluation/metrics.ts';
import { fitScaler, transform, type ScalerKind } from '../detect/scaler.ts';
import { bestF1Threshold, computeThreshold, parseThresholdSpec, thresholdMethod } from '../detect/thresholds.ts';
import { crossFitErrors, crossFitFoldsFor } from './cross-fit.ts';
import { trainAutoencoder, type BeatMatrix, type EpochRecord, type LrSchedule, type TrainResult } from './trainer.ts';
import type { TrainerCheckpoint } from './checkpoint.ts';

export interface PipelineOptions {
  architecture: Architecture;
  scaler: ScalerKind;
  epochs: number;
  batchSize: number;
  lr: number;
  patience: number;
  valFraction: number;
  /** Threshold spec (median+11mad, logmedian+3mad, mean+3std, p95, max; see thresholds.ts); ignored when a labelled validation set is given. */
  threshold: string;
  normalLabel: string;
  seed: number;
  clipNorm?: number;
  /** Learning-rate schedule over `epochs` (trainer.ts); default constant. */
  lrSchedule?: LrSchedule;
  /** Score by reconstruction (default) or, for a VAE, by Monte-Carlo samples. */
  scoring?: ScoringMethod;
  onEpoch?: (e: EpochRecord) => void;
  /** Checkpoints every N epochs to onCheckpoint, and resuming from one (see trainer.ts). */
  checkpointEvery?: number;
  onCheckpoint?: (c: TrainerCheckpoint) => void;
  resume?: TrainerCheckpoint;
  /** Cross-fitting folds: absent = crossFitFoldsFor(fitted beats, kind) (5 below 200 for dense and VAE, else none); 0 = off. */
  crossFitFolds?: number;
}

export interface TrainedDetector {
  detector: Detector;
  training: TrainResult;
  /** Reconstruction errors of the normal beats the model was fitted on (the threshold's data). */
  trainErrors: Float32Array;
  /** Errors of the held-out normal beats (early stopping), if any. */
  valErrors: Float32Array | null;
  /** Out-of-fold errors of the fitted beats (same order as trainErrors) when the set was cross-fitted. */
  oofErrors: Float32Array | null;
  crossFit: { folds: number; seconds: number } | null;
  counts: { normalBeats: number; train: number; validation: number };
  /** Share of held-out normal beats above the threshold: a label-free false-alarm estimate. */
  heldOutFalseAlarmRate: number | null;
  /** Share of the out-of-fold errors above the threshold (cross-fitted sets): another, from every fitted beat. */
  outOfFoldFalseAlarmRate: number | null;
}

/** Fitted beats left of `normalBeats` after the --val-fraction hold-out (splitValidation's rounding). */
export function fittedBeatCount(normalBeats: number, valFraction: number): number {
  return normalBeats - Math.round(normalBeats * valFraction);
}

/** A BeatSet's beats as the trainer's matrix (shares the buffer). */
export function matrixOf(set: BeatSet): BeatMatrix {
  return { data: set.beats, n: set.n, length: set.length };
}

export function trainDetector(train: BeatSet, opts: PipelineOptions, labelledVal?: BeatSet | null): TrainedDetector {
  const normal = normalizeLabel(opts.normalLabel);
  const normalSet = selectRows(train, (label) => normalizeLabel(label) === normal);
  if (normalSet.n === 0) {
    const present = [...new Set(train.labels)].join(', ');
    throw new Error(`${train.source}: no beats with the normal label "${opts.normalLabel}" (labels present: ${present}); set --normal-label`);
  }
  if (opts.architecture.length !== train.length) throw new Error('architecture length does not match the beats');
  checkTrainingBeats(normalSet, `beats with the normal label "${opts.normalLabel}"`);

  // Seeded hold-out of normal beats for early stopping.
  const { train: fitSet, validation: valSet } = splitValidation(normalSet, opts.valFraction, `${opts.seed}:split`);
  if (fitSet.n < 1) throw new Error(`--val-fraction ${opts.valFraction} leaves no training beats`);

  const scaler = fitScaler(opts.scaler, fitSet.beats, fitSet.n, fitSet.length);
  const scaled = (set: BeatSet): BeatMatrix => ({ ...matrixOf(set), data: transform(scaler, set.beats) });
  const fit = scaled(fitSet);
  const val = valSet.n > 0 ? scaled(valSet) : null;

  const model = createAutoencoder(opts.architecture, opts.seed);
  const training = trainAutoencoder(model, fit, val, {
    epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr, patience: opts.patience,
    seed: opts.seed, clipNorm: opts.clipNorm, lrSchedule: opts.lrSchedule, onEpoch: opts.onEpoch,
    checkpointEvery: opts.checkpointEvery, onCheckpoint: opts.onCheckpoint, resume: opts.resume,
  });

  // Errors by the detector's own scoring method, so the threshold fits the scores it will see.
  const unthresholded = new Detector(model, scaler, { value: NaN, method: 'pending' }, opts.scoring);
  const trainErrors = unthresholded.errorsOfScaled(fit);
  const valErrors = val ? unthresholded.errorsOfScaled(val) : null;
  const folds = opts.crossFitFolds ?? crossFitFoldsFor(fitSet.n, opts.architecture.kind);
  const cross = folds > 0 ? crossFitErrors(fitSet, valSet, {
    architecture: opts.architecture, scaler: opts.scaler, epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr,
    lrSchedule: opts.lrSchedule, patience: opts.patience, clipNorm: opts.clipNorm, seed: opts.seed, scoring: opts.scoring,
  }, folds) : null;
  const oofErrors = cross ? cross.errors : null;
  let threshold: ThresholdInfo;
  if (labelledVal) {
    const { scores } = unthresholded.detect(labelledVal.beats, labelledVal.n);
    const labels = binaryLabels(labelledVal, opts.normalLabel);
    const anomalies = labels.reduce((sum, l) => sum + l, 0);
    if (anomalies === 0 || anomalies === labels.length) {
      throw new Error(`${labelledVal.source}: a best-F1 threshold needs both normal and abnormal beats, ` +
        `this file has ${anomalies === 0 ? 'no abnormal' : 'no normal'} ones`);
    }
    const best = bestF1Threshold(scores, labels);
    threshold = { value: best.threshold, method: `best F1 on labelled validation file ${labelledVal.source} (F1 ${best.f1.toFixed(4)})` };
  } else {
    const spec = parseThresholdSpec(opts.threshold);
    threshold = { value: computeThreshold(spec, trainErrors, valErrors, oofErrors), method: thresholdMethod(spec) };
  }
  const heldOutFalseAlarmRate = valErrors
    ? valErrors.reduce((s, e) => s + (e > threshold.value ? 1 : 0), 0) / valErrors.length : null;
  const outOfFoldFalseAlarmRate = oofErrors
    ? oofErrors.reduce((s, e) => s + (e > threshold.value ? 1 : 0), 0) / oofErrors.length : null;
  return {
    detector: new Detector(model, scaler, threshold, opts.scoring),
    training, trainErrors, valErrors, oofErrors, heldOutFalseAlarmRate, outOfFoldFalseAlarmRate,
    crossFit: cross ? { folds: cross.folds, seconds: cross.seconds } : null,
    counts: { normalBeats: normalSet.n, train: fitSet.n, validation: valSet.n },
  };
}

export interface Evaluation { metrics: Metrics; scores: Float32Array; labels: Uint8Array }

/** Scores every beat of a labelled set and computes the metrics at the detector's threshold. */
export function evaluateDetector(detector: Detector, test: BeatSet, normalLabel: string,
                                 knownLabels?: readonly string[]): Evaluation {
  const labels = binaryLabels(test, normalLabel, knownLabels);
  const { scores } = detector.detect(test.beats, test.n);
  const metrics = evaluate(scores, labels, detector.threshold.value, test.labels);
  return { metrics, scores, labels };
}
