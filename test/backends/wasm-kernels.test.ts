// Every wasm kernel against its TypeScript twin (the cpu backend), on random and odd shapes:
// 1x1, 7x13x11, sizes that are not multiples of the 4x8 tile, k = 0, accumulate on and off,
// all three layouts; and memory growth between calls (grow detaches views).

import { describe, expect, it } from 'vitest';
import type { MatmulLayout } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { instantiate, instantiateConv, wasmSupport } from '../../src/backends/wasm/module.ts';
import { Arena } from '../../src/backends/wasm/arena.ts';
import '../../src/backends/wasm/conv-methods.ts'; // the wasm backend's conv1d kernels (else composed on its matmul)
import { createRng } from '../../src/engine/random.ts';
import { unaryBackward } from '../../src/engine/ops/elementwise.ts';

const cpu = createCpuBackend();
const wasm = createWasmBackend();
const rng = createRng('wasm-kernels');
const rand = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

/** A fresh core instance with the conv module on its memory and an arena on that memory (throws without WebAssembly SIMD). */
function convInstance() {
  const support = wasmSupport();
  if (!support.ok) throw new Error(support.reason);
  const kx = instantiate(support.module), kc = instantiateConv(kx.memory)!;
  return { support, kx, kc, arena: new Arena(kx.memory) };
}

/** |got − want| ≤ rtol·(|want| + scale[i]) everywhere (scale: the size of the terms summed). */
function expectNear(got: Float32Array, want: Float32Array, rtol: number, scale?: Float64Array, what = ''): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = rtol * (Math.abs(want[i]) + (scale ? scale[i] : 0));
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      throw new Error(`${what}: element ${i}: wasm ${got[i]} vs TS ${want[i]} (tolerance ${tol})`);
    }
  }
}

/** Σ_p |A[i,p]|·|B[p,j]| (+ |C| when accumulating): the rounding scale of each output. */
function absScale(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number,
                  layout: MatmulLayout, acc: boolean): Float64Array {
  const s = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let t = acc ? Math.abs(c[i * n + j]) : 0;
    for (let p = 0; p < k; p++) {
      const av = layout === 'tn' ? a[p * m + i] : a[i * k + p];
      const bv = layout === 'nt' ? b[j * k + p] : b[p * n + j];
      t += Math.abs(av * bv);
    }
    s[i * n + j] = t;
  }
  return s;
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [7, 13, 11], [4, 8, 8], [5, 0, 3], [33, 17, 9],
  [3, 5, 17], [32, 140, 64], [13, 64, 140]];

describe('wasm matmul equals the TS kernel (rtol 1e-5)', () => {
  for (const layout of ['nn', 'tn', 'nt'] as MatmulLayout[]) {
    for (const acc of [false, true]) {
      it(`${layout}, accumulate ${acc}`, () => {
        for (const [m, k, n] of SHAPES) {
          const a = rand(m * k), b = rand(k * n), c0 = rand(m * n);
          const want = c0.slice(), got = c0.slice();
          cpu.matmul(a, b, want, m, k, n, layout, acc);
          wasm.matmul(a, b, got, m, k, n, layout, acc);
          expectNear(got, want, 1e-5, absScale(a, b, c0, m, k, n, layout, acc), `${m}x${k}x${n} ${layout}`);
        }
      });
    }
  }

  it('operands in subarrays, and a large call that grows memory between small ones', () => {
    const backing = rand(200), a = backing.subarray(3, 3 + 6 * 5), b = backing.subarray(50, 50 + 5 * 9);
    const want = new Float32Array(54), got = new Float32Array(54);
    cpu.matmul(a, b, want, 6, 5, 9, 'nn', false);
    wasm.matmul(a, b, got, 6, 5, 9, 'nn', false);
    expectNear(got, want, 1e-5, absScale(a, b, want, 6, 5, 9, 'nn', false), 'subarray');
    const [m, k, n] = [300, 301, 302]; // > 1 MB of operands: forces memory.grow
    const A = rand(m * k), B = rand(k * n), bigWant = new Float32Array(m * n), bigGot = new Float32Array(m * n);
    cpu.matmul(A, B, bigWant, m, k, n, 'nt', false);
    wasm.matmul(A, B, bigGot, m, k, n, 'nt', false);
    expectNear(bigGot, bigWant, 1e-5, absScale(A, B, bigWant, m, k, n, 'nt', false), 'after grow');
    const again = new Float32Array(54);
    wasm.matmul(a, b, again, 6, 5, 9, 'nn', false);
    expect(again).toEqual(got);
  });
});

