// ndarray interop: views share memory; strided views are copied in row-major order.

import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from '../../src/io/ndarray-interop.ts';

describe('ndarray interop', () => {
  it('toNdarray is a view: no copy, writes show on both sides', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const arr = toNdarray(data, [2, 3]);
    expect(arr.data).toBe(data);
    expect(arr.get(1, 2)).toBe(6);
    arr.set(0, 1, 20);
    expect(data[1]).toBe(20);
  });

  it('toNdarray checks the shape', () => {
    expect(() => toNdarray(new Float32Array(5), [2, 3])).toThrow(/needs 6 values, data has 5/);
  });

  it('fromNdarray of a contiguous Float32 view returns the same array', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const back = fromNdarray(toNdarray(data, [2, 3]));
    expect(back.data).toBe(data);
    expect(back.shape).toEqual([2, 3]);
  });

  it('fromNdarray of a contiguous slice shares memory (subarray, no copy)', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const back = fromNdarray(toNdarray(data, [2, 3]).lo(1, 0)); // the second row
    expect(Array.from(back.data)).toEqual([4, 5, 6]);
    expect(back.shape).toEqual([1, 3]);
    expect(back.data.buffer).toBe(data.buffer);
  });

  it('fromNdarray copies a transposed view in row-major order', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]); // [[1,2,3],[4,5,6]]
    const back = fromNdarray(toNdarray(data, [2, 3]).transpose(1, 0));
    expect(back.shape).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(back.data.buffer).not.toBe(data.buffer);
  });

  it('fromNdarray copies stepped 3-D views and converts other storage to float32', () => {
    const src = Array.from({ length: 24 }, (_, i) => i);
    const arr = ndarray(new Float64Array(src), [2, 3, 4]).step(1, -1, 2); // rows reversed, every other column
    const back = fromNdarray(arr);
    expect(back.shape).toEqual([2, 3, 2]);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) expected.push(arr.get(i, j, k));
    expect(Array.from(back.data)).toEqual(expected);
    expect(back.data).toBeInstanceOf(Float32Array);
  });

  it('handles scalars and empty arrays', () => {
    expect(Array.from(fromNdarray(toNdarray(new Float32Array([7]), [])).data)).toEqual([7]);
    expect(fromNdarray(toNdarray(new Float32Array(0), [0, 3])).data.length).toBe(0);
    expect(fromNdarray(ndarray([1, 2, 3], [3])).data).toEqual(new Float32Array([1, 2, 3]));
  });
});
