// Index tables for broadcasting patterns that have no fast path, computed once per shape on
// the CPU and uploaded as ordinary (float) arrays. Indices stay exact below 2^24 elements.

import { broadcastStrides } from '../../kernel-math/broadcast.ts';

/**
 * For every flat index o of `outShape`, the flat index in `shape` that broadcasts to it.
 * E.g. shape [3,1], outShape [2,3,4]: o = (d0, d1, d2) reads shape's element d1.
 */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Float32Array {
  const rank = outShape.length;
  const strides = broadcastStrides(shape, outShape);
  let n = 1;
  for (const d of outShape) n *= d;
  const table = new Float32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let from = 0;
  for (let o = 0; o < n; o++) {
    table[o] = from;
    // Advance the multi-index like an odometer, moving `from` by the broadcast strides.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++; from += strides[d];
      if (idx[d] < outShape[d]) break;
      from -= strides[d] * outShape[d]; idx[d] = 0;
    }
  }
  return table;
}

/**
 * The inverse for reductions: x of xShape summed down to outShape. Every output cell receives
 * the same number of inputs, count = size(x) / size(out); table[o·count + r] is the flat index
 * in x of the r-th input that adds into output cell o.
 */
export function reductionIndex(xShape: readonly number[], outShape: readonly number[],
                               outSize: number): { table: Float32Array; count: number } {
  const toOut = broadcastIndex(outShape, xShape); // x index -> out index
  const count = toOut.length / outSize;
  const table = new Float32Array(toOut.length);
  const filled = new Int32Array(outSize);
  for (let i = 0; i < toOut.length; i++) {
    const o = toOut[i];
    table[o * count + filled[o]++] = i;
  }
  return { table, count };
}
