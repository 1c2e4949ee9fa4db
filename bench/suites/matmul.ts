// Matmul GFLOP/s, every layout, at the dense autoencoder's layer shapes and one large square
// shape: the register-blocked TS kernel against the naive triple loop, and the wasm backend's
// SIMD kernel (copies in and out included) against the blocked TS kernel, in the same run.

import { matmulBlocked, matmulNaive } from '../../src/backends/cpu/matmul.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { createRng } from '../../src/engine/random.ts';
import type { MatmulLayout } from '../../src/backends/backend.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

export const MATMUL_SHAPES: [number, number, number][] = [[32, 140, 64], [32, 64, 140], [64, 140, 64], [256, 140, 64], [512, 512, 512]];
const LAYOUTS: MatmulLayout[] = ['nn', 'tn', 'nt'];

export async function matmulSuite(cfg: BenchConfig, shapes = MATMUL_SHAPES, layouts = LAYOUTS): Promise<Row[]> {
  const rows: Row[] = [];
  const rng = createRng('bench-matmul');
  const wasm = createWasmBackend();
  for (const [m, k, n] of shapes) {
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const c = new Float32Array(m * n);
    for (const layout of layouts) {
      const times = await timeAll({
        naive: () => matmulNaive(a, b, c, m, k, n, layout, false),
        blocked: () => matmulBlocked(a, b, c, m, k, n, layout, false),
        wasm: () => wasm.matmul(a, b, c, m, k, n, layout, false),
      }, cfg);
      const gflops = (ms: number) => (2 * m * k * n) / (ms * 1e6);
      const shape = `${m}x${k}x${n} ${layout}`;
      rows.push({ suite: 'matmul', name: `naive ${shape}`, ms: times.naive.ms, value: gflops(times.naive.ms), unit: 'GFLOP/s', samples: times.naive.samples });
      rows.push({ suite: 'matmul', name: `blocked ${shape}`, ms: times.blocked.ms, value: gflops(times.blocked.ms), unit: 'GFLOP/s',
        baseline: `naive ${shape}`, ratio: times.naive.ms / times.blocked.ms, samples: times.blocked.samples });
      rows.push({ suite: 'matmul', name: `wasm ${shape}`, ms: times.wasm.ms, value: gflops(times.wasm.ms), unit: 'GFLOP/s',
        baseline: `blocked ${shape}`, ratio: times.blocked.ms / times.wasm.ms, samples: times.wasm.samples });
    }
  }
  return rows;
}
