// Training cost per model: one optimizer step on a batch of 32 beats (default backend), and one
// whole epoch over the workload (the normal beats of ECG5000_TRAIN, batch 32) on each backend in
// the same process: cpu with the naive matmul (baseline of the cpu row), cpu (baseline of the
// wasm row), wasm.

import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { MODEL_KINDS, type ModelKind } from '../../src/autoencoders/registry.ts';
import { createCpuBackend, getBackend, setBackend, Adam, Tensor, createRng } from '../../src/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import type { BeatMatrix } from '../../src/training/trainer.ts';
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
    const epochOn = async (backend: ReturnType<typeof createCpuBackend>) => {
      setBackend(backend);
      try { return (await timeAll({ epoch: epochRunner(kind, beats).epoch }, epochCfg)).epoch; } finally { setBackend(original); }
    };
    const naive = await epochOn(createCpuBackend({ matmul: 'naive' }));
    const cpu = await epochOn(createCpuBackend());
    const wasm = await epochOn(createWasmBackend());
    const name = (b: string) => `${kind} epoch, ${b} (${beats.n} beats)`;
    rows.push({ suite: 'training', name: name('cpu naive matmul'), ms: naive.ms, value: naive.ms / 1000, unit: 's/epoch', samples: naive.samples });
    rows.push({ suite: 'training', name: name('cpu'), ms: cpu.ms, value: cpu.ms / 1000, unit: 's/epoch',
      baseline: name('cpu naive matmul'), ratio: naive.ms / cpu.ms, samples: cpu.samples });
    rows.push({ suite: 'training', name: name('wasm'), ms: wasm.ms, value: wasm.ms / 1000, unit: 's/epoch',
      baseline: name('cpu'), ratio: cpu.ms / wasm.ms, samples: wasm.samples });
  }
  return rows;
}
