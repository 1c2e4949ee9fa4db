// Finite-difference checks for the classification and normalisation ops of issue 27, on random
// shapes and seeds (fast-check picks them).

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { bceWithLogits, createRng, crossEntropy, l1Loss, logSoftmax, smoothL1Loss, softmax } from '../../src/index.ts';
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
});
