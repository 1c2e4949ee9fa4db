// Finite-difference gradient checks for conv1d, convTranspose1d, maxPool1d, upsampleNearest1d and
// the fused LSTM on random small shapes (strides 1-3, padding 0-2, odd lengths, kernels 1-5).

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { conv1d, convTranspose1d, createRng, lstm, lstmLastState, lstmRepeatedInput, maxPool1d, shuffleIndices, upsampleNearest1d, type Tensor } from '../../src/index.ts';
import { gradcheck, randomInput } from '../helpers/gradcheck.ts';

const int = (min: number, max: number) => fc.integer({ min, max });
const runs = { numRuns: 25 };

describe('finite-difference gradients: conv and pooling', () => {
  it('conv1d (with and without bias)', () => {
    fc.assert(fc.property(int(1, 2), int(1, 3), int(1, 3), int(1, 5), int(1, 3), int(0, 2), int(1, 11), fc.integer(),
      (N, Cin, Cout, K, stride, padding, L, seed) => {
        if (L + 2 * padding < K) return;
        const rng = createRng(seed);
        const x = randomInput([N, Cin, L], rng), w = randomInput([Cout, Cin, K], rng), b = randomInput([Cout], rng);
        gradcheck((p, q, r) => conv1d(p, q, r, { stride, padding }), [x, w, b]);
        gradcheck((p, q) => conv1d(p, q, null, { stride, padding }), [x, w]);
      }), runs);
  });

  it('convTranspose1d (with and without bias)', () => {
    fc.assert(fc.property(int(1, 2), int(1, 3), int(1, 3), int(1, 5), int(1, 3), int(0, 2), int(0, 2), int(1, 7), fc.integer(),
      (N, Cin, Cout, K, stride, padding, outPadRaw, L, seed) => {
        const outputPadding = outPadRaw % stride;
        if ((L - 1) * stride - 2 * padding + K + outputPadding < 1) return;
        const rng = createRng(seed);
        const x = randomInput([N, Cin, L], rng), w = randomInput([Cin, Cout, K], rng), b = randomInput([Cout], rng);
        gradcheck((p, q, r) => convTranspose1d(p, q, r, { stride, padding, outputPadding }), [x, w, b]);
        gradcheck((p, q) => convTranspose1d(p, q, null, { stride, padding, outputPadding }), [x, w]);
      }), runs);
  });

  it('maxPool1d (distinct values, so the argmax does not move under ±eps)', () => {
    fc.assert(fc.property(int(1, 2), int(1, 3), int(1, 4), int(1, 3), int(1, 13), fc.integer(),
      (N, C, kernel, stride, L, seed) => {
        if (L < kernel) return;
        const rng = createRng(seed);
        const order = Array.from({ length: N * C * L }, (_, i) => i);
        shuffleIndices(order, rng);
        const x = { shape: [N, C, L], data: Float32Array.from(order, (v) => 0.1 * v - 1) };
        gradcheck((p) => maxPool1d(p, kernel, stride), [x]);
        gradcheck((p) => maxPool1d(p, kernel), [x]);
      }), runs);
  });

  it('upsampleNearest1d', () => {
    fc.assert(fc.property(int(1, 2), int(1, 3), int(1, 7), int(1, 3), fc.integer(), (N, C, L, scale, seed) => {
      const rng = createRng(seed);
      gradcheck((p) => upsampleNearest1d(p, scale), [randomInput([N, C, L], rng)]);
    }), runs);
  });

  it('a small conv stack: conv → tanh → pool → upsample → transpose conv', () => {
    const rng = createRng(3);
    const x = randomInput([2, 2, 12], rng), w1 = randomInput([3, 2, 3], rng), w2 = randomInput([3, 2, 4], rng);
    // A smaller step than the default: two pooled values in one window lie within 1e-2 here,
    // and a ±eps nudge that swaps the argmax is a kink, not a gradient bug.
    gradcheck((p, q, r) => convTranspose1d(upsampleNearest1d(maxPool1d(conv1d(p, q, null, { padding: 1 }).tanh(), 2), 2), r, null,
      { stride: 2, padding: 1 }), [x, w1, w2], { eps: 1e-3 });
  });
});

describe('finite-difference gradients: fused LSTM', () => {
  const lstmInputs = (B: number, T: number, I: number, H: number, seed: number) => {
    const rng = createRng(seed);
    return [randomInput([B, T, I], rng), randomInput([4 * H, I], rng, { low: -1, high: 1 }),
            randomInput([4 * H, H], rng, { low: -1, high: 1 }), randomInput([4 * H], rng, { low: -1, high: 1 }),
            randomInput([4 * H], rng, { low: -1, high: 1 })];
  };

  it('all steps, every input', () => {
    fc.assert(fc.property(int(1, 3), int(1, 5), int(1, 3), int(1, 4), fc.integer(), (B, T, I, H, seed) => {
      gradcheck((x, a, b, c, d) => lstm(x, a, b, c, d), lstmInputs(B, T, I, H, seed));
    }), runs);
  });

  it('gradient from the last hidden state only (other steps get zero upstream)', () => {
    fc.assert(fc.property(int(1, 3), int(1, 5), int(1, 3), int(1, 4), fc.integer(), (B, T, I, H, seed) => {
      gradcheck((x, a, b, c, d) => lstm(x, a, b, c, d).slice(1, T - 1, T), lstmInputs(B, T, I, H, seed));
    }), runs);
  });

  it('without biases', () => {
    const [x, a, b] = lstmInputs(2, 4, 2, 3, 11);
    gradcheck((p: Tensor, q: Tensor, r: Tensor) => lstm(p, q, r), [x, a, b]);
  });

  it('the same input at every step (lstmRepeatedInput), with and without biases', () => {
    fc.assert(fc.property(int(1, 3), int(1, 5), int(1, 3), int(1, 4), fc.integer(), (B, T, I, H, seed) => {
      const [, a, b, c, d] = lstmInputs(B, T, I, H, seed);
      const z = randomInput([B, I], createRng(seed + 1));
      gradcheck((p, q, r, s, u) => lstmRepeatedInput(p, T, q, r, s, u), [z, a, b, c, d]);
      gradcheck((p, q, r) => lstmRepeatedInput(p, T, q, r), [z, a, b]);
      gradcheck((p, q, r, s, u) => lstmRepeatedInput(p, T, q, r, s, u, { timeMajor: true }), [z, a, b, c, d]);
    }), runs);
  });

  it('the last state only (lstmLastState)', () => {
    fc.assert(fc.property(int(1, 3), int(1, 5), int(1, 3), int(1, 4), fc.integer(), (B, T, I, H, seed) => {
      gradcheck((x, a, b, c, d) => lstmLastState(x, a, b, c, d), lstmInputs(B, T, I, H, seed));
    }), runs);
  });
});
