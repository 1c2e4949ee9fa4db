// Runs inside a browser page (bundled by bench/gpujs-browser.ts, with gpu.js's browser build
// loaded first as window.GPU): every gpujs kernel against the CPU kernel in the same page,
// then matmul GFLOP/s. Small self-contained random inputs; tolerance rtol 1e-4, atol 1e-5.

import type { Backend, BinaryOp, MatmulLayout, UnaryOp } from '../src/backends/backend.ts';
import { createCpuBackend } from '../src/backends/cpu/index.ts';
import { createGpujsBackend, type GpujsMode } from '../src/backends/gpujs/index.ts';
import type { GpuJsModule } from '../src/backends/gpujs/load.ts';

export interface CheckRow { mode: string; check: string; ok: boolean; detail: string }
export interface SpeedRow { kernel: string; shape: string; ms: number; gflops: number }

let seed = 12345;
/** A tiny LCG, so the page needs no dependency: uniform in [lo, hi). */
function rand(n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) { seed = (seed * 1664525 + 1013904223) >>> 0; out[i] = lo + (hi - lo) * (seed / 2 ** 32); }
  return out;
}

function compare(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]))) {
      return `element ${i}: ${got[i]} vs ${want[i]}`;
    }
  }
  return null;
}

function checks(gpu: Backend, cpu: Backend, rows: CheckRow[]): void {
  const add = (check: string, err: string | null) =>
    rows.push({ mode: gpu.name, check, ok: err === null, detail: err ?? 'ok' });
  const guard = (check: string, fn: () => string | null) => {
    try { add(check, fn()); } catch (e) { add(check, `threw: ${(e as Error).message.slice(0, 300)}`); }
  };
  for (const layout of ['nn', 'tn', 'nt'] as MatmulLayout[]) {
    for (const [m, k, n] of [[3, 5, 7], [32, 140, 16], [5, 1100, 3], [37, 21, 45]]) {
      for (const acc of [false, true]) {
        guard(`matmul ${layout} ${m}x${k}x${n} acc=${acc}`, () => {
          const a = rand(m * k), b = rand(k * n), start = rand(m * n);
          const want = start.slice(), got = start.slice();
          cpu.matmul(a, b, want, m, k, n, layout, acc);
          gpu.matmul(a, b, got, m, k, n, layout, acc);
          return compare(got, want);
        });
      }
    }
  }
  const ops: [UnaryOp, number][] = [['neg', 0], ['relu', 0], ['leakyRelu', 0.01], ['sigmoid', 0],
    ['tanh', 0], ['exp', 0], ['log', 0], ['softplus', 0], ['square', 0], ['sqrt', 0], ['pow', 2.5],
    ['pow', 3], ['abs', 0], ['gelu', 0], ['geluTanh', 0]];
  // sin and cos are not here: the gpujs backend runs them on the CPU kernel (see its index.ts).
  for (const [op, alpha] of ops) {
    guard(`unary ${op}(${alpha})`, () => {
      const n = 1000;
      const positive = op === 'log' || op === 'sqrt' || (op === 'pow' && alpha === 2.5);
      const x = positive ? rand(n, 0.1, 3) : rand(n, -6, 6);
      const y = new Float32Array(n), yGpu = new Float32Array(n);
      cpu.unary(op, x, y, alpha); gpu.unary(op, x, yGpu, alpha);
      return compare(yGpu, y); // backward is the engine's own (UNARY_OPS), the same on every backend
    });
  }
  const cases: [number[], number[], number[]][] = [[[4, 5], [4, 5], [4, 5]], [[7], [1], [7]],
    [[6, 7], [7], [6, 7]], [[3, 1], [1, 4], [3, 4]], [[2, 3, 4], [3, 1], [2, 3, 4]], [[5], [4, 5], [4, 5]]];
  for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
    for (const [aShape, bShape, outShape] of cases) {
      guard(`binary ${op} [${aShape}] [${bShape}]`, () => {
        const a = rand(size(aShape)), b = rand(size(bShape), 0.5, 2);
        const want = new Float32Array(size(outShape)), got = new Float32Array(size(outShape));
        cpu.binary(op, a, aShape, b, bShape, want, outShape);
        gpu.binary(op, a, aShape, b, bShape, got, outShape);
        return compare(got, want);
      });
    }
  }
  for (const [xShape, outShape] of [[[9], [9]], [[1000], []], [[300, 7], [7]], [[5, 4], [5, 1]], [[2, 3, 4], [2, 1, 4]]]) {
    guard(`sumToShape [${xShape}] -> [${outShape}]`, () => {
      const x = rand(size(xShape)), start = rand(size(outShape));
      const want = start.slice(), got = start.slice();
      cpu.sumToShape(x, xShape, want, outShape); gpu.sumToShape(x, xShape, got, outShape);
      return compare(got, want);
    });
  }
  guard('mse loss + backward, n=16387', () => {
    const n = 16387, p = rand(n), t = rand(n), start = rand(n);
    const want = start.slice(), got = start.slice();
    cpu.mseLossBackward(p, t, 0.7, want); gpu.mseLossBackward(p, t, 0.7, got);
    return compare([gpu.mseLoss(p, t)], [cpu.mseLoss(p, t)]) ?? compare(got, want);
  });
  guard('adam, 5 steps, weight decay 0.01', () => {
    const n = 1234, p0 = rand(n);
    const w = { p: p0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    const g = { p: p0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    for (let step = 1; step <= 5; step++) {
      const grad = rand(n);
      const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step };
      cpu.adamUpdate(w.p, grad, w.m, w.v, h); gpu.adamUpdate(g.p, grad, g.m, g.v, h);
    }
    return compare(g.m, w.m) ?? compare(g.v, w.v) ?? compare(g.p, w.p);
  });
}

function speed(backends: Backend[], rows: SpeedRow[]): void {
  for (const [m, k, n] of [[256, 140, 64], [512, 512, 512], [1024, 1024, 1024]]) {
    const a = rand(m * k), b = rand(k * n), c = new Float32Array(m * n);
    for (const be of backends) {
      be.matmul(a, b, c, m, k, n, 'nn', false); // compile / warm up
      const reps = m >= 1024 ? 2 : 5;
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) be.matmul(a, b, c, m, k, n, 'nn', false);
      const ms = (performance.now() - t0) / reps;
      rows.push({ kernel: be.name, shape: `${m}x${k}x${n}`, ms, gflops: (2 * m * k * n) / (ms * 1e6) });
    }
  }
}

function size(shape: readonly number[]): number { return shape.reduce((s, d) => s * d, 1); }

/** Entry point, called by the runner through page.evaluate. */
export async function run(modes: GpujsMode[], withSpeed = true): Promise<{ checks: CheckRow[]; speed: SpeedRow[]; errors: string[] }> {
  const gpujs = (globalThis as unknown as { GPU: GpuJsModule }).GPU;
  const cpu = createCpuBackend();
  const rows: CheckRow[] = [], speedRows: SpeedRow[] = [], errors: string[] = [];
  const backends: Backend[] = [cpu];
  for (const mode of modes) {
    try {
      const gpu = await createGpujsBackend({ mode, gpujs });
      checks(gpu, cpu, rows);
      backends.push(gpu);
    } catch (e) {
      errors.push(`${mode}: ${(e as Error).message}`);
    }
  }
  if (withSpeed) speed(backends, speedRows);
  return { checks: rows, speed: speedRows, errors };
}
