// Every gpujs kernel against the CPU kernel (the reference), on random shapes, in every
// gpu.js mode that runs here (see gpujs-setup.ts). Tolerance: rtol 1e-4, atol 1e-5.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type Backend, type BinaryOp, type UnaryOp } from '../../src/index.ts';
import { createGpujsBackend, type GpujsBackend } from '../../src/backends/gpujs/index.ts';
import { expectClose } from '../helpers/reference.ts';
import { createRng, modesUnderTest, randomArray } from './gpujs-setup.ts';

const cpu: Backend = createCpuBackend();

it('gpu.js, an optionalDependency, is installed (CI installs it; this must not be skipped)', async () => {
  const mod = await import('gpu.js').catch((e: Error) => {
    throw new Error(`gpu.js is not installed (${e.message}): run npm install without --omit=optional`);
  });
  expect(typeof (mod as { GPU?: unknown }).GPU).toBe('function');
});

it('an unknown or unavailable mode throws an error naming it, never falls back', async () => {
  await expect(createGpujsBackend({ mode: 'nope' as never })).rejects.toThrow(/mode 'nope'/);
  await expect(createGpujsBackend({ mode: 'webgl2' })).rejects.toThrow(/mode 'webgl2' is not available/);
  await expect(createGpujsBackend({ mode: 'webgpu' as never })).rejects.toThrow(/mode 'webgpu'.*synchronous/);
});

it("'auto' picks the first available of headlessgl, webgl2, webgl, webasm and says which", async () => {
  const { GPU } = (await import('gpu.js')) as unknown as { GPU: { isHeadlessGLSupported: boolean } };
  const gpu = await createGpujsBackend({ mode: 'auto' });
  try {
    // In Node there is no webgl/webgl2, so: headlessgl when it works (X display + gl), else webasm.
    expect(gpu.name).toBe(`gpujs:${GPU.isHeadlessGLSupported ? 'headlessgl' : 'webasm'}`);
  } finally {
    gpu.destroy();
  }
});

