// Finite-difference gradient check: compares autodiff gradients of sum(f(inputs) · w), with a
// fixed random w, against central differences computed in float64 around float32 inputs.

import { expect } from 'vitest';
import { createRng, tensor, type Tensor } from '../../src/index.ts';

export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: { shape: number[]; data: Float32Array }[],
                          { eps = 1e-2, rtol = 2e-2, atol = 2e-3, seed = 1 } = {}): void {
  const make = () => inputs.map((i) => tensor(i.data.slice(), i.shape, { requiresGrad: true }));
  const xs = make();
  const y = f(...xs);
  const rng = createRng(seed);
  const w = tensor(Float32Array.from({ length: y.size }, () => rng.normal()), y.shape);
  y.mul(w).sum().backward();
  const objective = (vals: Float32Array[]) => {
    const ts = inputs.map((inp, k) => tensor(vals[k], inp.shape));
    const out = f(...ts).toFloat32Array();
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i] * w.data[i];
    return s;
  };
  inputs.forEach((inp, k) => {
    const analytic = xs[k].grad?.data ?? new Float32Array(inp.data.length);
    for (let i = 0; i < inp.data.length; i++) {
      const plus = inputs.map((q) => q.data.slice()), minus = inputs.map((q) => q.data.slice());
      plus[k][i] += eps; minus[k][i] -= eps;
      const numeric = (objective(plus) - objective(minus)) / (2 * eps);
      const tol = atol + rtol * Math.abs(numeric);
      if (!(Math.abs(analytic[i] - numeric) <= tol)) {
        expect.fail(`input ${k} element ${i}: autodiff ${analytic[i]}, finite difference ${numeric}`);
      }
    }
  });
}

export function randomInput(shape: number[], rng: ReturnType<typeof createRng>,
                            { low = -2, high = 2 } = {}): { shape: number[]; data: Float32Array } {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, data: Float32Array.from({ length: n }, () => low + (high - low) * rng.uniform()) };
}
