// max and min along one dim (torch.max(x, dim).values): the gradient goes to the arg-extremum only,
// the first index on ties as PyTorch; a NaN in a slice is its extremum (NaN propagates).

import { normAxis } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

export function max(x: Tensor, dim: number, keepDim = false): Tensor {
  return extremum(x, dim, keepDim, 1, 'max');
}

export function min(x: Tensor, dim: number, keepDim = false): Tensor {
  return extremum(x, dim, keepDim, -1, 'min');
}

// sign 1: largest, sign -1: smallest. x viewed as [outer, len, inner]; out is [outer, inner].
function extremum(x: Tensor, dim: number, keepDim: boolean, sign: 1 | -1, op: string): Tensor {
  const ax = normAxis(dim, x.rank);
  const len = x.shape[ax];
  if (len === 0) throw new Error(`${op}: dim ${dim} has length 0`);
  const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const out = new Float32Array(outer * inner);
  const argIndex = new Int32Array(outer * inner); // flat index into x of each slice's extremum
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = base;
      for (let l = 1; l < len; l++) {
        const at = base + l * inner, v = x.data[at], b = x.data[best];
        if (Number.isNaN(b)) break;
        if (Number.isNaN(v) || sign * (v - b) > 0) best = at;
      }
      out[o * inner + i] = x.data[best];
      argIndex[o * inner + i] = best;
    }
  }
  const shape = keepDim ? x.shape.map((d, k) => (k === ax ? 1 : d)) : x.shape.filter((_, k) => k !== ax);
  return fromOp(out, shape, op, [x], (g) => {
    const gx = x.gradBuffer();
    for (let r = 0; r < argIndex.length; r++) gx[argIndex[r]] += g[r];
  });
}