describe('wasm MSE and Adam equal the TS kernels (rtol 1e-5)', () => {
  it('mse loss and backward at odd and even sizes', () => {
    for (const n of [1, 3, 4, 7, 140 * 32 + 1]) {
      const p = rand(n), t = rand(n), g0 = rand(n);
      expect(Math.abs(wasm.mseLoss(p, t) - cpu.mseLoss(p, t))).toBeLessThanOrEqual(1e-5 * cpu.mseLoss(p, t));
      const want = g0.slice(), got = g0.slice();
      cpu.mseLossBackward(p, t, 0.7, want);
      wasm.mseLossBackward(p, t, 0.7, got);
      const scale = Float64Array.from(g0, (g, i) => Math.abs(g) + Math.abs((1.4 / n) * (p[i] - t[i])));
      expectNear(got, want, 1e-5, scale, `mse backward n=${n}`);
    }
  });

  it('mse loss when its operands end exactly at the end of linear memory (no read past the data)', () => {
    // p and t of 8192 floats fill one 64 KiB page exactly in a fresh backend; 16384 fill two.
    for (const n of [8192, 16384]) {
      const fresh = createWasmBackend();
      const p = rand(n), t = rand(n);
      expect(Math.abs(fresh.mseLoss(p, t) - cpu.mseLoss(p, t))).toBeLessThanOrEqual(1e-5 * cpu.mseLoss(p, t));
    }
  });

  it('adam: 5 steps with weight decay, odd size', () => {
    const n = 1237, p0 = rand(n);
    const w = { p: p0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    const g = { p: p0.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    for (let step = 1; step <= 5; step++) {
      const grad = rand(n);
      const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step };
      cpu.adamUpdate(w.p, grad, w.m, w.v, h);
      wasm.adamUpdate(g.p, grad, g.m, g.v, h);
    }
    // m and v are sums of terms (1−β)·g and (1−β)·g² with |g| ≲ 1: those sizes set their rounding scale.
    expectNear(g.m, w.m, 1e-5, new Float64Array(n).fill(0.5), 'm');
    expectNear(g.v, w.v, 1e-5, new Float64Array(n).fill(0.01), 'v');
    expectNear(g.p, w.p, 1e-5, new Float64Array(n).fill(5 * 1e-3), 'p'); // + 5 updates of size ≤ lr
  });

  it('sumToShape [rows, C] → [C] (col_sum from 256 values) equals the TS rows, in the same order, at odd sizes', () => {
    for (const [rows, C] of [[4480, 128], [4097, 1], [1366, 3], [821, 5], [37, 7], [10, 7], [3, 140]]) {
      const x = rand(rows * C), start = rand(C);
      const want = start.slice(), got = start.slice();
      cpu.sumToShape(x, [rows, C], want, [C]);
      wasm.sumToShape(x, [rows, C], got, [C]);
      expect(got, `${rows}x${C}`).toEqual(want);
      const got3 = start.slice(), want3 = start.slice();      // a leading axis more, out [1, C]
      cpu.sumToShape(x, [1, rows, C], want3, [1, C]);
      wasm.sumToShape(x, [1, rows, C], got3, [1, C]);
      expect(got3, `1x${rows}x${C}`).toEqual(want3);
    }
  });

  it('a NaN input stays NaN (nothing is silently finite)', () => {
    const p = Float32Array.of(1, Number.NaN, 3, 4, 5), t = new Float32Array(5);
    expect(wasm.mseLoss(p, t)).toBeNaN();
    const a = Float32Array.of(Number.NaN, 1), c = new Float32Array(2);
    wasm.matmul(a, Float32Array.of(1, 1), c, 2, 1, 1, 'nn', false);
    expect(c[0]).toBeNaN();
    expect(c[1]).toBe(1);
  });
});

describe('wasm LSTM recurrence equals the TS twin (rtol 1e-5)', () => {
  it('σ, tanh and eˣ on f32x4 match Math to 1e-6 relative, over the gates\' range, NaN kept', async () => {
    const { sigmoid } = await import('../../src/kernel-math/scalar.ts');
    const support = wasmSupport();
    if (!support.ok) throw new Error(support.reason);
    const kx = instantiate(support.module);
    const n = 4000;
    const x = Float32Array.from({ length: n }, (_, i) => (i < n - 4 ? -30 + (60 * i) / (n - 4) : [0, -1e-6, 1e-6, Number.NaN][i - n + 4]));
    const mem = new Float32Array(kx.memory.buffer);
    mem.set(x, 0);
    const check = (op: number, f: (v: number) => number, absTol: number) => {
      kx.activation(0, n * 4, n, op);
      const out = new Float32Array(kx.memory.buffer, n * 4, n);
      for (let i = 0; i < n; i++) {
        const want = f(x[i]);
        if (Number.isNaN(want)) { expect(out[i], `op ${op} NaN`).toBeNaN(); continue; }
        expect(Math.abs(out[i] - want), `op ${op} at x=${x[i]}`).toBeLessThanOrEqual(1e-6 * Math.abs(want) + absTol);
      }
    };
    check(0, sigmoid, 1e-30);
    check(1, Math.tanh, 1e-30);
    check(2, Math.exp, 1e-30);
  });

  it('forward and BPTT at odd sizes (H not a multiple of 8, B not of 4, T = 1)', async () => {
    const { lstmForward, lstmBackward } = await import('../../src/backends/composed/lstm.ts');
    for (const [T, B, H] of [[1, 1, 1], [5, 3, 7], [6, 4, 8], [9, 5, 13], [35, 32, 32]]) {
      const G = 4 * H, TB = T * B;
      const pre = rand(TB * G, -2, 2), wHh = rand(G * H, -0.5, 0.5), gy = rand(TB * H);
      const run = (be: typeof cpu) => {
        const gates = pre.slice(), cs = new Float32Array(TB * H), tc = new Float32Array(TB * H), hs = new Float32Array(TB * H);
        const da = new Float32Array(TB * G);
        if (be === cpu) {
          lstmForward(cpu.matmul, gates, wHh, cs, tc, hs, T, B, H);
          lstmBackward(cpu.matmul, gy, gates, cs, tc, wHh, da, T, B, H);
        } else {
          be.lstmForward!(gates, wHh, cs, tc, hs, T, B, H);
          be.lstmBackward!(gy, gates, cs, tc, wHh, da, T, B, H);
        }
        return { gates, cs, tc, hs, da };
      };
      const want = run(cpu), got = run(wasm);
      for (const k of ['gates', 'cs', 'tc', 'hs', 'da'] as const) {
        // Values are O(1) sums of O(1) terms: an absolute floor of 1e-5 on top of rtol 1e-5.
        expectNear(got[k], want[k], 1e-5, new Float64Array(want[k].length).fill(1), `T${T} B${B} H${H} ${k}`);
      }
    }
  });
});

describe('wasm fused linear equals matmul + bias + ReLU on the TS kernels', () => {
  it('odd shapes, with and without bias and ReLU, NaN → 0 through ReLU as the twin', () => {
    for (const [rows, inF, outF] of [[1, 1, 1], [7, 13, 11], [32, 140, 64], [5, 16, 140]]) {
      for (const withBias of [false, true]) {
        for (const relu of [false, true]) {
          const x = rand(rows * inF), w = rand(outF * inF), b = withBias ? rand(outF) : null;
          if (rows * inF > 3) x[3] = Number.NaN;
          const want = new Float32Array(rows * outF), got = new Float32Array(rows * outF);
          cpu.matmul(x, w, want, rows, inF, outF, 'nt', false);
          if (b) cpu.binary('add', want, [rows, outF], b, [outF], want, [rows, outF]);
          if (relu) cpu.unary('relu', want, want, 0);
          wasm.linearForward!(x, w, b, got, rows, inF, outF, relu);
          const scale = absScale(x, w, want, rows, inF, outF, 'nt', false).map((v, i) => v + (b ? Math.abs(b[i % outF]) : 0));
          for (let i = 0; i < want.length; i++) {
            if (Number.isNaN(want[i])) { expect(got[i], `${rows}x${inF}x${outF} [${i}]`).toBeNaN(); continue; }
            if (Number.isNaN(scale[i])) { expect(got[i]).toBe(want[i]); continue; } // a NaN row ReLU'd to 0
            expect(Math.abs(got[i] - want[i]), `${rows}x${inF}x${outF} bias ${withBias} relu ${relu} [${i}]`)
              .toBeLessThanOrEqual(1e-5 * (Math.abs(want[i]) + scale[i]));
          }
        }
      }
    }
  });
});

describe('wasm conv1d (im2row + gemm) equals the TS twin', () => {
  it('forward and backward at odd geometries (stride, padding, 1 channel, batch not a tile multiple)', async () => {
    const { conv1dRowsForward, conv1dRowsBackward } = await import('../../src/backends/composed/conv-rows.ts');
    const geometries = [
      { N: 1, Cin: 1, Cout: 1, K: 1, stride: 1, padding: 0, L: 1 },
      { N: 3, Cin: 2, Cout: 5, K: 3, stride: 2, padding: 1, L: 11 },
      { N: 5, Cin: 1, Cout: 16, K: 7, stride: 1, padding: 3, L: 144 },
      { N: 2, Cin: 16, Cout: 9, K: 7, stride: 3, padding: 5, L: 13 },
    ];
    for (const geo of geometries) {
      for (const relu of [false, true]) {
        const g = { ...geo, Lout: Math.floor((geo.L + 2 * geo.padding - geo.K) / geo.stride) + 1 };
        const x = rand(g.N * g.Cin * g.L), w = rand(g.Cout * g.Cin * g.K), b = rand(g.Cout);
        const gy = rand(g.N * g.Cout * g.Lout), dx0 = rand(x.length), dw0 = rand(w.length);
        const db0 = rand(g.Cout);
        const want = { y: new Float32Array(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        const got = { y: new Float32Array(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        conv1dRowsForward(cpu.matmul, x, w, b, want.y, g, relu);
        // Both backwards mask by the same ReLU output (values near 0 may round to either side).
        conv1dRowsBackward(cpu.matmul, x, w, gy, want.dx, want.dw, want.db, g, relu ? want.y : null);
        wasm.conv1dForward!(x, w, b, got.y, g, relu);
        wasm.conv1dBackward!(x, w, gy, got.dx, got.dw, got.db, g, relu ? want.y : null);
        expectConvNear(got, want, g, `${JSON.stringify(geo)} relu ${relu}`);
        if (relu && want.y.length > 8) expect(want.y.some((v) => v === 0) && want.y.some((v) => v > 0), 'the ReLU masks some outputs').toBe(true);
      }
    }
  });
});

describe('wasm direct conv1d (stride 1, conv-direct.wat) equals the naive TS twin', () => {
  it('forward, dx and dW at odd geometries (1 channel, K even and 1, padding 0 and K − 1, lengths off the tile)', async () => {
    const { conv1dNaive, conv1dBackwardNaive } = await import('../../src/backends/cpu/conv.ts');
    const { directConv1dForward, directConv1dBackward, directConvFits } = await import('../../src/backends/wasm/conv-direct.ts');
    const { kc, arena } = convInstance();
    const geometries = [
      { N: 1, Cin: 1, Cout: 1, K: 1, padding: 0, L: 1 },
      { N: 3, Cin: 2, Cout: 5, K: 3, padding: 1, L: 11 },
      { N: 2, Cin: 3, Cout: 7, K: 4, padding: 3, L: 9 },
      { N: 5, Cin: 1, Cout: 16, K: 7, padding: 3, L: 144 },
      { N: 3, Cin: 16, Cout: 32, K: 7, padding: 3, L: 72 },
      { N: 2, Cin: 32, Cout: 16, K: 7, padding: 0, L: 37 },
      { N: 4, Cin: 16, Cout: 1, K: 7, padding: 3, L: 141 },
      { N: 1, Cin: 9, Cout: 6, K: 5, padding: 2, L: 3 },
    ];
    const { maskByRelu, reluInPlace } = await import('../../src/backends/composed/conv-rows.ts');
    for (const geo of geometries) {
      for (const relu of [false, true]) {
        const g = { ...geo, stride: 1, Lout: geo.L + 2 * geo.padding - geo.K + 1 };
        expect(directConvFits(g)).toBe(true);
        const x = rand(g.N * g.Cin * g.L), w = rand(g.Cout * g.Cin * g.K), b = rand(g.Cout);
        const gy = rand(g.N * g.Cout * g.Lout), dx0 = rand(x.length), dw0 = rand(w.length);
        const db0 = rand(g.Cout);
        const want = { y: new Float32Array(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        const got = { y: rand(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        conv1dNaive(x, w, b, want.y, g);
        if (relu) reluInPlace(want.y);
        const gyIn = relu ? new Float32Array(gy.length) : gy;
        if (relu) maskByRelu(gy, want.y, gyIn);
        conv1dBackwardNaive(x, w, gyIn, want.dx, want.dw, want.db, g);
        const reluOut = relu ? want.y : null;
        directConv1dForward(kc, arena, x, w, b, got.y, g, relu);
        directConv1dBackward(kc, arena, x, w, gy, got.dx, got.dw, got.db, g, reluOut);
        expectConvNear(got, want, g, `${JSON.stringify(geo)} relu ${relu}`);
        // Each gradient alone (the other null) gives the same numbers.
        const onlyDx = dx0.slice(), onlyDw = dw0.slice();
        directConv1dBackward(kc, arena, x, w, gy, onlyDx, null, null, g, reluOut);
        directConv1dBackward(kc, arena, x, w, gy, null, onlyDw, null, g, reluOut);
        expect(onlyDx).toEqual(got.dx);
        expect(onlyDw).toEqual(got.dw);
      }
    }
  });

  it('the backend takes the direct path for stride 1 and the im2row path otherwise', async () => {
    const { directConvFits } = await import('../../src/backends/wasm/conv-direct.ts');
    expect(directConvFits({ N: 32, Cin: 16, Cout: 32, K: 7, stride: 1, padding: 3, L: 72, Lout: 72 })).toBe(true);
    expect(directConvFits({ N: 32, Cin: 16, Cout: 32, K: 7, stride: 2, padding: 3, L: 72, Lout: 36 })).toBe(false);
    expect(directConvFits({ N: 2, Cin: 16, Cout: 9, K: 3, stride: 1, padding: 5, L: 13, Lout: 21 })).toBe(false);
  });
});

describe('wasm upsample → conv1d by output phase (conv-polyphase.ts) equals the naive TS twin on the upsampled input', () => {
  it('forward, dx and dW at odd geometries (factor 2 and 3, K odd and even, padding 0 to K − 1, odd lengths)', async () => {
    const { conv1dNaive, conv1dBackwardNaive } = await import('../../src/backends/cpu/conv.ts');
    const { polyphaseConv1dForward, polyphaseConv1dBackward, polyphaseFits } = await import('../../src/backends/wasm/conv-polyphase.ts');
    const { maskByRelu, reluInPlace } = await import('../../src/backends/composed/conv-rows.ts');
    const { kc, arena } = convInstance();
    const geometries = [
      { N: 3, Cin: 32, Cout: 16, K: 7, padding: 3, Ls: 36, up: 2 },
      { N: 2, Cin: 16, Cout: 16, K: 7, padding: 3, Ls: 72, up: 2 },
      { N: 1, Cin: 1, Cout: 1, K: 1, padding: 0, Ls: 1, up: 2 },
      { N: 5, Cin: 3, Cout: 5, K: 3, padding: 1, Ls: 7, up: 3 },
      { N: 2, Cin: 4, Cout: 3, K: 4, padding: 0, Ls: 9, up: 2 },
      { N: 3, Cin: 2, Cout: 7, K: 5, padding: 4, Ls: 5, up: 2 },
      { N: 1, Cin: 5, Cout: 2, K: 6, padding: 2, Ls: 11, up: 3 },
    ];
    for (const geo of geometries) {
      for (const relu of [false, true]) {
        const L = geo.Ls * geo.up;
        const g = { N: geo.N, Cin: geo.Cin, Cout: geo.Cout, K: geo.K, padding: geo.padding, stride: 1, L, Lout: L + 2 * geo.padding - geo.K + 1, up: geo.up };
        expect(polyphaseFits(g), JSON.stringify(geo)).toBe(true);
        const x = rand(g.N * g.Cin * geo.Ls), w = rand(g.Cout * g.Cin * g.K), b = rand(g.Cout);
        const xUp = new Float32Array(g.N * g.Cin * L).map((_, j) => x[Math.floor(j / L) * geo.Ls + Math.floor((j % L) / geo.up)]);
        const gy = rand(g.N * g.Cout * g.Lout), dx0 = rand(x.length), dw0 = rand(w.length), db0 = rand(g.Cout);
        const want = { y: new Float32Array(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        const got = { y: rand(gy.length), dx: dx0.slice(), dw: dw0.slice(), db: db0.slice() };
        const plain = { ...g, up: 1 };
        conv1dNaive(xUp, w, b, want.y, plain);
        if (relu) reluInPlace(want.y);
        const gyIn = relu ? new Float32Array(gy.length) : gy;
        if (relu) maskByRelu(gy, want.y, gyIn);
        const dxUp = new Float32Array(xUp.length);
        conv1dBackwardNaive(xUp, w, gyIn, dxUp, want.dw, want.db, plain);
        for (let j = 0; j < dxUp.length; j++) want.dx[Math.floor(j / L) * geo.Ls + Math.floor((j % L) / geo.up)] += dxUp[j];
        const reluOut = relu ? want.y : null;
        polyphaseConv1dForward(kc, arena, x, w, b, got.y, g, relu);
        polyphaseConv1dBackward(kc, arena, x, w, gy, got.dx, got.dw, got.db, g, reluOut);
        expectConvNear(got, want, { ...g, K: g.K * geo.up }, `${JSON.stringify(geo)} relu ${relu}`);
        const onlyDx = dx0.slice(), onlyDw = dw0.slice();
        polyphaseConv1dBackward(kc, arena, x, w, gy, onlyDx, null, null, g, reluOut);
        polyphaseConv1dBackward(kc, arena, x, w, gy, null, onlyDw, null, g, reluOut);
        expect(onlyDx).toEqual(got.dx);
        expect(onlyDw).toEqual(got.dw);
      }
    }
  });

  it('the phase split is taken only for an upsampled input', async () => {
    const { polyphaseFits } = await import('../../src/backends/wasm/conv-polyphase.ts');
    expect(polyphaseFits({ N: 32, Cin: 32, Cout: 16, K: 7, stride: 1, padding: 3, L: 72, Lout: 72, up: 2 })).toBe(true);
    expect(polyphaseFits({ N: 32, Cin: 32, Cout: 16, K: 7, stride: 1, padding: 3, L: 72, Lout: 72 })).toBe(false);
  });
});

describe('copyInRows / copyOutRows: the restride kernel against one set per row', () => {
  it('odd rows, columns and strides, in and out (the padding holds stale values either way: never read back)', async () => {
    const { copyInRows, copyOutRows } = await import('../../src/backends/wasm/matmul.ts');
    const { kx, kc, support } = convInstance();
    const fast = new Arena(kx.memory, kc.restride), twin = new Arena(instantiate(support.module).memory);
    for (const [rows, cols, ld] of [[1, 1, 4], [3, 5, 8], [7, 140, 144], [64, 140, 144], [5, 13, 21], [2, 8, 8]]) {
      const src = rand(rows * cols), at = 12;
      for (const a of [fast, twin]) {
        a.reset(); a.take(at + rows * ld + 16); a.commit();
        a.f32.fill(-7, 0, at + rows * ld + 16);
        copyInRows(a, at, src, rows, cols, ld);
      }
      const what = `${rows}x${cols} ld ${ld}`;
      for (let r = 0; r < rows; r++) {
        const row = (a: InstanceType<typeof Arena>) => a.f32.slice(at + r * ld, at + r * ld + cols);
        expect(row(fast), `${what} in, row ${r}`).toEqual(src.slice(r * cols, (r + 1) * cols));
        expect(row(twin), `${what} in, row ${r} (twin)`).toEqual(src.slice(r * cols, (r + 1) * cols));
      }
      expect(fast.f32.slice(0, at), `${what}: nothing before the rows is touched`).toEqual(new Float32Array(at).fill(-7));
      const gotOut = new Float32Array(rows * cols), wantOut = new Float32Array(rows * cols);
      copyOutRows(fast, at, gotOut, rows, cols, ld);
      copyOutRows(twin, at, wantOut, rows, cols, ld);
      expect(gotOut, `${what} out`).toEqual(src);
      expect(wantOut, `${what} out (twin)`).toEqual(src);
    }
  });
});

describe('copyInPadded: the pad_rows kernel against one set per row', () => {
  it('odd lengths, paddings and channel counts, padded channel rows and stale memory zeroed', async () => {
    const { copyInPadded } = await import('../../src/backends/wasm/conv-direct.ts');
    const { kc, arena } = convInstance();
    for (const [N, C, L, LX, p, rowsPerSample] of [[1, 1, 1, 4, 0, 1], [3, 5, 11, 20, 3, 5], [2, 3, 9, 16, 6, 4], [32, 16, 72, 88, 3, 16], [4, 7, 13, 16, 0, 8]]) {
      const x = rand(N * C * L), at = 8, n = N * rowsPerSample * LX;
      arena.reset(); arena.take(at + 2 * n + 8); arena.commit();
      const f32 = arena.f32;
      f32.fill(Number.NaN, 0, at + 2 * n + 8);                      // stale values must not survive
      copyInPadded(kc, f32, at, x, N, C, L, LX, p, rowsPerSample);
      copyInPadded(null, f32, at + n, x, N, C, L, LX, p, rowsPerSample);
      expect(f32.slice(at, at + n), `${N}x${C}x${L} LX ${LX} p ${p} rows ${rowsPerSample}`).toEqual(f32.slice(at + n, at + 2 * n));
      expect(Number.isNaN(f32[at - 1]) && Number.isNaN(f32[at + 2 * n]), 'nothing outside the region written').toBe(true);
    }
  });
});

describe('wasm fused linear backward equals ReLU mask + two matmuls + bias sum on the TS kernels', () => {
  it('without the conv module (no relu_mask, col_sum, restride) the TS paths give the same values', async () => {
    const { wasmLinearBackward } = await import('../../src/backends/wasm/linear.ts');
    const { wasmSumToShape } = await import('../../src/backends/wasm/sum-rows.ts');
    const { kx, kc, support } = convInstance();
    const kx2 = instantiate(support.module);                  // its own memory: an Arena does not see another one's grow
    const withModule = new Arena(kx.memory, kc.restride), without = new Arena(kx2.memory);
    for (const [rows, inF, outF] of [[7, 13, 11], [32, 140, 64], [5, 16, 140]]) {
      const x = rand(rows * inF), w = rand(outF * inF), gy = rand(rows * outF), y = rand(rows * outF);
      const start = { dx: rand(rows * inF), dw: rand(outF * inF), db: rand(outF) };
      const a = { dx: start.dx.slice(), dw: start.dw.slice(), db: start.db.slice() };
      const b = { dx: start.dx.slice(), dw: start.dw.slice(), db: start.db.slice() };
      wasmLinearBackward(kx, kc, withModule, x, w, y, gy, a.dx, a.dw, a.db, rows, inF, outF);
      wasmLinearBackward(kx2, null, without, x, w, y, gy, b.dx, b.dw, b.db, rows, inF, outF);
      expect(a, `${rows}x${inF}x${outF}`).toEqual(b);
      const sa = start.db.slice(), sb = start.db.slice();
      wasmSumToShape(kc, withModule, gy, [rows, outF], sa, [outF]);
      wasmSumToShape(null, without, gy, [rows, outF], sb, [outF]);
      expect(sa, `sumToShape ${rows}x${outF}`).toEqual(sb);
    }
  });

  it('odd shapes, with and without ReLU, each gradient optional', () => {
    for (const [rows, inF, outF] of [[1, 1, 1], [7, 13, 11], [32, 140, 64], [5, 16, 140]]) {
      for (const relu of [false, true]) {
        for (const which of [[true, true, true], [true, false, false], [false, true, true]]) {
          const x = rand(rows * inF), w = rand(outF * inF), gy = rand(rows * outF), y = rand(rows * outF);
          const start = { dx: rand(rows * inF), dw: rand(outF * inF), db: rand(outF) };
          const want = { dx: start.dx.slice(), dw: start.dw.slice(), db: start.db.slice() };
          const got = { dx: start.dx.slice(), dw: start.dw.slice(), db: start.db.slice() };
          let g = gy;
          if (relu) { g = new Float32Array(gy.length); unaryBackward('relu', y, y, gy, g, 0); }
          if (which[0]) cpu.matmul(g, w, want.dx, rows, outF, inF, 'nn', true);
          if (which[1]) cpu.matmul(g, x, want.dw, outF, rows, inF, 'tn', true);
          if (which[2]) cpu.sumToShape(g, [rows, outF], want.db, [outF]);
          wasm.linearBackward!(x, w, relu ? y : null, gy, which[0] ? got.dx : null, which[1] ? got.dw : null,
            which[2] ? got.db : null, rows, inF, outF);
          const what = `${rows}x${inF}x${outF} relu ${relu} ${which}`;
          expectNear(got.dx, want.dx, 1e-5, absScale(g, w, start.dx, rows, outF, inF, 'nn', true), `${what} dx`);
          expectNear(got.dw, want.dw, 1e-5, absScale(g, x, start.dw, outF, rows, inF, 'tn', true), `${what} dw`);
          expect(got.db, `${what} db (same order of f32 sums)`).toEqual(want.db);
        }
      }
    }
  });
});

type ConvOutputs = { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array };

/** y, dx, dW and db of two conv1d runs agree: each output sums at most N·Lout products of values in [−1, 1] (dW); 1e-5 of its term count bounds rounding. */
function expectConvNear(got: ConvOutputs, want: ConvOutputs, g: { N: number; Cin: number; Cout: number; K: number; Lout: number }, what: string): void {
  const bound = (n: number, terms: number) => new Float64Array(n).fill(terms);
  expectNear(got.y, want.y, 1e-5, bound(got.y.length, g.Cin * g.K + 1), `${what} y`);
  expectNear(got.dx, want.dx, 1e-5, bound(got.dx.length, g.Cout * g.K + 1), `${what} dx`);
  expectNear(got.dw, want.dw, 1e-5, bound(got.dw.length, g.N * g.Lout + 1), `${what} dw`);
  expectNear(got.db, want.db, 1e-5, bound(got.db.length, g.N * g.Lout + 1), `${what} db`);
}

describe('wasm conv1d → ReLU → max-pool 2 (conv-pool.wat) equals its TS twin (composed/conv-pool.ts)', () => {
  it('max_pool2 and unpool2 pick and scatter as pairMax / unpool2: ties, NaN, -0, odd lengths', async () => {
    const { pairMax, unpool2 } = await import('../../src/backends/composed/conv-pool.ts');
    const { kc, arena } = convInstance();
    for (const [rows, L] of [[1, 2], [3, 17], [2, 8], [5, 30]] as const) {
      const P = L >> 1, P4 = (P + 3) & ~3, ld = 2 * P4 + 4;           // x rows ld floats apart (room for 2·P4)
      const x = rand(rows * L);
      [0, 3, 5, 6, 7].forEach((i, j) => { if (i < x.length) x[i] = [NaN, x[i - 1], -0, 0, NaN][j]; });
      const want = new Float32Array(rows * P), at = new Int32Array(rows * P);
      pairMax(x, rows, L, P, want, at);
      arena.reset();
      const xAt = arena.take(rows * ld), yAt = arena.take(rows * P4), sAt = arena.take(rows * P4);
      const dyAt = arena.take(rows * P4), gAt = arena.take(rows * ld + 8);
      arena.commit();
      const f32 = arena.f32, i32 = arena.i32;
      f32.fill(0, xAt, xAt + rows * ld);
      for (let r = 0; r < rows; r++) f32.set(x.subarray(r * L, (r + 1) * L), xAt + r * ld);
      kc.max_pool2(xAt * 4, ld * 4, rows, P4, yAt * 4, sAt * 4, P4 * 4);
      const sel = new Int32Array(rows * P), got = new Float32Array(rows * P);
      for (let r = 0; r < rows; r++) {
        got.set(f32.subarray(yAt + r * P4, yAt + r * P4 + P), r * P);
        sel.set(i32.subarray(sAt + r * P4, sAt + r * P4 + P), r * P);
      }
      for (let o = 0; o < rows * P; o++) {
        expect(Object.is(got[o], want[o]), `y[${o}] ${got[o]} vs ${want[o]}`).toBe(true);
        expect(sel[o], `sel[${o}]`).toBe(at[o] - Math.floor(o / P) * L - 2 * (o % P));
      }
      // unpool2: the pooled gradient back to the picks, where y > 0 (zeros in the padded lanes).
      const gy = rand(rows * P), gWant = new Float32Array(rows * L);
      unpool2(gy, got, sel, rows, L, P, gWant);
      f32.fill(0, dyAt, dyAt + rows * P4);
      for (let r = 0; r < rows; r++) {
        f32.set(gy.subarray(r * P, (r + 1) * P), dyAt + r * P4);
        f32.set(got.subarray(r * P, (r + 1) * P), yAt + r * P4);   // the pooled y, padded lanes already 0
      }
      f32.fill(7, gAt, gAt + rows * ld + 8);                       // stale memory: every written float must be set
      kc.unpool2(dyAt * 4, yAt * 4, sAt * 4, P4 * 4, rows, P4, (gAt + 1) * 4, ld * 4);   // unaligned rows
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < 2 * P; j++) expect(f32[gAt + 1 + r * ld + j], `g[${r}, ${j}]`).toBe(gWant[r * L + j]);
        for (let j = 2 * P; j < 2 * P4; j++) expect(f32[gAt + 1 + r * ld + j], `g[${r}, ${j}] (padding)`).toBe(0);
      }
    }
  });

  it('the fused forward and backward equal conv + ReLU + pair max on the TS twin at odd geometries', async () => {
    const { conv1dReluPoolBackward, conv1dReluPoolForward } = await import('../../src/backends/composed/conv-pool.ts');
    const { completeBackend } = await import('../../src/backends/complete.ts');
    const twin = completeBackend(cpu);
    const geometries = [
      { N: 1, Cin: 1, Cout: 1, K: 1, padding: 0, L: 2 },
      { N: 3, Cin: 2, Cout: 5, K: 3, padding: 1, L: 11 },
      { N: 2, Cin: 3, Cout: 7, K: 4, padding: 3, L: 9 },
      { N: 5, Cin: 1, Cout: 16, K: 7, padding: 3, L: 144 },
      { N: 3, Cin: 16, Cout: 32, K: 7, padding: 3, L: 72 },
      { N: 2, Cin: 9, Cout: 6, K: 5, padding: 0, L: 23 },
    ];
    for (const geo of geometries) {
      const g = { ...geo, stride: 1, up: 1, Lout: geo.L + 2 * geo.padding - geo.K + 1 };
      const P = g.Lout >> 1;
      const x = rand(g.N * g.Cin * g.L), w = rand(g.Cout * g.Cin * g.K), b = rand(g.Cout);
      const gy = rand(g.N * g.Cout * P), dx0 = rand(x.length), dw0 = rand(w.length), db0 = rand(g.Cout);
      const run = (fwd: typeof conv1dReluPoolForward, bwd: typeof conv1dReluPoolBackward, be: typeof twin | typeof wasm) => {
        const y = rand(g.N * g.Cout * P), sel = new Int32Array(y.length).fill(9);
        const dx = dx0.slice(), dw = dw0.slice(), db = db0.slice();
        if (be === twin) { fwd(twin, x, w, b, y, sel, g); bwd(twin, x, w, gy, y, sel, dx, dw, db, g); }
        else { wasm.conv1dReluPoolForward!(x, w, b, y, sel, g); wasm.conv1dReluPoolBackward!(x, w, gy, y, sel, dx, dw, db, g); }
        return { y, sel, dx, dw, db };
      };
      const want = run(conv1dReluPoolForward, conv1dReluPoolBackward, twin), got = run(conv1dReluPoolForward, conv1dReluPoolBackward, wasm);
      const what = JSON.stringify(geo);
      const ones = (n: number) => new Float64Array(n).fill(1);   // terms are O(1): rounding on their scale
      expectNear(got.y, want.y, 1e-5, ones(want.y.length), `${what} y`);
      if (want.y.length >= 8) expect(want.y.some((v) => v === 0), `${what}: some pairs wholly ≤ 0`).toBe(true);
      for (let o = 0; o < got.sel.length; o++) {
        // a pick may differ only where the pair's two values are within rounding of each other
        if (got.sel[o] !== want.sel[o] && Math.abs(got.y[o]) > 1e-5) throw new Error(`${what}: sel[${o}] ${got.sel[o]} vs ${want.sel[o]}`);
      }
      for (const k of ['dx', 'dw', 'db'] as const) expectNear(got[k], want[k], 1e-5, ones(want[k].length), `${what} ${k}`);
    }
  });
});

describe('zip2 / unzip2 (conv-phases.wat) interleave as the phase split\'s TS loops', () => {
  it('odd row counts and strides, unaligned destination rows, NaN and -0 moved bit for bit', async () => {
    const { kc, arena } = convInstance();
    for (const [rows, P, pad] of [[1, 4, 0], [3, 8, 5], [7, 36, 3]] as const) {
      const ld = P + pad, lo = 2 * P + pad + 1;                        // odd strides
      arena.reset();
      const aAt = arena.take(2 * rows * ld), oAt = arena.take(rows * lo + 4), bAt = arena.take(2 * rows * ld + 4);
      arena.commit();
      const f32 = arena.f32, src = rand(2 * rows * ld);
      src[0] = NaN; src[1] = -0;
      f32.set(src, aAt);
      const a = aAt, b = aAt + rows * ld;
      kc.zip2(a * 4, b * 4, ld * 4, rows, P, (oAt + 1) * 4, lo * 4);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < P; i++) {
          expect(Object.is(f32[oAt + 1 + r * lo + 2 * i], f32[a + r * ld + i])).toBe(true);
          expect(Object.is(f32[oAt + 1 + r * lo + 2 * i + 1], f32[b + r * ld + i])).toBe(true);
        }
      }
      kc.unzip2((oAt + 1) * 4, lo * 4, rows, P, (bAt + 1) * 4, (bAt + 1 + rows * ld) * 4, ld * 4);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < P; i++) {
          expect(Object.is(f32[bAt + 1 + r * ld + i], f32[a + r * ld + i]), `a[${r}, ${i}]`).toBe(true);
          expect(Object.is(f32[bAt + 1 + rows * ld + r * ld + i], f32[b + r * ld + i]), `b[${r}, ${i}]`).toBe(true);
        }
      }
    }
  });
});
