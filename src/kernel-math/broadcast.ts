// Row-major strides and NumPy broadcasting as strides: what the kernels walk. Shared by the engine
// (src/engine/shape.ts) and the backends (cpu and gpujs binary ops, sumToShape), below both.

export type Shape = readonly number[];

/** Row-major strides: the last axis is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
}

/**
 * Strides to walk `shape` (right-aligned inside `target`) while iterating over `target`:
 * 0 along axes where `shape` is 1 or missing, so the same element is reused.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  return target.map((_, d) => {
    const s = d - offset;
    return s < 0 || shape[s] === 1 ? 0 : own[s];
  });
}
