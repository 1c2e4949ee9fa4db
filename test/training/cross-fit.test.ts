// Cross-fitted out-of-fold errors for small training sets (src/training/cross-fit.ts): when they
// are computed (under CROSS_FIT_BELOW fitted beats), that each beat's error comes from a model that
// never saw it, that they are a function of the seed, that the saved model is untouched by them,
// and that oof- rules read them and nothing else.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { selectRows, takeRows, type BeatSet } from '../../src/data/dataset.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { computeThreshold, CROSS_FIT_BELOW, formatThresholdSpec, parseThresholdSpec, percentile, thresholdMethod } from '../../src/detect/thresholds.ts';
import { CROSS_FIT_FOLDS, crossFitErrors, crossFitFoldsFor, foldAssignment, type CrossFitSettings } from '../../src/training/cross-fit.ts';
import { fittedBeatCount, trainDetector, type PipelineOptions } from '../../src/training/pipeline.ts';
import { ECG5000_DIR } from '../helpers/cli.ts';

const normals = selectRows(loadBeatFile(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt')), (l) => l === '1'); // 292 beats
const first = (n: number): BeatSet => takeRows(normals, Array.from({ length: n }, (_, i) => i));
const settings: CrossFitSettings = {
  architecture: defaultArchitecture('dense', 140), scaler: 'minmax', epochs: 6, batchSize: 16, lr: 3e-3, patience: 0, seed: 4,
};
const opts: PipelineOptions = { ...settings, valFraction: 0.1, threshold: 'min(median+5mad,heldout-max)', normalLabel: '1' };

describe('the cutoff', () => {
  it('cross-fits 5 folds below 200 fitted beats, none at 200 or more, at most one fold per beat', () => {
    expect(CROSS_FIT_BELOW).toBe(200);
    expect(CROSS_FIT_FOLDS).toBe(5);
    expect(crossFitFoldsFor(199, 'dense')).toBe(5);
    expect(crossFitFoldsFor(63, 'dense')).toBe(5);
    expect(crossFitFoldsFor(200, 'dense')).toBe(0);
    expect(crossFitFoldsFor(3, 'dense')).toBe(3);
    expect(crossFitFoldsFor(1, 'dense')).toBe(0);
    expect(crossFitFoldsFor(63, 'vae')).toBe(5);
    // The LSTM and Conv1D only when asked (--cross-fit K): 4.6-4.9x their training time.
    expect(crossFitFoldsFor(63, 'lstm')).toBe(0);
    expect(crossFitFoldsFor(63, 'conv')).toBe(0);
    // ECG200's shape (70 normal beats) is cross-fitted; ECG5000's training file (292) is not.
    expect(fittedBeatCount(70, 0.1)).toBe(63);
    expect(fittedBeatCount(292, 0.1)).toBe(263);
  });

  it('a pipeline run on ECG5000_TRAIN (263 fitted beats) does not cross-fit; one on 40 normal beats does', () => {
    const large = trainDetector(normals, { ...opts, epochs: 2 });
    expect(large.counts.train).toBe(263);
    expect(large.crossFit).toBeNull();
    expect(large.oofErrors).toBeNull();
    expect(large.outOfFoldFalseAlarmRate).toBeNull();
    const small = trainDetector(first(40), { ...opts, epochs: 2 });
    expect(small.counts.train).toBe(36);
    expect(small.crossFit?.folds).toBe(5);
    expect(small.oofErrors?.length).toBe(36);
  }, 60_000);
});

describe('out-of-fold errors', () => {
  const fit = first(30), heldOut = takeRows(normals, [100, 101, 102]);

  it('folds are seeded, cover every beat once and differ in size by at most one', () => {
    const a = foldAssignment(30, 5, 4);
    expect(Array.from(a)).toEqual(Array.from(foldAssignment(30, 5, 4)));
    expect(Array.from(a)).not.toEqual(Array.from(foldAssignment(30, 5, 5)));
    const sizes = [0, 1, 2, 3, 4].map((k) => a.filter((f) => f === k).length);
    expect(sizes).toEqual([6, 6, 6, 6, 6]);
  });

  it('each beat is scored by a model that never saw it: changing a beat leaves the errors of its fold-mates bit-identical and moves the others', () => {
    const base = crossFitErrors(fit, heldOut, settings, 5);
    const changed = 7, fold = base.fold[changed];
    const edited: BeatSet = { ...fit, beats: fit.beats.slice() };
    for (let j = 0; j < fit.length; j++) edited.beats[changed * fit.length + j] *= -1; // an inverted beat
    const after = crossFitErrors(edited, heldOut, settings, 5);
    expect(Array.from(after.fold)).toEqual(Array.from(base.fold));
    let otherFoldsMoved = 0;
    for (let i = 0; i < fit.n; i++) {
      if (i === changed) continue;
      if (base.fold[i] === fold) expect(after.errors[i], `beat ${i} (fold ${fold}, as the changed beat)`).toBe(base.errors[i]);
      else if (after.errors[i] !== base.errors[i]) otherFoldsMoved++;
    }
    // The four models that trained on the changed beat score the 24 beats of the other folds.
    expect(otherFoldsMoved).toBeGreaterThan(12);
  }, 60_000);

  it('are a function of the seed, and another seed gives others', () => {
    const a = crossFitErrors(fit, heldOut, settings, 5), b = crossFitErrors(fit, heldOut, settings, 5);
    expect(Array.from(a.errors)).toEqual(Array.from(b.errors));
    const c = crossFitErrors(fit, heldOut, { ...settings, seed: 5 }, 5);
    expect(Array.from(c.errors)).not.toEqual(Array.from(a.errors));
    expect(a.errors.every((e) => Number.isFinite(e) && e > 0)).toBe(true);
  }, 60_000);

  it('an extra model that diverges is named as such, with the way around it', () => {
    // lr 50: the first fold model's loss explodes; the error must not read as the saved model's.
    expect(() => crossFitErrors(fit, heldOut, { ...settings, lr: 50 }, 5))
      .toThrow(/^cross-fitting, extra model 1 of 5 \(trained on 24 of the 30 fitted beats.*the model to be saved trained normally\): training diverged.*pass --cross-fit 0/);
  }, 60_000);

  it('refuses one fold, or more folds than beats', () => {
    expect(() => crossFitErrors(fit, heldOut, settings, 1)).toThrow(/2 <= folds/);
    expect(() => crossFitErrors(first(3), null, settings, 4)).toThrow(/4 folds for 3 beats/);
  });
});

describe('the pipeline with cross-fitting', () => {
  const set = first(60);
  it('the saved model, its errors and its threshold are those of a run without cross-fitting', () => {
    const on = trainDetector(set, opts), off = trainDetector(set, { ...opts, crossFitFolds: 0 });
    expect(off.oofErrors).toBeNull();
    expect(Array.from(on.trainErrors)).toEqual(Array.from(off.trainErrors));
    expect(Array.from(on.valErrors!)).toEqual(Array.from(off.valErrors!));
    expect(on.detector.threshold).toEqual(off.detector.threshold);
    // The out-of-fold errors are the study's: crossFitErrors on the same fitted beats and hold-out.
    expect(on.oofErrors!.length).toBe(on.counts.train);
  }, 60_000);

  it('an oof- threshold reads the out-of-fold errors', () => {
    const r = trainDetector(set, { ...opts, threshold: 'oof-p95' });
    expect(r.detector.threshold.value).toBe(percentile(r.oofErrors!, 95));
    expect(r.detector.threshold.method).toBe('oof-p95 of training and out-of-fold errors');
    expect(r.outOfFoldFalseAlarmRate).toBe(r.oofErrors!.filter((e) => e > r.detector.threshold.value).length / r.oofErrors!.length);
    const m = trainDetector(set, { ...opts, threshold: 'min(median+5mad,heldout-max,oof-p90)' });
    expect(m.detector.threshold.value).toBe(Math.min(computeThreshold('median+5mad', m.trainErrors), computeThreshold('heldout-max', m.trainErrors, m.valErrors),
      percentile(m.oofErrors!, 90)));
    expect(m.detector.threshold.method).toBe('min(median+5mad,heldout-max,oof-p90) of training, held-out and out-of-fold errors');
  }, 60_000);
});

describe('oof- rules', () => {
  it('parse, print and compute on the out-of-fold errors only; without them they are an error, not a fallback', () => {
    expect(formatThresholdSpec(parseThresholdSpec('OOF-P95'))).toBe('oof-p95');
    expect(formatThresholdSpec(parseThresholdSpec('min(median+4mad,oof-median+3mad)'))).toBe('min(median+4mad,oof-median+3mad)');
    expect(thresholdMethod(parseThresholdSpec('oof-max'))).toBe('oof-max of training and out-of-fold errors');
    const fit = [1, 2, 3, 4], held = [10, 20], oof = [5, 6, 7, 8];
    expect(computeThreshold('oof-max', fit, held, oof)).toBe(8);
    expect(computeThreshold('min(max,oof-p50)', fit, held, oof)).toBe(4);
    expect(() => computeThreshold('oof-p95', fit, held, null)).toThrow(/out-of-fold errors of a cross-fitted model.*saved without them.*200 or more.*--cross-fit 0.*retrain with --cross-fit K/);
    expect(() => parseThresholdSpec('oof-heldout-max')).toThrow(/unknown threshold/);
  });
});
