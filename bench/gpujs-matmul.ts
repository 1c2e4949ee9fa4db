// Matmul GFLOP/s on the gpujs backend, per gpu.js mode, against the CPU blocked kernel.
//
//   npx tsx bench/gpujs-matmul.ts                    # modes webasm, cpu (+ headlessgl with a DISPLAY)
//   xvfb-run -a npx tsx bench/gpujs-matmul.ts --modes webasm,headlessgl --layouts nn,nt
//
// Each call includes what the Backend interface costs: uploading A and B and reading C back.
// The first call of each shape compiles the kernel; it is timed separately ("compile ms").

import { parseArgs } from 'node:util';
import { matmulBlocked } from '../src/backends/cpu/matmul.ts';
import type { MatmulLayout } from '../src/backends/backend.ts';
import { createGpujsBackend, type GpujsMode } from '../src/backends/gpujs/index.ts';
import { createRng } from '../src/engine/random.ts';
import { timeAll, type BenchConfig } from './lib.ts';

const SHAPES: [number, number, number][] = [[256, 140, 64], [512, 512, 512], [1024, 1024, 1024]];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    modes: { type: 'string' }, layouts: { type: 'string', default: 'nn' }, quick: { type: 'boolean' },
  } });
  const modes = (values.modes?.split(',') ?? ['webasm', 'cpu', ...(process.env.DISPLAY ? ['headlessgl'] : [])]) as GpujsMode[];
  const layouts = values.layouts!.split(',') as MatmulLayout[];
  const cfg: BenchConfig = values.quick ? { timeMs: 200, warmupMs: 0 } : { timeMs: 1000, warmupMs: 200 };
  const backends = await Promise.all(modes.map((mode) => createGpujsBackend({ mode })));
  const rng = createRng('bench-gpujs-matmul');
  console.log('shape          layout  kernel            ms/call   GFLOP/s   compile ms');
  for (const [m, k, n] of SHAPES) {
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const c = new Float32Array(m * n);
    const gflops = (ms: number) => (2 * m * k * n) / (ms * 1e6);
    for (const layout of layouts) {
      const fns: Record<string, () => void> = { 'cpu blocked': () => matmulBlocked(a, b, c, m, k, n, layout, false) };
      const compileMs: Record<string, number> = {};
      for (const be of backends) {
        const t0 = performance.now();
        be.matmul(a, b, c, m, k, n, layout, false); // compiles the kernel for this shape
        compileMs[be.name] = performance.now() - t0;
        fns[be.name] = () => be.matmul(a, b, c, m, k, n, layout, false);
      }
      const times = await timeAll(fns, cfg);
      for (const [name, t] of Object.entries(times)) {
        console.log(`${`${m}x${k}x${n}`.padEnd(15)}${layout.padEnd(8)}${name.padEnd(18)}` +
          `${t.ms.toFixed(2).padStart(8)}  ${gflops(t.ms).toFixed(2).padStart(8)}   ` +
          `${compileMs[name] !== undefined ? compileMs[name].toFixed(0).padStart(6) : '     -'}`);
      }
    }
  }
  for (const be of backends) be.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
