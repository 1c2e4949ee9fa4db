// Reductions: sum, mean and a numerically stable logSumExp, over all elements or one axis.

import { getBackend } from '../../backends/backend.ts';
import { normAxis } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

/** The shape with `axis` kept as 1 (for broadcasting back) and the shape the caller sees. */
function reducedShapes(x: Tensor, axis: number | undefined, keepDim: boolean) {
  if (axis === undefined) return { kept: x.shape.map(() => 1), shape: keepDim ? x.shape.map(() => 1) : [] };
  const ax = normAxis(axis, x.rank);
  const kept = x.shape.map((d, i) => (i === ax ? 1 : d));
  return { kept, shape: keepDim ? kept : x.shape.filter((_, i) => i !== ax) };
}

export function sum(x: Tensor, axis?: number, keepDim = false): Tensor {
  return scaledSum(x, axis, keepDim, 1, 'sum');
}

export function mean(x: Tensor, axis?: number, keepDim = false): Tensor {
  const count = axis === undefined ? x.size : x.shape[normAxis(axis, x.rank)];
  return scaledSum(x, axis, keepDim, 1 / count, 'mean');
}

// y = scale · Σ x over the axis;  dx = scale · broadcast(dy).
function scaledSum(x: Tensor, axis: number | undefined, keepDim: boolean, scale: number, op: string): Tensor {
  const backend = getBackend();
  const { kept, shape } = reducedShapes(x, axis, keepDim);
  const out = new Float32Array(kept.reduce((p, d) => p * d, 1));
  backend.sumToShape(x.data, x.shape, out, kept);
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
  return fromOp(out, shape, op, [x], (g) => {
    const gx = x.gradBuffer();
    const scaled = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) scaled[i] = g[i] * scale;
    backend.binary('add', gx, x.shape, scaled, kept, gx, x.shape);
  });
}

/**
 * log Σ exp(x) along an axis, as max + log Σ exp(x - max) so large values do not overflow.
 * Gradient: softmax(x) · dy.
 */
export function logSumExp(x: Tensor, axis: number, keepDim = false): Tensor {
  const ax = normAxis(axis, x.rank);
  const { shape } = reducedShapes(x, ax, keepDim);
  const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const len = x.shape[ax];
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let l = 0; l < len; l++) max = Math.max(max, x.data[base + l * inner]);
      let s = 0;
      for (let l = 0; l < len; l++) s += Math.exp(x.data[base + l * inner] - max);
      out[o * inner + i] = max + Math.log(s);
    }
  }
  return fromOp(out, shape, 'logSumExp', [x], (g) => {
    const gx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i, r = o * inner + i;
        for (let l = 0; l < len; l++) gx[base + l * inner] += g[r] * Math.exp(x.data[base + l * inner] - out[r]);
      }
    }
  });
}
