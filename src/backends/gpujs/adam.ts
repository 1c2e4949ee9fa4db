// The Adam update (torch.optim.Adam, weight decay as L2 on the gradient), as in cpu/adam.ts:
//   g ← g + λ·p;  m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
//   p ← p - lr · (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + eps)
// A gpu.js kernel has one output, so this is three kernels: new m, new v, then new p from
// them. The bias corrections depend on the step, so they come in as scalar arguments.

import type { AdamHyper } from '../backend.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

function momentSpec(n: number, squared: boolean): KernelSpec {
  // m ← β·m + (1-β)·g  or  v ← β·v + (1-β)·g², with g = grad + λ·p.
  return {
    source: `function (grad, p, moment, beta, weightDecay) {
      const o = this.thread.x;
      const g = grad[o] + weightDecay * p[o];
      return beta * moment[o] + (1 - beta) * ${squared ? 'g * g' : 'g'};
    }`,
    argumentTypes: { grad: 'Array', p: 'Array', moment: 'Array', beta: 'Float', weightDecay: 'Float' },
    outputLength: n,
  };
}

function paramSpec(n: number): KernelSpec {
  return {
    source: `function (p, m, v, stepSize, invBc2Sqrt, eps) {
      const o = this.thread.x;
      return p[o] - (stepSize * m[o]) / (Math.sqrt(v[o]) * invBc2Sqrt + eps);
    }`,
    argumentTypes: { p: 'Array', m: 'Array', v: 'Array', stepSize: 'Float', invBc2Sqrt: 'Float', eps: 'Float' },
    outputLength: n,
  };
}

export function adamUpdate(cache: KernelCache, p: Float32Array, grad: Float32Array,
                           m: Float32Array, v: Float32Array, h: AdamHyper): void {
  const n = p.length;
  if (n === 0) return;
  const g = fit(grad, n);
  const stepSize = h.lr / (1 - Math.pow(h.beta1, h.step));
  const invBc2Sqrt = 1 / Math.sqrt(1 - Math.pow(h.beta2, h.step));
  // Order matters: m and v are updated first (they read the old p), then p reads the new m, v.
  m.set(cache.run(`adam:m:${n}`, () => momentSpec(n, false), g, p, fit(m, n), h.beta1, h.weightDecay));
  v.set(cache.run(`adam:v:${n}`, () => momentSpec(n, true), g, p, fit(v, n), h.beta2, h.weightDecay));
  p.set(cache.run(`adam:p:${n}`, () => paramSpec(n), p, fit(m, n), fit(v, n), stepSize, invBc2Sqrt, h.eps));
}
