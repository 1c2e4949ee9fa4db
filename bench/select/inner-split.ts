// One inner split of the selection protocol: everything happens inside a TRAINING set.
//   normal training beats --seeded split--> inner-train (1 - heldOut) | held-out normal beats
//   a detector is trained on inner-train exactly as `train` would (its own --val-fraction hold-out,
//   scaler, early stopping), then scores the held-out normal beats and the training set's
//   labelled anomalies. No beat of the test file is read anywhere in this folder.

import { defaultArchitecture, trainingDefaults, type ArchitectureFlags } from '../../src/autoencoders/defaults.ts';
import type { ModelKind } from '../../src/autoencoders/registry.ts';
import { binaryLabels, selectRows, splitValidation, type BeatSet } from '../../src/data/dataset.ts';
import { trainDetector, type TrainedDetector } from '../../src/training/pipeline.ts';
import type { ScalerKind } from '../../src/detect/scaler.ts';
import type { LrSchedule } from '../../src/training/trainer.ts';

/** The training settings the protocol varies; anything not given takes `train`'s default. */
export interface Settings {
  epochs?: number;
  patience?: number;
  valFraction?: number;
  scaler?: ScalerKind;
  lr?: number;
  batchSize?: number;
  lrSchedule?: LrSchedule;
  /** Architecture changes (latent size, layer sizes, β, KL warm-up). */
  architecture?: ArchitectureFlags;
  /** VAE: Monte-Carlo scoring with this many samples instead of decoding μ. */
  scoreSamples?: number;
}

export interface InnerResult {
  /** Errors the threshold rules see: the inner model's fitted normal beats, and its own hold-out. */
  fitErrors: Float32Array;
  valErrors: Float32Array | null;
  /** Unseen normal beats (false alarms) and the training set's anomalies (recall). */
  heldOutNormal: Float32Array;
  anomalies: Float32Array;
  /** Share of anomalies among the training set's beats (the prevalence F1 is computed at). */
  prevalence: number;
  epochs: number;
  seconds: number;
}

export function runInnerSplit(trainSet: BeatSet, kind: ModelKind, settings: Settings, repeat: number,
                              heldOutFraction = 0.2, normalLabel = '1'): InnerResult {
  const labels = binaryLabels(trainSet, normalLabel);
  const normals = selectRows(trainSet, (_, i) => labels[i] === 0);
  const anomalySet = selectRows(trainSet, (_, i) => labels[i] === 1);
  const { train: inner, validation: heldOut } = splitValidation(normals, heldOutFraction, `${repeat}:inner-split`);
  const defaults = trainingDefaults(kind);
  const t0 = performance.now();
  const trained: TrainedDetector = trainDetector(inner, {
    architecture: defaultArchitecture(kind, trainSet.length, settings.architecture),
    scaler: settings.scaler ?? defaults.scaler,
    epochs: settings.epochs ?? defaults.epochs,
    batchSize: settings.batchSize ?? defaults.batchSize,
    lr: settings.lr ?? defaults.lr,
    lrSchedule: settings.lrSchedule ?? defaults.lrSchedule,
    patience: settings.patience ?? defaults.patience,
    valFraction: settings.valFraction ?? defaults.valFraction,
    threshold: 'max', // unused: the protocol applies every candidate rule to the errors itself
    // The rules scored here read the fitted and held-out errors only; an inner set under 200 fitted
    // beats (the Conv1D's 20% hold-out on the official split fits 187) would cross-fit for nothing.
    crossFitFolds: 0,
    normalLabel,
    seed: repeat,
    clipNorm: defaults.clipNorm,
    scoring: settings.scoreSamples ? { kind: 'monte-carlo', samples: settings.scoreSamples, seed: repeat } : undefined,
  });
  const score = (set: BeatSet) => trained.detector.detect(set.beats, set.n).scores;
  return {
    fitErrors: trained.trainErrors,
    valErrors: trained.valErrors,
    heldOutNormal: score(heldOut),
    anomalies: score(anomalySet),
    prevalence: anomalySet.n / trainSet.n,
    epochs: trained.training.history.length,
    seconds: (performance.now() - t0) / 1000,
  };
}
