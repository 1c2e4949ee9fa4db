// Elementwise functions of one input, and their backward: one thread per element.
// Each op is a small expression in v = x[o] (backward also f = y[o] = f(v) and g = gy[o]).

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
const FORWARD: Record<UnaryOp, string> = {
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
};

/** f'(v)·g, given v = x[o], f = y[o] = f(x[o]) and the upstream gradient g = gy[o]. */
const BACKWARD: Record<UnaryOp, string> = {
  neg: '-g',
  relu: '(v > 0 ? g : 0)',
  leakyRelu: '(v > 0 ? g : alpha * g)',
  sigmoid: 'g * f * (1 - f)',
  tanh: 'g * (1 - f * f)',
  exp: 'g * f',
  log: 'g / v',
  softplus: `g * ${SIGMOID}`, // d softplus/dv = sigmoid(v)
  square: '2 * v * g',
  sqrt: 'g * 0.5 / f',
  pow: `g * alpha * ${signedPow('(alpha - 1)')}`,
  abs: '(v > 0 ? g : (v < 0 ? -g : 0))',
};

function unarySpec(op: UnaryOp, n: number): KernelSpec {
  return {
    source: `function (x, alpha) {
      const v = x[this.thread.x];
      return ${FORWARD[op]};
    }`,
    argumentTypes: { x: 'Array', alpha: 'Float' },
    outputLength: n,
  };
}

function unaryBackwardSpec(op: UnaryOp, n: number): KernelSpec {
  // gx comes in and goes out: the kernel returns gx + f'(x)·gy.
  return {
    source: `function (x, y, gy, gx, alpha) {
      const o = this.thread.x;
      const v = x[o];
      const f = y[o];
      const g = gy[o];
      return gx[o] + ${BACKWARD[op]};
    }`,
    argumentTypes: { x: 'Array', y: 'Array', gy: 'Array', gx: 'Array', alpha: 'Float' },
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

/** gx[i] += f'(x[i]) · gy[i]. */
export function unaryBackward(cache: KernelCache, op: UnaryOp, x: Float32Array, y: Float32Array,
                              gy: Float32Array, gx: Float32Array, alpha: number): void {
  const n = gx.length;
  if (n === 0) return;
  gx.set(cache.run(`unaryBackward:${op}:${n}`, () => unaryBackwardSpec(op, n),
    fit(x, n), fit(y, n), fit(gy, n), gx, alpha));
}
