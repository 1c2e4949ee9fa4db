// Layout ops: reshape, transpose, slice, concat. Tensors are always contiguous, so these copy
// (reshape does not: it shares the buffer, and its backward just reinterprets the gradient).

import { formatShape, normAxis, sizeOf, stridesOf } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

export function reshape(x: Tensor, shapeIn: readonly number[]): Tensor {
  // One axis may be -1: inferred from the others, as in PyTorch.
  const known = shapeIn.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const shape = shapeIn.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(shape) !== x.size || shapeIn.filter((d) => d === -1).length > 1 || !shape.every(Number.isInteger)) {
    throw new Error(`cannot reshape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shapeIn)}`);
  }
  return fromOp(x.data, shape, 'reshape', [x], (g) => x.addToGrad(g));
}

/** Copies src (shape `shape`) into dst with axes d0 and d1 swapped. */
function swapAxesCopy(src: Float32Array, shape: readonly number[], d0: number, d1: number,
                      dst: Float32Array, accumulate: boolean): void {
  const outShape = [...shape];
  outShape[d0] = shape[d1]; outShape[d1] = shape[d0];
  const inStrides = stridesOf(shape);
  const walk = [...inStrides];
  walk[d0] = inStrides[d1]; walk[d1] = inStrides[d0]; // stride in src for each output axis
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let s = 0;
  for (let o = 0; o < dst.length; o++) {
    dst[o] = accumulate ? dst[o] + src[s] : src[s];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++; s += walk[d];
      if (idx[d] < outShape[d]) break;
      s -= walk[d] * outShape[d]; idx[d] = 0;
    }
  }
}

export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const d0 = normAxis(dim0, x.rank), d1 = normAxis(dim1, x.rank);
  const shape = [...x.shape];
  shape[d0] = x.shape[d1]; shape[d1] = x.shape[d0];
  const out = new Float32Array(x.size);
  swapAxesCopy(x.data, x.shape, d0, d1, out, false);
  return fromOp(out, shape, 'transpose', [x], (g) => {
    swapAxesCopy(g, shape, d0, d1, x.gradBuffer(), true);
  });
}

/** Sizes of the blocks before, along and after `axis`. */
function around(shape: readonly number[], axis: number) {
  return {
    outer: shape.slice(0, axis).reduce((p, d) => p * d, 1),
    len: shape[axis],
    inner: shape.slice(axis + 1).reduce((p, d) => p * d, 1),
  };
}

export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const ax = normAxis(axis, x.rank);
  const { outer, len, inner } = around(x.shape, ax);
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= len)) {
    throw new Error(`slice ${start}:${end} is out of range for axis ${axis} of size ${len}`);
  }
  const w = (end - start) * inner;
  const out = new Float32Array(outer * w);
  for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * len * inner + start * inner, o * len * inner + end * inner), o * w);
  const shape = x.shape.map((d, i) => (i === ax ? end - start : d));
  return fromOp(out, shape, 'slice', [x], (g) => {
    const gx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      const base = o * len * inner + start * inner;
      for (let i = 0; i < w; i++) gx[base + i] += g[o * w + i];
    }
  });
}

export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error('concat needs at least one tensor');
  const first = tensors[0];
  const ax = normAxis(axis, first.rank);
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new Error(`concat along axis ${axis}: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ off that axis`);
    }
  }
  const total = tensors.reduce((s, t) => s + t.shape[ax], 0);
  const shape = first.shape.map((d, i) => (i === ax ? total : d));
  const { outer, inner } = around(shape, ax);
  const rowOut = total * inner;
  const out = new Float32Array(outer * rowOut);
  let offset = 0;
  for (const t of tensors) {
    const w = t.shape[ax] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * w, (o + 1) * w), o * rowOut + offset);
    offset += w;
  }
  return fromOp(out, shape, 'concat', tensors, (g) => {
    let off = 0;
    for (const t of tensors) {
      const w = t.shape[ax] * inner;
      if (t.requiresGrad) {
        const gt = t.gradBuffer();
        for (let o = 0; o < outer; o++) for (let i = 0; i < w; i++) gt[o * w + i] += g[o * rowOut + off + i];
      }
      off += w;
    }
  });
}

