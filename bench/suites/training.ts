// Training cost per model: one optimizer step on a batch of 32 beats, and one whole epoch over
// the workload (the normal beats of ECG5000_TRAIN, batch 32). Baseline: the same epoch with the
// naive matmul kernel swapped in, in the same process.

import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { MODEL_KINDS, type ModelKind } from '../../src/autoencoders/registry.ts';
import { createCpuBackend, getBackend, setBackend, Adam, Tensor, createRng } from '../../src/index.ts';
import type { BeatMatrix } from '../../src/ecg/trainer.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

/** A closure that trains one epoch (seeded batches of `batch`) of a fresh model. */
export function epochRunner(kind: ModelKind, beats: BeatMatrix, batch = 32) {
  const model = createAutoencoder(defaultArchitecture(kind, beats.length), 0);
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const rng = createRng('bench-epoch');
  const buf = new Float32Array(batch * beats.length);
  const step = (rows: number, offset: number) => {
    const x = rows === batch ? buf : new Float32Array(rows * beats.length);
    x.set(beats.data.subarray(offset * beats.length, (offset + rows) * beats.length));
    opt.zeroGrad();
    model.loss(new Tensor(x, [rows, beats.length]), { rng, epoch: 1 }).backward();
    opt.step();
  };
  return {
    step: () => step(batch, 0),
    epoch: () => { for (let i = 0; i < beats.n; i += batch) step(Math.min(batch, beats.n - i), i); },
  };
}

export async function trainingSuite(cfg: BenchConfig, beats: BeatMatrix, kinds: readonly ModelKind[] = MODEL_KINDS): Promise<Row[]> {
  const rows: Row[] = [];
  const original = getBackend();
  for (const kind of kinds) {
    const run = epochRunner(kind, beats);
    const stepTimes = await timeAll({ step: run.step }, cfg);
    rows.push({ suite: 'training', name: `${kind} step (batch 32)`, ms: stepTimes.step.ms, value: 1000 / stepTimes.step.ms, unit: 'steps/s', samples: stepTimes.step.samples });
    // Whole epochs are slow for the sequence models: fewer samples, same tinybench timing.
    const epochCfg = { timeMs: cfg.timeMs * 2, warmupMs: cfg.warmupMs };
    const fast = await timeAll({ epoch: run.epoch }, epochCfg);
    setBackend(createCpuBackend({ matmul: 'naive' }));
    const naiveRun = epochRunner(kind, beats);
    const slow = await timeAll({ epoch: naiveRun.epoch }, epochCfg);
    setBackend(original);
    rows.push({ suite: 'training', name: `${kind} epoch, naive matmul (${beats.n} beats)`, ms: slow.epoch.ms, value: slow.epoch.ms / 1000, unit: 's/epoch', samples: slow.epoch.samples });
    rows.push({ suite: 'training', name: `${kind} epoch (${beats.n} beats)`, ms: fast.epoch.ms, value: fast.epoch.ms / 1000, unit: 's/epoch',
      baseline: `${kind} epoch, naive matmul (${beats.n} beats)`, ratio: slow.epoch.ms / fast.epoch.ms, samples: fast.epoch.samples });
  }
  return rows;
}
