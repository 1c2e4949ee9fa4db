// The register-blocked kernels against the naive reference, every layout, edge sizes included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmulBlocked, matmulNaive } from '../../src/backends/cpu/matmul.ts';
import { createRng } from '../../src/index.ts';
import { expectClose } from '../helpers/reference.ts';

describe('blocked matmul equals the naive reference', () => {
  for (const layout of ['nn', 'tn', 'nt'] as const) {
    it(`layout ${layout}, random shapes, overwrite and accumulate`, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.integer(), (m, k, n, accumulate, seed) => {
          const rng = createRng(seed);
          const a = Float32Array.from({ length: m * k }, () => rng.normal());
          const b = Float32Array.from({ length: k * n }, () => rng.normal());
          const start = Float32Array.from({ length: m * n }, () => rng.normal());
          const want = start.slice(), got = start.slice();
          matmulNaive(a, b, want, m, k, n, layout, accumulate);
          matmulBlocked(a, b, got, m, k, n, layout, accumulate);
          expectClose(got, want, `${layout} ${m}x${k}x${n}`, 1e-5, 1e-5);
        }), { numRuns: 60 });
    });
  }

  it('naive kernel computes a known product', () => {
    // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
    const c = new Float32Array(4);
    matmulNaive(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), c, 2, 2, 2, 'nn', false);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    // Aᵀ·B with A = [[1,3],[2,4]] stored, i.e. the same product.
    matmulNaive(Float32Array.of(1, 3, 2, 4), Float32Array.of(5, 6, 7, 8), c, 2, 2, 2, 'tn', false);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    // A·Bᵀ with B = [[5,7],[6,8]] stored.
    matmulNaive(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 7, 6, 8), c, 2, 2, 2, 'nt', false);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });
});
