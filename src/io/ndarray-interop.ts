// Conversion at the edge between the `ndarray` npm package and our plain { data, shape } arrays.
//
// Keep this file OUT of src/engine and the scoring path: ndarray compiles its accessors with
// `new Function`, which throws under a strict Content Security Policy (and under
// `node --disallow-code-generation-from-strings`). Node-side data code and interop only.

import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';

export interface PlainArray {
  data: Float32Array;
  shape: number[];
}

function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A row-major ndarray view over `data`: no copy, writes through either side show in both. */
export function toNdarray(data: Float32Array, shape: readonly number[]): NdArray<Float32Array> {
  if (data.length !== elementCount(shape)) {
    throw new Error(`shape [${shape.join(', ')}] needs ${elementCount(shape)} values, data has ${data.length}`);
  }
  return ndarray(data, [...shape]);
}

/**
 * Plain { data, shape } from an ndarray. No copy when the ndarray is a contiguous row-major
 * Float32Array view (then `data` shares memory with `arr.data`); otherwise, e.g. for a
 * transposed or sliced view, the elements are copied out in row-major order.
 */
export function fromNdarray(arr: NdArray<ndarray.Data<number>>): PlainArray {
  const shape = [...arr.shape];
  const size = elementCount(shape);
  const data = arr.data;
  if (data instanceof Float32Array && isRowMajor(shape, arr.stride)) {
    const whole = arr.offset === 0 && data.length === size;
    return { data: whole ? data : data.subarray(arr.offset, arr.offset + size), shape };
  }
  return { data: copyRowMajor(arr, shape, size), shape };
}

/** Are these the strides of a packed row-major array? (Axes of length 1 may have any stride.) */
function isRowMajor(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/** Walk the index space in row-major order (last axis fastest), reading through the strides. */
function copyRowMajor(arr: NdArray<ndarray.Data<number>>, shape: readonly number[], size: number): Float32Array {
  const out = new Float32Array(size);
  if (size === 0) return out;
  const source = arr.data;
  // Typed arrays and plain arrays index directly; ndarray's "generic" storage has get(i).
  const read = Array.isArray(source) || ArrayBuffer.isView(source)
    ? (i: number) => (source as ArrayLike<number>)[i]
    : (i: number) => (source as ndarray.GenericArray<number>).get(i);
  const index = new Array<number>(shape.length).fill(0);
  let at = arr.offset; // position in arr.data of the element at `index`
  for (let n = 0; n < size; n++) {
    out[n] = read(at);
    // Odometer step: bump the last axis; when it wraps, carry into the one before.
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++;
      at += arr.stride[d];
      if (index[d] < shape[d]) break;
      at -= arr.stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}
