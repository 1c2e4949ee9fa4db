// Elementwise kernels: plain loops over flat Float32Arrays, no allocation inside.
// Forward only: each unary op's definition and derivative live in src/engine/ops/elementwise.ts
// (UNARY_OPS), and test/engine/unary-definitions.test.ts holds these loops to it bit for bit.

import type { BinaryOp, UnaryOp } from '../backend.ts';
import { broadcastStrides } from '../../kernel-math/broadcast.ts';
import { gelu, geluTanh, sigmoid as sigmoidScalar, softplus as softplusScalar } from '../../kernel-math/scalar.ts';

export function unary(op: UnaryOp, x: Float32Array, out: Float32Array, alpha: number): void {
  const n = x.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; return;
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0; return;
    case 'leakyRelu': for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : alpha * x[i]; return;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = sigmoidScalar(x[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case 'softplus': for (let i = 0; i < n; i++) out[i] = softplusScalar(x[i]); return;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case 'pow': for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], alpha); return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); return;
    case 'sin': for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]); return;
    case 'cos': for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]); return;
    case 'gelu': for (let i = 0; i < n; i++) out[i] = gelu(x[i]); return;
    case 'geluTanh': for (let i = 0; i < n; i++) out[i] = geluTanh(x[i]); return;
  }
}

function apply(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
  }
}

/**
 * out = a (op) b with NumPy broadcasting. Fast paths for the shapes training uses
 * (same shape, scalar b, b a row broadcast over the last axis, e.g. a bias); a general
 * strided walk otherwise.
 */
export function binary(op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
                       bShape: readonly number[], out: Float32Array, outShape: readonly number[]): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return;
    }
  }
  if (a.length === n && b.length === 1) {
    const s = b[0];
    for (let i = 0; i < n; i++) out[i] = apply(op, a[i], s);
    return;
  }
  const last = outShape[outShape.length - 1] ?? 1;
  if (a.length === n && b.length === last && bShape[bShape.length - 1] === last) {
    for (let i = 0; i < n; i += last) for (let j = 0; j < last; j++) out[i + j] = apply(op, a[i + j], b[j]);
    return;
  }
  // General case: walk the output index, advancing a and b by their broadcast strides.
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape), sb = broadcastStrides(bShape, outShape);
  const idx = new Array<number>(rank).fill(0);
  let ia = 0, ib = 0;
  for (let o = 0; o < n; o++) {
    out[o] = apply(op, a[ia], b[ib]);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++; ia += sa[d]; ib += sb[d];
      if (idx[d] < outShape[d]) break;
      ia -= sa[d] * outShape[d]; ib -= sb[d] * outShape[d]; idx[d] = 0;
    }
  }
}

/** out += x summed over the axes where outShape broadcasts up to xShape. */
export function sumToShape(x: Float32Array, xShape: readonly number[], out: Float32Array,
                           outShape: readonly number[]): void {
  const n = x.length;
  if (out.length === n) { for (let i = 0; i < n; i++) out[i] += x[i]; return; }
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    out[0] += s;
    return;
  }
  const last = xShape[xShape.length - 1] ?? 1;
  if (out.length === last && outShape[outShape.length - 1] === last) {
    // Bias gradient: sum the rows of a [rows, last] matrix.
    for (let i = 0; i < n; i += last) for (let j = 0; j < last; j++) out[j] += x[i + j];
    return;
  }
  const rank = xShape.length;
  const so = broadcastStrides(outShape, xShape);
  const idx = new Array<number>(rank).fill(0);
  let io = 0;
  for (let i = 0; i < n; i++) {
    out[io] += x[i];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++; io += so[d];
      if (idx[d] < xShape[d]) break;
      io -= so[d] * xShape[d]; idx[d] = 0;
    }
  }
}
