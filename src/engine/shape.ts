// Shape arithmetic: sizes, strides and NumPy broadcasting rules. The strides the kernels walk
// (stridesOf, broadcastStrides) live below both the engine and the backends, in
// src/kernel-math/broadcast.ts; stridesOf is re-exported here for the engine's own use.

import type { Shape } from '../kernel-math/broadcast.ts';

export { stridesOf, type Shape } from '../kernel-math/broadcast.ts';

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The broadcast shape of a and b (NumPy rules: align right, 1 stretches), or an error. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1, db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis (-1 = last) and checks it. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new Error(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}
