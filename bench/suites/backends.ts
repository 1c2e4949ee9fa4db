// Per backend and gpu.js mode: matmul GFLOP/s at 256x140x64, 512³ and 1024³ (baseline: the CPU
// blocked kernel in the same run), and one epoch of the dense autoencoder (baseline: the CPU
// backend). Every gpu.js call includes what the Backend interface costs: uploading the inputs
// and reading the result back. Kernel compilation (first call per shape) is excluded.

import { matmulBlocked } from '../../src/backends/cpu/matmul.ts';
import { createCpuBackend, getBackend, setBackend } from '../../src/index.ts';
import { createRng } from '../../src/engine/random.ts';
import type { BeatMatrix } from '../../src/training/trainer.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';
import { epochRunner } from './training.ts';

const SHAPES: [number, number, number][] = [[256, 140, 64], [512, 512, 512], [1024, 1024, 1024]];

/** gpu.js modes that can run here: webasm and cpu anywhere, headlessgl with an X display. */
export function benchModes(): string[] {
  return ['webasm', 'cpu', ...(process.env.DISPLAY ? ['headlessgl'] : [])];
}

export async function backendsSuite(cfg: BenchConfig, beats: BeatMatrix, modes = benchModes()): Promise<Row[]> {
  const { createGpujsBackend } = await import('../../src/backends/gpujs/index.ts');
  const backends = await Promise.all(modes.map((mode) => createGpujsBackend({ mode: mode as 'webasm' })));
  const rows: Row[] = [];
  const rng = createRng('bench-backends');
  // Big shapes take seconds per call on gpu.js: a shorter time budget, tinybench's minimum runs.
  const slowCfg = { timeMs: Math.min(cfg.timeMs, 300), warmupMs: 0 };
  for (const [m, k, n] of SHAPES) {
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const c = new Float32Array(m * n);
    const fns: Record<string, () => void> = { cpu: () => matmulBlocked(a, b, c, m, k, n, 'nn', false) };
    for (const be of backends) {
      be.matmul(a, b, c, m, k, n, 'nn', false); // compile this shape's kernel outside the timing
      fns[be.name] = () => be.matmul(a, b, c, m, k, n, 'nn', false);
    }
    const times = await timeAll(fns, m >= 512 ? slowCfg : cfg);
    const shape = `${m}x${k}x${n} nn`;
    for (const [name, t] of Object.entries(times)) {
      rows.push({ suite: 'backends', name: `${name} matmul ${shape}`, ms: t.ms, value: (2 * m * k * n) / (t.ms * 1e6), unit: 'GFLOP/s',
        ...(name === 'cpu' ? {} : { baseline: `cpu matmul ${shape}`, ratio: times.cpu.ms / t.ms }), samples: t.samples });
    }
  }
  // One dense-autoencoder epoch per backend (the same seeded model and batches).
  const original = getBackend();
  const epochTimes: Record<string, { ms: number; samples: number }> = {};
  for (const be of [createCpuBackend(), ...backends]) {
    setBackend(be);
    const run = epochRunner('dense', beats);
    run.epoch(); // compiles gpu.js kernels for every shape of the step
    epochTimes[be.name] = (await timeAll({ epoch: run.epoch }, slowCfg)).epoch;
  }
  setBackend(original);
  for (const [name, t] of Object.entries(epochTimes)) {
    rows.push({ suite: 'backends', name: `${name} dense epoch (${beats.n} beats)`, ms: t.ms, value: t.ms / 1000, unit: 's/epoch',
      ...(name === 'cpu' ? {} : { baseline: `cpu dense epoch (${beats.n} beats)`, ratio: epochTimes.cpu.ms / t.ms }), samples: t.samples });
  }
  for (const be of backends) be.destroy();
  return rows;
}
