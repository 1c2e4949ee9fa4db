// The fast conv paths (im2col + blocked matmul + col2im) against the naive direct loops in
// src/backends/cpu/conv.ts, forward and backward, on random geometries.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conv1dBackwardNaive, conv1dNaive, convTranspose1dBackwardNaive, convTranspose1dNaive, type Conv1dGeometry,
} from '../../src/backends/cpu/conv.ts';
import { col2im, im2col } from '../../src/engine/ops/conv.ts';
import { conv1d, convTranspose1d, createRng, tensor, type Rng } from '../../src/index.ts';
import { expectClose } from '../helpers/reference.ts';

const normals = (n: number, rng: Rng) => Float32Array.from({ length: n }, () => rng.normal());
const small = (min: number, max: number) => fc.integer({ min, max });

describe('im2col and col2im', () => {
  it('are adjoint: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(fc.property(small(1, 3), small(1, 12), small(1, 5), small(1, 3), small(0, 6), fc.integer(),
      (C, L, K, s, p, seed) => {
        const Lshort = Math.floor((L + 2 * p - K) / s) + 1;
        if (Lshort < 1) return;
        const rng = createRng(seed);
        const x = normals(C * L, rng), c = normals(C * K * Lshort, rng);
        const cols = new Float32Array(C * K * Lshort).fill(NaN); // every entry must be overwritten
        im2col(x, C, L, K, s, p, Lshort, cols);
        const back = new Float32Array(C * L);
        col2im(c, C, L, K, s, p, Lshort, back);
        let lhs = 0, rhs = 0;
        for (let i = 0; i < cols.length; i++) lhs += cols[i] * c[i];
        for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
        expect(Number.isNaN(lhs)).toBe(false);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
      }), { numRuns: 200 });
  });

  it('lays out a known example', () => {
    // x = [1..5], K = 3, stride 2, padding 1 → Lout 3; rows k = 0, 1, 2.
    const cols = new Float32Array(9);
    im2col(Float32Array.of(1, 2, 3, 4, 5), 1, 5, 3, 2, 1, 3, cols);
    expect(Array.from(cols)).toEqual([0, 2, 4, 1, 3, 5, 2, 4, 0]);
  });
});

describe('fast conv kernels equal the naive direct loops', () => {
  it('conv1d forward and backward', () => {
    fc.assert(fc.property(small(1, 3), small(1, 5), small(1, 6), small(1, 5), small(1, 3), small(0, 4),
      small(1, 17), fc.boolean(), fc.integer(), (N, Cin, Cout, K, stride, padding, L, withBias, seed) => {
        const Lout = Math.floor((L + 2 * padding - K) / stride) + 1;
        if (Lout < 1) return;
        const g: Conv1dGeometry = { N, Cin, Cout, K, stride, padding, L, Lout };
        const rng = createRng(seed);
        const xv = normals(N * Cin * L, rng), wv = normals(Cout * Cin * K, rng), bv = normals(Cout, rng);
        const dy = normals(N * Cout * Lout, rng);
        const want = new Float32Array(N * Cout * Lout);
        conv1dNaive(xv, wv, withBias ? bv : null, want, g);
        const dx = new Float32Array(xv.length), dw = new Float32Array(wv.length), db = new Float32Array(Cout);
        conv1dBackwardNaive(xv, wv, dy, dx, dw, db, g);

        const x = tensor(xv.slice(), [N, Cin, L], { requiresGrad: true });
        const w = tensor(wv.slice(), [Cout, Cin, K], { requiresGrad: true });
        const b = tensor(bv.slice(), [Cout], { requiresGrad: true });
        const y = conv1d(x, w, withBias ? b : null, { stride, padding });
        expect(y.shape).toEqual([N, Cout, Lout]);
        expectClose(y.data, want, 'forward', 1e-5, 1e-5);
        y.backward(dy);
        expectClose(x.grad!.data, dx, 'dx', 1e-5, 1e-5);
        expectClose(w.grad!.data, dw, 'dw', 1e-5, 1e-5);
        if (withBias) expectClose(b.grad!.data, db, 'db', 1e-5, 1e-5);
      }), { numRuns: 150 });
  });

  it('convTranspose1d forward and backward', () => {
    fc.assert(fc.property(small(1, 3), small(1, 5), small(1, 6), small(1, 5), small(1, 3), small(0, 3),
      small(0, 2), small(1, 13), fc.boolean(), fc.integer(),
      (N, Cin, Cout, K, stride, padding, outPadRaw, L, withBias, seed) => {
        const outputPadding = outPadRaw % stride;
        const Lout = (L - 1) * stride - 2 * padding + K + outputPadding;
        if (Lout < 1) return;
        const g: Conv1dGeometry = { N, Cin, Cout, K, stride, padding, L, Lout };
        const rng = createRng(seed);
        const xv = normals(N * Cin * L, rng), wv = normals(Cin * Cout * K, rng), bv = normals(Cout, rng);
        const dy = normals(N * Cout * Lout, rng);
        const want = new Float32Array(N * Cout * Lout);
        convTranspose1dNaive(xv, wv, withBias ? bv : null, want, g);
        const dx = new Float32Array(xv.length), dw = new Float32Array(wv.length), db = new Float32Array(Cout);
        convTranspose1dBackwardNaive(xv, wv, dy, dx, dw, db, g);

        const x = tensor(xv.slice(), [N, Cin, L], { requiresGrad: true });
        const w = tensor(wv.slice(), [Cin, Cout, K], { requiresGrad: true });
        const b = tensor(bv.slice(), [Cout], { requiresGrad: true });
        const y = convTranspose1d(x, w, withBias ? b : null, { stride, padding, outputPadding });
        expect(y.shape).toEqual([N, Cout, Lout]);
        expectClose(y.data, want, 'forward', 1e-5, 1e-5);
        y.backward(dy);
        expectClose(x.grad!.data, dx, 'dx', 1e-5, 1e-5);
        expectClose(w.grad!.data, dw, 'dw', 1e-5, 1e-5);
        if (withBias) expectClose(b.grad!.data, db, 'db', 1e-5, 1e-5);
      }), { numRuns: 150 });
  });

  it('convTranspose1d is the adjoint of conv1d (same weight tensor)', () => {
    // <conv1d(u, w), v> = <u, convTranspose1d(v, w)> when the lengths line up.
    const rng = createRng(7);
    const [N, C1, C2, K, s, p, L] = [2, 3, 4, 5, 2, 2, 11];
    const Lout = Math.floor((L + 2 * p - K) / s) + 1;
    const outPad = L - ((Lout - 1) * s - 2 * p + K);
    const u = tensor(normals(N * C1 * L, rng), [N, C1, L]);
    const v = tensor(normals(N * C2 * Lout, rng), [N, C2, Lout]);
    const w = tensor(normals(C2 * C1 * K, rng), [C2, C1, K]);
    const a = conv1d(u, w, null, { stride: s, padding: p }).mul(v).sum().item();
    const b = convTranspose1d(v, w, null, { stride: s, padding: p, outputPadding: outPad }).mul(u).sum().item();
    expect(Math.abs(a - b)).toBeLessThan(1e-4 * (1 + Math.abs(a)));
  });
});
