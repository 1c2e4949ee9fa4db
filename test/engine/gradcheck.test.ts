// Finite-difference checks on random shapes (fast-check picks them), broadcasting included.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { concat, createRng, linear, logSumExp, mseLoss, type Tensor } from '../../src/index.ts';
import { gradcheck, randomInput } from '../helpers/gradcheck.ts';

const dim = fc.integer({ min: 1, max: 4 });
const runs = { numRuns: 12 };

describe('finite-difference gradients', () => {
  it('broadcasting binary ops', () => {
    fc.assert(fc.property(dim, dim, dim, fc.integer({ min: 0, max: 3 }), fc.integer(), (a, b, c, pattern, seed) => {
      const rng = createRng(seed);
      const full = [a, b, c];
      // Patterns: same shape, row [c], column [a, b, 1], middle-broadcast [a, 1, c].
      const other = [[a, b, c], [c], [a, b, 1], [a, 1, c]][pattern];
      const x = randomInput(full, rng), y = randomInput(other, rng, { low: 0.5, high: 2 });
      for (const f of [(p: Tensor, q: Tensor) => p.add(q), (p: Tensor, q: Tensor) => p.sub(q),
                       (p: Tensor, q: Tensor) => p.mul(q), (p: Tensor, q: Tensor) => p.div(q),
                       (p: Tensor, q: Tensor) => q.sub(p)]) gradcheck(f, [x, y]);
    }), runs);
  });

  it('unary ops', () => {
    fc.assert(fc.property(dim, dim, fc.integer(), (a, b, seed) => {
      const rng = createRng(seed);
      const x = randomInput([a, b], rng);
      const pos = randomInput([a, b], rng, { low: 0.5, high: 3 });
      // Keep relu-type inputs away from the kink at 0 where the derivative jumps.
      const offZero = { shape: x.shape, data: x.data.map((v) => (Math.abs(v) < 0.1 ? v + 0.3 : v)) };
      gradcheck((t) => t.relu(), [offZero]);
      gradcheck((t) => t.leakyRelu(0.1), [offZero]);
      gradcheck((t) => t.sigmoid(), [x]);
      gradcheck((t) => t.tanh(), [x]);
      gradcheck((t) => t.exp(), [x]);
      gradcheck((t) => t.softplus(), [x]);
      gradcheck((t) => t.neg(), [x]);
      gradcheck((t) => t.square(), [x]);
      gradcheck((t) => t.log(), [pos]);
      gradcheck((t) => t.sqrt(), [pos]);
      gradcheck((t) => t.pow(1.5), [pos]);
      gradcheck((t) => t.add(2).mul(3).sub(1).div(4), [x]);
      gradcheck((t) => t.sin(), [x]);
      gradcheck((t) => t.cos(), [x]);
      gradcheck((t) => t.gelu(), [x]);
      gradcheck((t) => t.gelu({ approximate: 'tanh' }), [x]);
      // Off the clamp's corners at ±0.5, where the derivative jumps.
      const offCorners = { shape: x.shape, data: x.data.map((v) => (Math.abs(Math.abs(v) - 0.5) < 0.1 ? v + 0.25 : v)) };
      gradcheck((t) => t.clamp(-0.5, 0.5), [offCorners]);
    }), runs);
  });

  it('reductions, matmul, linear, mse, layout ops', () => {
    fc.assert(fc.property(dim, dim, dim, fc.integer(), (m, k, n, seed) => {
      const rng = createRng(seed);
      const a = randomInput([m, k], rng), b = randomInput([k, n], rng), bias = randomInput([n], rng);
      const w = randomInput([n, k], rng), c = randomInput([m, k, n], rng);
      gradcheck((p, q) => p.matmul(q), [a, b]);
      gradcheck((p, q, r) => linear(p, q, r), [a, w, bias]);
      gradcheck((p, q) => mseLoss(p, q), [a, randomInput([m, k], rng)]);
      gradcheck((p) => p.sum(), [c]);
      for (const axis of [0, 1, 2, -1]) {
        gradcheck((p) => p.sum(axis), [c]);
        gradcheck((p) => p.mean(axis, true), [c]);
        gradcheck((p) => logSumExp(p, axis), [c]);
      }
      gradcheck((p) => p.transpose(), [c]);
      gradcheck((p) => p.transpose(0, 2), [c]);
      gradcheck((p) => p.reshape([-1, n]).mul(p.reshape([m * k, n])), [c]);
      gradcheck((p) => p.slice(1, 0, Math.max(1, k - 1)), [c]);
      gradcheck((p, q) => concat([p, q, p], 1), [a, randomInput([m, n], rng)]);
    }), runs);
  });
});