for (const mode of modesUnderTest()) {
  describe(`gpujs:${mode} kernels equal the CPU kernels`, () => {
    let gpu: GpujsBackend;
    beforeAll(async () => { gpu = await createGpujsBackend({ mode }); });
    afterAll(() => gpu?.destroy());

    it('is named after its mode', () => expect(gpu.name).toBe(`gpujs:${mode}`));

    for (const layout of ['nn', 'tn', 'nt'] as const) {
      it(`matmul ${layout}, overwrite and accumulate`, () => {
        const rng = createRng(`matmul-${layout}`);
        // Edge sizes, a training shape, k over WebGL 1's default loop bound, then random ones.
        const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [32, 140, 16], [5, 1100, 3]];
        for (let t = 0; t < 4; t++) shapes.push([1 + rng.int(40), 1 + rng.int(70), 1 + rng.int(40)]);
        for (const [m, k, n] of shapes) {
          const a = randomArray(rng, m * k), b = randomArray(rng, k * n);
          for (const accumulate of [false, true]) {
            const start = randomArray(rng, m * n);
            const want = start.slice(), got = start.slice();
            cpu.matmul(a, b, want, m, k, n, layout, accumulate);
            gpu.matmul(a, b, got, m, k, n, layout, accumulate);
            expectClose(got, want, `${mode} ${layout} ${m}x${k}x${n} acc=${accumulate}`);
          }
        }
      });
    }

    const unaryOps: [UnaryOp, number][] = [['neg', 0], ['relu', 0], ['leakyRelu', 0.01],
      ['sigmoid', 0], ['tanh', 0], ['exp', 0], ['log', 0], ['softplus', 0], ['square', 0],
      ['sqrt', 0], ['pow', 2.5], ['pow', 3], ['pow', 2], ['abs', 0], ['sin', 0], ['cos', 0], ['gelu', 0],
      ['geluTanh', 0]];
    /** Inputs inside each op's domain: log, sqrt and fractional pow need x > 0. */
    const inputFor = (op: UnaryOp, alpha: number, n: number, seed: string) => {
      const rng = createRng(seed);
      const positive = op === 'log' || op === 'sqrt' || (op === 'pow' && !Number.isInteger(alpha));
      return positive ? randomArray(rng, n, 0.1, 3) : randomArray(rng, n, -6, 6);
    };

    // Forward kernels only: every backend shares the engine's backward (UNARY_OPS).
    it('unary ops', () => {
      for (const [op, alpha] of unaryOps) {
        for (const n of [1, 7, 1000]) {
          const x = inputFor(op, alpha, n, `${op}-${alpha}-${n}`);
          const want = new Float32Array(n), got = new Float32Array(n);
          cpu.unary(op, x, want, alpha);
          gpu.unary(op, x, got, alpha);
          expectClose(got, want, `${mode} ${op}(${alpha}) n=${n}`);
        }
      }
    });

    // [aShape, bShape]: same shape, scalar, row (bias), and general broadcasts both ways.
    const binaryCases: [number[], number[]][] = [
      [[4, 5], [4, 5]], [[7], [1]], [[3, 4], []], [[6, 7], [7]], [[2, 3, 5], [1, 5]],
      [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]], [[5], [4, 5]], [[1], [3, 2]], [[2, 1, 3], [2, 4, 1]],
    ];
    for (const op of ['add', 'sub', 'mul', 'div'] as BinaryOp[]) {
      it(`binary ${op} with broadcasting`, () => {
        for (const [aShape, bShape] of binaryCases) {
          const outShape = broadcast(aShape, bShape);
          const rng = createRng(`${op}-${aShape}-${bShape}`);
          const a = randomArray(rng, size(aShape));
          // Divisors kept away from zero so the comparison is about the kernel, not rounding.
          const b = op === 'div' ? randomArray(rng, size(bShape), 0.5, 2) : randomArray(rng, size(bShape));
          const want = new Float32Array(size(outShape)), got = new Float32Array(size(outShape));
          cpu.binary(op, a, aShape, b, bShape, want, outShape);
          gpu.binary(op, a, aShape, b, bShape, got, outShape);
          expectClose(got, want, `${mode} ${op} [${aShape}] [${bShape}]`);
        }
      });
    }

    it('sumToShape adds into out for every reduction pattern', () => {
      const cases: [number[], number[]][] = [
        [[9], [9]], [[4, 5], [1]], [[1000], []], [[300, 7], [7]], [[6, 7], [1, 7]],
        [[5, 4], [5, 1]], [[2, 3, 4], [3, 1]], [[2, 3, 4], [2, 1, 4]], [[3, 2, 5], [2, 5]],
      ];
      for (const [xShape, outShape] of cases) {
        const rng = createRng(`sum-${xShape}-${outShape}`);
        const x = randomArray(rng, size(xShape)), start = randomArray(rng, size(outShape));
        const want = start.slice(), got = start.slice();
        cpu.sumToShape(x, xShape, want, outShape);
        gpu.sumToShape(x, xShape, got, outShape);
        expectClose(got, want, `${mode} sum [${xShape}] -> [${outShape}]`);
      }
    });

    it('mse loss and its backward', () => {
      for (const n of [1, 255, 256, 1000, 16387]) {
        const rng = createRng(`mse-${n}`);
        const pred = randomArray(rng, n), target = randomArray(rng, n);
        expectClose([gpu.mseLoss(pred, target)], [cpu.mseLoss(pred, target)], `${mode} mse n=${n}`);
        const start = randomArray(rng, n);
        const want = start.slice(), got = start.slice();
        cpu.mseLossBackward(pred, target, 0.7, want);
        gpu.mseLossBackward(pred, target, 0.7, got);
        expectClose(got, want, `${mode} mse' n=${n}`);
      }
    });

    it('adam update, several steps, with and without weight decay', () => {
      for (const weightDecay of [0, 0.01]) {
        const n = 1234;
        const rng = createRng(`adam-${weightDecay}`);
        const p0 = randomArray(rng, n);
        const state = (p: Float32Array) => ({ p: p.slice(), m: new Float32Array(n), v: new Float32Array(n) });
        const want = state(p0), got = state(p0);
        for (let step = 1; step <= 5; step++) {
          const g = randomArray(rng, n);
          const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, step };
          cpu.adamUpdate(want.p, g, want.m, want.v, hyper);
          gpu.adamUpdate(got.p, g, got.m, got.v, hyper);
        }
        expectClose(got.m, want.m, `${mode} adam m wd=${weightDecay}`);
        expectClose(got.v, want.v, `${mode} adam v wd=${weightDecay}`);
        expectClose(got.p, want.p, `${mode} adam p wd=${weightDecay}`);
      }
    });

    it('compiles one kernel per (op, shape) and reuses it', () => {
      const before = gpu.kernelCount;
      const a = new Float32Array(6).fill(1), out = new Float32Array(4);
      for (let i = 0; i < 3; i++) gpu.matmul(a, a, out, 2, 3, 2, 'nt', false);
      expect(Array.from(out)).toEqual([3, 3, 3, 3]);
      expect(gpu.kernelCount - before).toBeLessThanOrEqual(1);
    });
  });
}

function size(shape: readonly number[]): number { return shape.reduce((s, d) => s * d, 1); }

function broadcast(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1, db = b[b.length - rank + i] ?? 1;
    return da === 1 ? db : da;
  });
}
