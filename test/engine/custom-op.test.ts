// The public custom-op API (customOp) and the exported gradcheck: a right backward passes, a
// wrong one is caught, and malformed definitions are refused with a message naming the op.

import { describe, expect, it } from 'vitest';
import { customOp, gradcheck, tensor, type Tensor } from '../../src/index.ts';

/** a·b² with its backward; `wrong` drops the factor 2 in db. */
const mulSquare = (wrong = false) => (a: Tensor, b: Tensor) => customOp({
  name: 'mulSquare',
  forward: a.data.map((v, i) => v * b.data[i] ** 2),
  parents: [a, b],
  backward: (g) => [g.map((gi, i) => gi * b.data[i] ** 2), g.map((gi, i) => gi * (wrong ? 1 : 2) * a.data[i] * b.data[i])],
});
const a = tensor([0.5, -1, 2, 1.5], [2, 2]), b = tensor([1, 0.25, -0.75, 2], [2, 2]);

describe('customOp', () => {
  it('records its backward; gradients add up across uses; gradcheck agrees', () => {
    const x = tensor([1, 2], [2], { requiresGrad: true });
    const twice = (t: Tensor) => customOp({ forward: t.data.map((v) => 2 * v), parents: [t], backward: (g) => [g.map((v) => 2 * v)] });
    twice(x).add(twice(x)).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([4, 4]);
    const r = gradcheck(mulSquare(), [a, b]);
    expect(r.checked).toBe(8);
    expect(r.maxError).toBeLessThan(1e-3);
  });

  it('gradcheck catches a wrong backward, naming the input', () => {
    expect(() => gradcheck(mulSquare(true), [a, b])).toThrow(/gradcheck: input 1 element 0/);
  });

  it('a parent without requiresGrad, or a null gradient, gets nothing', () => {
    const x = tensor([1, 2], [2], { requiresGrad: true }), idx = tensor([0, 1], [2]);
    customOp({ forward: x.data.slice(), parents: [x, idx], backward: (g) => [g, null] }).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1]);
    expect(idx.grad).toBeNull();
  });

  it('refuses malformed definitions with the op name', () => {
    const x = tensor([1, 2, 3], [3], { requiresGrad: true });
    expect(() => customOp({ name: 'bad', forward: new Float32Array(2), parents: [x], backward: () => [null] }))
      .toThrow(/customOp bad: forward must be a Float32Array of 3 values/);
    expect(() => customOp({ name: 'e', forward: new Float32Array(1), shape: [1], parents: [], backward: () => [] }))
      .toThrow(/needs at least one parent/);
    const short = customOp({ name: 'short', forward: x.data.slice(), parents: [x], backward: () => [new Float32Array(2)] });
    expect(() => short.sum().backward()).toThrow(/customOp short: gradient 0 must be a Float32Array of 3 values/);
    const none = customOp({ name: 'none', forward: x.data.slice(), parents: [x], backward: () => [] });
    expect(() => none.sum().backward()).toThrow(/customOp none: backward returned 0 gradients for 1 parents/);
  });
});
