// Out-of-fold errors for small training sets (docs/thresholds.md, "Cross-fitted errors").
// With ~70 normal beats, 10% hold-out leaves 7 unseen beats to judge a threshold by, and the
// errors of the ~63 fitted beats are optimistic (the model learnt them). Cross-fitting gives
// every fitted beat an honest error: the fitted beats are cut into K seeded folds, K extra models
// are trained exactly as the final one (same architecture, settings, seed, scaler kind, hold-out
// for early stopping), each on K-1 folds with its own scaler, and each scores only the fold it
// never saw. The final model is the one `train` fits on all beats; these K models are discarded.
// Runtime-agnostic.

import type { Architecture } from '../autoencoders/autoencoder.ts';
import { createAutoencoder } from '../autoencoders/registry.ts';
import type { BeatSet } from '../data/dataset.ts';
import { shuffledIndices, takeRows } from '../data/dataset.ts';
import { Detector, type ScoringMethod } from '../detect/detector.ts';
import { fitScaler, transform, type ScalerKind } from '../detect/scaler.ts';
import { CROSS_FIT_BELOW } from '../detect/thresholds.ts';
import { nowMs } from '../io/clock.ts';
import { trainAutoencoder, type BeatMatrix, type LrSchedule } from './trainer.ts';

/** What a manifest says its errorValues.outOfFold are. */
export const CROSS_FIT_ERRORS = 'out-of-fold errors of the fitted beats: each scored by the one of `folds` extra models ' +
  '(trained on the other folds with the same settings and seed, then discarded) that never saw it';

/** Folds when a set is small enough to cross-fit (5: each extra model sees 80% of the beats). */
export const CROSS_FIT_FOLDS = 5;

/**
 * Kinds `train` cross-fits by default. The LSTM and Conv1D are left out: their extra models cost
 * 4.9x / 4.6x the training time (22 s instead of 4.5 s for an LSTM on 70 beats) and no default
 * threshold reads out-of-fold errors; `--cross-fit K` still asks for them.
 */
export const CROSS_FIT_KINDS: readonly Architecture['kind'][] = ['dense', 'vae'];

/** The folds `train` uses for this many fitted beats of this kind: CROSS_FIT_FOLDS below CROSS_FIT_BELOW for CROSS_FIT_KINDS, else 0 (off). */
export function crossFitFoldsFor(fittedBeats: number, kind: Architecture['kind']): number {
  if (!CROSS_FIT_KINDS.includes(kind)) return 0;
  return fittedBeats < CROSS_FIT_BELOW && fittedBeats >= 2 ? Math.min(CROSS_FIT_FOLDS, fittedBeats) : 0;
}

export interface CrossFitSettings {
  architecture: Architecture;
  scaler: ScalerKind;
  epochs: number;
  batchSize: number;
  lr: number;
  lrSchedule?: LrSchedule;
  patience: number;
  clipNorm?: number;
  seed: number;
  scoring?: ScoringMethod;
}

export interface CrossFit {
  /** errors[i]: beat i of the fitted set, scored by the model of the fold that left it out. */
  errors: Float32Array;
  /** fold[i]: the fold beat i belongs to (0..folds-1). */
  fold: Int32Array;
  folds: number;
  /** Wall time of the K extra trainings and scorings. */
  seconds: number;
}

/** Seeded fold of every beat: a shuffled order dealt round-robin, so fold sizes differ by at most one. */
export function foldAssignment(n: number, folds: number, seed: number): Int32Array {
  const order = shuffledIndices(n, `${seed}:cross-fit`);
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[order[i]] = i % folds;
  return fold;
}

/**
 * Out-of-fold errors of `fitSet` (unscaled beats). `heldOut` (unscaled, may be empty) is what each
 * extra model early-stops on, as the final model does.
 */
export function crossFitErrors(fitSet: BeatSet, heldOut: BeatSet | null, s: CrossFitSettings, folds: number): CrossFit {
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= fitSet.n)) {
    throw new RangeError(`cross-fitting needs 2 <= folds <= fitted beats, got ${folds} folds for ${fitSet.n} beats`);
  }
  const started = nowMs();
  const fold = foldAssignment(fitSet.n, folds, s.seed);
  const errors = new Float32Array(fitSet.n);
  for (let k = 0; k < folds; k++) {
    const inRows: number[] = [], outRows: number[] = [];
    for (let i = 0; i < fitSet.n; i++) (fold[i] === k ? outRows : inRows).push(i);
    const fitPart = takeRows(fitSet, inRows);
    const scaler = fitScaler(s.scaler, fitPart.beats, fitPart.n, fitPart.length);
    const scaled = (set: BeatSet): BeatMatrix => ({ data: transform(scaler, set.beats), n: set.n, length: set.length });
    const model = createAutoencoder(s.architecture, s.seed);
    try {
      trainAutoencoder(model, scaled(fitPart), heldOut && heldOut.n > 0 ? scaled(heldOut) : null, {
        epochs: s.epochs, batchSize: s.batchSize, lr: s.lr, lrSchedule: s.lrSchedule, patience: s.patience,
        seed: s.seed, clipNorm: s.clipNorm,
      });
    } catch (err) {
      // Said as what it is: the model being saved trained; one of the extra ones did not.
      throw new Error(`cross-fitting, extra model ${k + 1} of ${folds} (trained on ${fitPart.n} of the ${fitSet.n} fitted beats ` +
        `for out-of-fold errors; the model to be saved trained normally): ${(err as Error).message}; ` +
        'pass --cross-fit 0 to train without out-of-fold errors', { cause: err });
    }
    const scorer = new Detector(model, scaler, { value: NaN, method: 'cross-fit' }, s.scoring);
    const outErrors = scorer.errorsOfScaled(scaled(takeRows(fitSet, outRows)));
    outRows.forEach((row, j) => { errors[row] = outErrors[j]; });
  }
  return { errors, fold, folds, seconds: (nowMs() - started) / 1000 };
}
