// Finite-difference checks for the classification and normalisation ops of issue 27, on random
// shapes and seeds (fast-check picks them).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNorm1d, bceWithLogits, layerNorm, tensor, createRng, crossEntropy, l1Loss, logSoftmax, smoothL1Loss, softmax } from '../../src/index.ts';
import { gradcheck, randomInput } from '../helpers/gradcheck.ts';

const dim = fc.integer({ min: 1, max: 4 });
const runs = { numRuns: 12 };

/** y = x + d with every |d| at least `gap` away from each kink in `kinks` (where a loss's slope jumps). */
function offKinks(x: { shape: number[]; data: Float32Array }, rng: ReturnType<typeof createRng>, kinks: number[], gap = 0.1) {
  const data = x.data.map((v) => {
    let d = -2 + 4 * rng.uniform();
    while (kinks.some((k) => Math.abs(Math.abs(d) - k) < gap)) d += 0.25;
    return v + d;
  });
  return { shape: x.shape, data };
}

/** Adds 5·step(i) to element i: elements of a normalised group sit >= 1 apart, so no group is near-constant
 *  (where rstd is huge and a finite-difference step is far from linear). */
function spread(x: { shape: number[]; data: Float32Array }, step: (i: number) => number) {
  return { shape: x.shape, data: x.data.map((v, i) => v + 5 * step(i)) };
}

describe('finite-difference gradients of the issue-27 ops', () => {
  it('softmax, logSoftmax along every axis', () => {
    fc.assert(fc.property(dim, dim, dim, fc.integer(), (a, b, c, seed) => {
      const x = randomInput([a, b, c], createRng(seed), { low: -3, high: 3 });
      for (const axis of [0, 1, 2, -1]) {
        gradcheck((t) => softmax(t, axis), [x]);
        gradcheck((t) => logSoftmax(t, axis), [x]);
      }
    }), runs);
  });

  it('crossEntropy, bceWithLogits, l1Loss, smoothL1Loss', () => {
    fc.assert(fc.property(dim, dim, fc.integer(), fc.double({ min: 0.2, max: 2, noNaN: true }), (n, c, seed, beta) => {
      const rng = createRng(seed);
      const logits = randomInput([n, c], rng, { low: -4, high: 4 });
      const targets = Array.from({ length: n }, () => Math.floor(rng.uniform() * c));
      gradcheck((t) => crossEntropy(t, targets), [logits]);
      const probs = randomInput([n, c], rng, { low: 0, high: 1 });
      gradcheck((x, t) => bceWithLogits(x, t), [logits, probs]);
      const y = randomInput([n, c], rng);
      gradcheck((p, q) => l1Loss(p, q), [offKinks(y, rng, [0]), y]);
      gradcheck((p, q) => smoothL1Loss(p, q, { beta }), [offKinks(y, rng, [0, beta]), y]);
    }), runs);
  });

  it('max and min along every axis (inputs without ties)', () => {
    fc.assert(fc.property(dim, dim, dim, fc.integer(), (a, b, c, seed) => {
      const rng = createRng(seed);
      // Distinct values 0.1 apart (shuffled), so no finite-difference step crosses a tie.
      const n = a * b * c, order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      const x = { shape: [a, b, c], data: Float32Array.from(order, (v) => 0.1 * v - 1) };
      for (const axis of [0, 1, 2, -1]) {
        gradcheck((t) => t.max(axis), [x], { eps: 1e-3 });
        gradcheck((t) => t.min(axis, true), [x], { eps: 1e-3 });
      }
    }), runs);
  });

  it('max/min send the gradient to the first index on ties, as PyTorch', () => {
    const x = tensor([1, 3, 3, 2, 2, 0], [2, 3], { requiresGrad: true });
    const y = x.max(1).add(x.min(1));
    expect(Array.from(y.data)).toEqual([4, 2]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 0, 1, 0, 1]);
  });

  it('layerNorm over the last one or two dims, with and without weight and bias', () => {
    fc.assert(fc.property(dim, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (a, b, c, seed) => {
      const rng = createRng(seed);
      const x = spread(randomInput([a, b, c], rng), (i) => i % (b * c)), w = randomInput([b, c], rng), bias = randomInput([b, c], rng);
      gradcheck((t, p, q) => layerNorm(t, [b, c], p, q), [x, w, bias]);
      gradcheck((t) => layerNorm(t, [b, c]), [x]);
      if (c > 1) gradcheck((t, p) => layerNorm(t, [c], p, null, { eps: 1e-3 }), [x, randomInput([c], rng)]);
    }), runs);
  });

  it('batchNorm1d on [N, C] and [N, C, L], training and eval', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), dim, dim, fc.integer(), (n, c, l, seed) => {
      const rng = createRng(seed);
      const x2 = spread(randomInput([n, c], rng), (i) => Math.floor(i / c));
      const x3 = spread(randomInput([n, c, l], rng), (i) => Math.floor(i / (c * l)));
      const w = randomInput([c], rng), b = randomInput([c], rng);
      gradcheck((t, p, q) => batchNorm1d(t, p, q), [x2, w, b]);
      gradcheck((t, p, q) => batchNorm1d(t, p, q, { training: true }), [x3, w, b]);
      const runningMean = randomInput([c], rng).data, runningVar = randomInput([c], rng, { low: 0.5, high: 2 }).data;
      gradcheck((t, p, q) => batchNorm1d(t, p, q, { training: false, runningMean, runningVar }), [x3, w, b]);
    }), runs);
  });

  it('batchNorm1d updates running statistics as PyTorch (unbiased variance, momentum 0.1)', () => {
    const x = tensor([1, 10, 2, 20, 6, 30], [3, 2]);
    const runningMean = new Float32Array([0, 0]), runningVar = new Float32Array([1, 1]);
    batchNorm1d(x, null, null, { runningMean, runningVar });
    // channel 0: mean 3, unbiased var 7; channel 1: mean 20, unbiased var 100.
    expect(Array.from(runningMean)).toEqual([0.3, 2].map(Math.fround));
    expect(runningVar[0]).toBeCloseTo(0.9 + 0.7, 5);
    expect(runningVar[1]).toBeCloseTo(0.9 + 10, 4);
    expect(() => batchNorm1d(x, null, null, { training: false })).toThrow(/runningMean/);
  });
});
