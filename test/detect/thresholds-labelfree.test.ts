// The default threshold is label-free: on real ECG5000 training data, what the anomalies of the
// training file contain (or whether they are there at all) changes neither the model nor its
// threshold; the threshold is the default rule on the fitted normal beats' errors, and the
// reported false-alarm rate is the share of held-out normal beats above it.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { selectRows, type BeatSet } from '../../src/data/dataset.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { trainDetector, type PipelineOptions } from '../../src/training/pipeline.ts';
import { computeThreshold, DEFAULT_THRESHOLD } from '../../src/detect/thresholds.ts';
import { ECG5000_DIR } from '../helpers/cli.ts';

const train = loadBeatFile(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'));
const opts: PipelineOptions = {
  architecture: defaultArchitecture('dense', 140), scaler: 'standard', epochs: 8, batchSize: 32, lr: 1e-3,
  patience: 10, valFraction: 0.1, threshold: DEFAULT_THRESHOLD, normalLabel: '1', seed: 3,
};

describe(`default threshold ${DEFAULT_THRESHOLD} on ECG5000_TRAIN`, () => {
  const full = trainDetector(train, opts);

  it('is the rule applied to the fitted normal beats\' errors, and the false-alarm rate is measured on the held-out ones', () => {
    expect(full.detector.threshold.value).toBe(computeThreshold(DEFAULT_THRESHOLD, full.trainErrors, full.valErrors));
    expect(full.detector.threshold.method).toBe(`${DEFAULT_THRESHOLD} of training and held-out errors`);
    expect(full.counts).toEqual({ normalBeats: 292, train: 263, validation: 29 });
    const above = full.valErrors!.filter((e) => e > full.detector.threshold.value).length;
    expect(full.heldOutFalseAlarmRate).toBe(above / 29);
  });

  it('does not depend on the anomalies of the training file', () => {
    const normalsOnly = selectRows(train, (label) => label === '1');
    // the anomalies replaced by wild values: same labels, different beats
    const scrambled: BeatSet = { ...train, beats: train.beats.map((v, i) => (train.labels[Math.floor(i / 140)] === '1' ? v : 50 * Math.sin(i))) };
    for (const other of [normalsOnly, scrambled]) {
      const t = trainDetector(other, opts);
      expect(t.detector.threshold.value).toBe(full.detector.threshold.value);
      expect(t.heldOutFalseAlarmRate).toBe(full.heldOutFalseAlarmRate);
      expect(Array.from(t.trainErrors)).toEqual(Array.from(full.trainErrors));
    }
  });
});
