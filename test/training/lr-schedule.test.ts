// The cosine learning-rate schedule (issue 12, item 4 "the schedule"): its rates, that the trainer
// applies it per epoch, that a checkpoint records it, and `train --lr-schedule` end to end.

import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { fingerprintMismatch, type TrainerCheckpoint } from '../../src/training/checkpoint.ts';
import { generateSyntheticEcg } from '../../src/data/synthetic.ts';
import { scheduledLr, trainAutoencoder, type BeatMatrix, type LrSchedule, type TrainOptions } from '../../src/training/trainer.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest } from '../helpers/model-files.ts';

const set = generateSyntheticEcg({ nNormal: 96, nAbnormal: 0, length: 32, seed: 'schedule' });
const beats: BeatMatrix = { data: set.beats, n: set.n, length: set.length };

function weightsAfter(opts: Partial<TrainOptions>): Float32Array[] {
  const model = createAutoencoder(defaultArchitecture('dense', 32, { hidden: [8, 4] }), 0);
  trainAutoencoder(model, beats, null, { epochs: 3, batchSize: 32, lr: 0.01, patience: 0, seed: 0, ...opts });
  return model.parameters().map((p) => p.data.slice());
}

describe('cosine learning-rate schedule', () => {
  it('starts at lr, halves at mid-run and decays toward 0; constant stays at lr', () => {
    expect(scheduledLr(0.01, 'cosine', 1, 100)).toBe(0.01);
    expect(scheduledLr(0.01, 'cosine', 51, 100)).toBeCloseTo(0.005, 12);
    expect(scheduledLr(0.01, 'cosine', 100, 100)).toBeGreaterThan(0);
    expect(scheduledLr(0.01, 'cosine', 100, 100)).toBeLessThan(0.01 * 0.001);
    for (let e = 2; e <= 100; e++) expect(scheduledLr(0.01, 'cosine', e, 100)).toBeLessThan(scheduledLr(0.01, 'cosine', e - 1, 100));
    expect(scheduledLr(0.01, 'constant', 77, 100)).toBe(0.01);
  });

  it('the trainer applies it per epoch: epoch 1 is the constant run\'s, later epochs differ', () => {
    const first = (schedule: LrSchedule) => {
      const model = createAutoencoder(defaultArchitecture('dense', 32, { hidden: [8, 4] }), 0);
      trainAutoencoder(model, beats, null, { epochs: 1, batchSize: 32, lr: 0.01, patience: 0, seed: 0, lrSchedule: schedule });
      return model.parameters().map((p) => Array.from(p.data));
    };
    expect(first('cosine')).toEqual(first('constant'));
    const cosine = weightsAfter({ lrSchedule: 'cosine' }), constant = weightsAfter({});
    expect(cosine.some((w, i) => w.some((x, j) => x !== constant[i][j]))).toBe(true);
    expect(weightsAfter({ lrSchedule: 'cosine' })).toEqual(cosine); // seeded: the same run twice
  });

  it('a checkpoint records the schedule and its epoch count; a resume with another is refused', () => {
    const checkpoints: TrainerCheckpoint[] = [];
    const run = (opts: Partial<TrainOptions>) => {
      const model = createAutoencoder(defaultArchitecture('dense', 32, { hidden: [8, 4] }), 0);
      trainAutoencoder(model, beats, null, { epochs: 3, batchSize: 32, lr: 0.01, patience: 0, seed: 0, checkpointEvery: 1,
        onCheckpoint: (c) => checkpoints.push(c), ...opts });
    };
    run({ lrSchedule: 'cosine' });
    run({});
    const [cosine, constant] = [checkpoints[0].fingerprint, checkpoints[2].fingerprint];
    expect(cosine.lrSchedule).toBe('cosine over 3 epochs');
    expect(constant.lrSchedule).toBeUndefined();
    expect(fingerprintMismatch(constant, cosine)).toMatch(/lrSchedule differs/);
    expect(fingerprintMismatch(cosine, cosine)).toBeNull();
  });

  it('train --lr-schedule cosine saves it in the manifest; an unknown schedule exits 2', () => {
    const out = path.join(os.tmpdir(), `cardiograd-schedule-${process.pid}`);
    const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '5', '--lr-schedule', 'cosine', '--out', out, '--no-plots']);
    expect(r.code, r.stderr).toBe(0);
    expect(readManifest(out).training.options.lrSchedule).toBe('cosine');
    const bad = runCli('train', ['--lr-schedule', 'step']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lr-schedule must be one of constant, cosine; got "step"/);
  });
});
