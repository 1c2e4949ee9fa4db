// Elementwise functions of one input, forward only: one thread per element. Each op is a small
// expression in v = x[o]. The definitions and derivatives live in src/engine/ops/elementwise.ts
// (UNARY_OPS); test/engine/unary-definitions.test.ts holds these strings to them.

import type { UnaryOp } from '../backend.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

// Stable sigmoid: two branches keep exp() from overflowing (as on the CPU).
const SIGMOID = '(v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))';
// pow for any sign of v: GLSL's pow(v, a) is undefined for v < 0, so take |v| and put the
// sign back for odd integer exponents (CPU: Math.pow(-2, 3) = -8). A negative v with a
// non-integer exponent is NaN on the CPU and unspecified here.
const signedPow = (exponent: string) =>
  `(v >= 0 ? Math.pow(v, ${exponent}) : Math.pow(-v, ${exponent}) * ` +
  `(Math.floor(${exponent} / 2) * 2 === ${exponent} ? 1 : -1))`;

/** y = f(v), alpha = leakyRelu slope or pow exponent. */
export const FORWARD: Record<UnaryOp, string> = {
  neg: '-v',
  relu: '(v > 0 ? v : 0)',
  leakyRelu: '(v > 0 ? v : alpha * v)',
  sigmoid: SIGMOID,
  tanh: 'Math.tanh(v)',
  exp: 'Math.exp(v)',
  log: 'Math.log(v)',
  // softplus(v) = max(v, 0) + log(1 + e^-|v|); no log1p in shaders, so tiny tails round to 0.
  softplus: '(Math.max(v, 0) + Math.log(1 + Math.exp(-Math.abs(v))))',
  square: 'v * v',
  sqrt: 'Math.sqrt(v)',
  pow: signedPow('alpha'),
  abs: 'Math.abs(v)',
  sin: 'Math.sin(v)',
  cos: 'Math.cos(v)',
  // v·Φ(v) with Φ(v) = ½·erfc(−w), w = v/√2; erfc(−w) is r for w ≤ 0, else 2 − r (PRELUDE).
  gelu: '(v * 0.5 * (w <= 0 ? r : 2 - r))',
  geluTanh: '(0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))))',
};

/**
 * Statements some ops need before their expression (gelu's erfc: the same Chebyshev fit as
 * src/kernel-math/scalar.ts, which has no shader builtin).
 */
const PRELUDE: Partial<Record<UnaryOp, string>> = {
  gelu: `const w = v * 0.7071067811865476;
      const z = Math.abs(w);
      const t = 1 / (1 + 0.5 * z);
      const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
        t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
        t * (-0.82215223 + t * 0.17087277)))))))));`,
};

function unarySpec(op: UnaryOp, n: number): KernelSpec {
  return {
    source: `function (x, alpha) {
      const v = x[this.thread.x];
      ${PRELUDE[op] ?? ''}
      return ${FORWARD[op]};
    }`,
    argumentTypes: { x: 'Array', alpha: 'Float' },
    outputLength: n,
  };
}

/** out[i] = f(x[i]). */
export function unary(cache: KernelCache, op: UnaryOp, x: Float32Array, out: Float32Array,
                      alpha: number): void {
  const n = out.length;
  if (n === 0) return;
  out.set(cache.run(`unary:${op}:${n}`, () => unarySpec(op, n), fit(x, n), alpha));
}
