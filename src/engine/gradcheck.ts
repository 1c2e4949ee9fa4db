// Finite-difference gradient check: compares autodiff gradients of sum(f(inputs) · w), with a
// fixed random w (so a rule right only for a gradient of ones still fails), against central
// differences of the same objective, summed in float64 around the float32 inputs.

import { createRng } from './random.ts';
import { noGrad, tensor, type Tensor } from './tensor.ts';

/** An input to check: a tensor or plain { shape, data }; its values are copied, never changed. */
export type GradcheckInput = Tensor | { shape: readonly number[]; data: Float32Array };

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-2: float32 forward passes need a coarse step). */
  eps?: number;
  /** Allowed error: atol + rtol · |finite difference| per element (defaults 2e-3 and 2e-2). */
  rtol?: number;
  atol?: number;
  /** Seed of the random output weights w (default 1). */
  seed?: number | string;
}

/** What gradcheck compared: the number of input elements and the largest |autodiff − finite difference|. */
export interface GradcheckResult { checked: number; maxError: number }

/**
 * Throws, naming the input and element, where f's backward disagrees with finite differences.
 * f must be deterministic (no dropout) and smooth near the inputs (no kink within eps).
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly GradcheckInput[],
                          { eps = 1e-2, rtol = 2e-2, atol = 2e-3, seed = 1 }: GradcheckOptions = {}): GradcheckResult {
  const base = inputs.map((i) => ({ shape: [...i.shape], data: Float32Array.from(i.data) }));
  const xs = base.map((i) => tensor(i.data.slice(), i.shape, { requiresGrad: true }));
  const y = f(...xs);
  const rng = createRng(seed);
  const w = Float32Array.from({ length: y.size }, () => rng.normal());
  y.mul(tensor(w, y.shape)).sum().backward();
  const objective = (vals: Float32Array[]) => noGrad(() => {
    const out = f(...base.map((inp, k) => tensor(vals[k], inp.shape))).data;
    let s = 0;
    for (let i = 0; i < out.length; i++) s += out[i] * w[i];
    return s;
  });
  let checked = 0, maxError = 0;
  base.forEach((inp, k) => {
    const analytic = xs[k].grad?.data ?? new Float32Array(inp.data.length);
    for (let i = 0; i < inp.data.length; i++) {
      const plus = base.map((q) => q.data.slice()), minus = base.map((q) => q.data.slice());
      plus[k][i] += eps; minus[k][i] -= eps;
      const numeric = (objective(plus) - objective(minus)) / (2 * eps);
      const error = Math.abs(analytic[i] - numeric);
      if (!(error <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`gradcheck: input ${k} element ${i}: autodiff ${analytic[i]}, finite difference ${numeric}`);
      }
      maxError = Math.max(maxError, error);
      checked++;
    }
  });
  return { checked, maxError };
}
