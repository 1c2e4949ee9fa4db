// The conv1d fusions Sequential's peepholes use (issue 25) against the unfused ops, on each
// backend: conv1d with ReLU and with nearest upsampling in front give the values and gradients of
// upsampleNearest1d → conv1d → relu (the direct wasm kernels at stride 1, im2row at stride 2).

import { describe, expect, it } from 'vitest';
import { conv1d } from '../../src/engine/ops/conv.ts';
import { upsampleNearest1d } from '../../src/engine/ops/pool.ts';
import { randUniform, type Tensor } from '../../src/engine/tensor.ts';
import { Conv1d, Upsample1d } from '../../src/nn/conv.ts';
import { ReLU, Sequential } from '../../src/nn/layers.ts';
import { forEachBackend } from '../helpers/backends.ts';

function expectClose(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])))) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}


forEachBackend(() => {
  describe('conv1d fusions equal the unfused ops', () => {
    for (const { stride, up, relu } of [{ stride: 1, up: 2, relu: true }, { stride: 1, up: 3, relu: false },
      { stride: 1, up: 1, relu: true }, { stride: 2, up: 2, relu: true }]) {
      it(`stride ${stride}, upsample ${up}, relu ${relu}`, () => {
        const grads = (fused: boolean) => {
          const x = randUniform([3, 5, 7], 'cf-x', -1, 1), w = randUniform([6, 5, 3], 'cf-w', -1, 1), b = randUniform([6], 'cf-b', -1, 1);
          for (const t of [x, w, b]) t.requiresGrad = true;
          let y: Tensor;
          if (fused) y = conv1d(x, w, b, { stride, padding: 1, upsample: up, relu });
          else {
            const c = conv1d(up > 1 ? upsampleNearest1d(x, up) : x, w, b, { stride, padding: 1 });
            y = relu ? c.relu() : c;
          }
          const gy = randUniform(y.shape, 'cf-gy', -1, 1);
          y.mul(gy).sum().backward();
          return { y: y.data, dx: x.grad!.data, dw: w.grad!.data, db: b.grad!.data };
        };
        const a = grads(true), b = grads(false);
        for (const k of ['y', 'dx', 'dw', 'db'] as const) expectClose(a[k], b[k], k);
        if (relu) expect(a.y.some((v) => v === 0)).toBe(true);
      });
    }

    it('Sequential runs Upsample1d → Conv1d → ReLU fused, with the values of the layers one by one', () => {
      const seq = new Sequential(new Upsample1d(2), new Conv1d(4, 3, 5, { padding: 2, seed: 'cf-seq' }), new ReLU());
      const x = randUniform([2, 4, 9], 'cf-sx', -1, 1);
      const fused = seq.forward(x);
      const oneByOne = seq.layers.reduce((h, m) => m.forward(h), x);
      expect(fused.shape).toEqual([2, 3, 18]);
      expectClose(fused.data, oneByOne.data, 'y');
    });
  });
});

describe('maxPool1d kernel 2, stride 2 (the branch-free pair path)', () => {
  it('picks as the general rule does: the first on ties, a NaN wins, odd lengths drop the last sample; dy goes to that input', async () => {
    const { maxPool1d } = await import('../../src/engine/ops/pool.ts');
    const { Tensor } = await import('../../src/engine/tensor.ts');
    const vals = [1, 2, 3, 3, NaN, 0, 5, NaN, NaN, NaN, -0, 0, 0, -0, -1, -2, 7];   // one row of 17
    const x = new Tensor(Float32Array.from([...vals, ...vals.map((v) => -v)]), [1, 2, 17], true);
    const y = maxPool1d(x, 2, 2);
    expect(y.shape).toEqual([1, 2, 8]);
    const want: number[] = [], at: number[] = [];
    for (let r = 0; r < 2; r++) {
      for (let t = 0; t < 8; t++) {
        const i = r * 17 + 2 * t, a = x.data[i], b = x.data[i + 1];
        const second = b > a || Number.isNaN(b);                  // the general loop's rule
        want.push(second ? b : a); at.push(second ? i + 1 : i);
      }
    }
    expect(Array.from(y.data)).toEqual(want);
    const gy = Float32Array.from(want, (_, o) => o + 1);
    y.mul(new Tensor(gy, y.shape)).sum().backward();
    const dx = new Float32Array(34);
    at.forEach((i, o) => { dx[i] += gy[o]; });
    expect(Array.from(x.grad!.data)).toEqual(Array.from(dx));
    expect(Object.is(y.data[5], -0)).toBe(true);                   // (-0, 0): the first, -0, kept
  });
});

forEachBackend(() => {
  describe('Conv1d → ReLU → MaxPool1d(2) as one op equals the three ops', () => {
    for (const { L, padding, stride } of [{ L: 16, padding: 3, stride: 1 }, { L: 13, padding: 1, stride: 1 }, { L: 15, padding: 2, stride: 2 }]) {
      it(`L ${L}, padding ${padding}, stride ${stride} (odd conv lengths drop the last sample)`, async () => {
        const { conv1dReluPool } = await import('../../src/engine/ops/conv.ts');
        const { maxPool1d } = await import('../../src/engine/ops/pool.ts');
        const grads = (fused: boolean) => {
          const x = randUniform([3, 5, L], 'cp-x', -1, 1), w = randUniform([6, 5, 7], 'cp-w', -1, 1), b = randUniform([6], 'cp-b', -1, 1);
          for (const t of [x, w, b]) t.requiresGrad = true;
          const y = fused ? conv1dReluPool(x, w, b, { padding, stride }) : maxPool1d(conv1d(x, w, b, { padding, stride }).relu(), 2);
          const gy = randUniform(y.shape, 'cp-gy', -1, 1);
          y.mul(gy).sum().backward();
          return { shape: y.shape, y: y.data, dx: x.grad!.data, dw: w.grad!.data, db: b.grad!.data };
        };
        const a = grads(true), b = grads(false);
        expect(a.shape).toEqual(b.shape);
        for (const k of ['y', 'dx', 'dw', 'db'] as const) expectClose(a[k], b[k], k);
        expect(a.y.some((v) => v === 0)).toBe(true);
      });
    }

    it('Sequential runs Conv1d → ReLU → MaxPool1d(2) fused (and a MaxPool1d(3) unfused), with the values of the layers one by one', async () => {
      const { MaxPool1d } = await import('../../src/nn/conv.ts');
      for (const pool of [2, 3]) {
        const seq = new Sequential(new Conv1d(4, 8, 5, { padding: 2, seed: 'cp-seq' }), new ReLU(), new MaxPool1d(pool));
        const x = randUniform([2, 4, 19], 'cp-sx', -1, 1);
        const fused = seq.forward(x);
        const oneByOne = seq.layers.reduce((h, m) => m.forward(h), x);
        expect(fused.shape).toEqual([2, 8, Math.floor(19 / pool)]);
        expect(fused.op).toBe(pool === 2 ? 'conv1dReluPool' : 'maxPool1d');
        expectClose(fused.data, oneByOne.data, 'y');
      }
    });
  });
});
