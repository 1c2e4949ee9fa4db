// Dropout, LayerNorm, BatchNorm1d modules and Tensor.tolist.

import { describe, expect, it } from 'vitest';
import { BatchNorm1d, batchNorm1d, Dropout, LayerNorm, layerNorm, manualSeed, tensor } from '../../src/index.ts';

describe('Dropout', () => {
  it('zeroes about p of the elements, scales the rest by 1/(1-p), passes gradients through the kept ones', () => {
    const x = tensor(new Float32Array(4000).fill(1), [40, 100], { requiresGrad: true });
    const y = new Dropout(0.25, { seed: 3 }).forward(x);
    const zeros = Array.from(y.data).filter((v) => v === 0).length;
    expect(zeros / 4000).toBeGreaterThan(0.22);
    expect(zeros / 4000).toBeLessThan(0.28);
    expect(new Set(Array.from(y.data).filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.75)]));
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
  });

  it('is the identity in eval mode; seeded and global-generator masks are reproducible', () => {
    const x = tensor(Float32Array.from({ length: 50 }, (_, i) => i + 1), [50]);
    expect(new Dropout(0.5).eval().forward(x)).toBe(x);
    const seeded = () => Array.from(new Dropout(0.5, { seed: 'a' }).forward(x).data);
    expect(seeded()).toEqual(seeded());
    manualSeed(11); const g1 = Array.from(new Dropout(0.5).forward(x).data);
    manualSeed(11); const g2 = Array.from(new Dropout(0.5).forward(x).data);
    expect(g1).toEqual(g2);
    expect(g1).not.toEqual(seeded());
    expect(() => new Dropout(1)).toThrow(/p must be/);
  });
});

describe('LayerNorm and BatchNorm1d modules', () => {
  const x = tensor([1, 10, 2, 20, 6, 30, -1, 4], [4, 2]);

  it('LayerNorm registers weight and bias (PyTorch keys) and matches the functional op', () => {
    const m = new LayerNorm([2]);
    expect(m.namedParameters().map(([k]) => k)).toEqual(['weight', 'bias']);
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(layerNorm(x, [2]).data));
  });

  it('BatchNorm1d updates running statistics while training and uses them in eval', () => {
    const m = new BatchNorm1d(2);
    const trained = m.forward(x);
    expect(Array.from(trained.data)).toEqual(Array.from(batchNorm1d(x).data));
    // channel 0: mean 2, unbiased var 26/3; channel 1: mean 16, unbiased var 392/3.
    expect(m.runningMean[0]).toBeCloseTo(0.2, 6);
    expect(m.runningMean[1]).toBeCloseTo(1.6, 5);
    expect(m.runningVar[0]).toBeCloseTo(0.9 + 2.6 / 3, 5);
    expect(m.runningVar[1]).toBeCloseTo(0.9 + 39.2 / 3, 4);
    m.eval();
    const y = m.forward(x);
    expect(y.data[0]).toBeCloseTo((1 - 0.2) / Math.sqrt(m.runningVar[0] + 1e-5), 5);
    expect(m.runningMean[0]).toBeCloseTo(0.2, 6); // eval does not update
  });
});

describe('tolist', () => {
  it('nests like the shape; a scalar is a number', () => {
    expect(tensor([1, 2, 3, 4, 5, 6], [2, 3]).tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor([1, 2, 3, 4], [2, 1, 2]).tolist()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(tensor([7], []).tolist()).toBe(7);
    expect(tensor([], [0, 3]).tolist()).toEqual([]);
  });
});
