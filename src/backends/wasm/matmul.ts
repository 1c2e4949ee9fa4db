// C[m,n] = op(A)·op(B) (+ C) on the 4x8 f32x4 kernel. Operands are copied into linear memory
// padded to the tile: A to m4 = ⌈m/4⌉·4 rows, B and C to n8 = ⌈n/8⌉·8 columns. The padding is
// never initialised and never copied out (SIMD lanes and rows never mix, so it cannot leak).
//   'nn': A [m,k] as is (row stride k), B [k,n] row by row into stride n8.
//   'tn': A stored [k,m] read transposed by the kernel's strides (A[i,p] at p·m + i), B as 'nn'.
//   'nt': B stored [n,k] copied in, then transposed in wasm into [k, n8].

import type { MatmulLayout } from '../backend.ts';
import type { Arena } from './arena.ts';
import type { KernelExports } from './module.ts';

/**
 * Copies rows of `cols` values from src (contiguous) into arena memory at float index `at`, row
 * stride `ld` (rows·ld floats reserved there): one copy, then the rows spread in wasm where the
 * arena has the restride kernel, else one set per row.
 */
export function copyInRows(arena: Arena, at: number, src: Float32Array, rows: number, cols: number, ld: number): void {
  const f32 = arena.f32;
  if (ld === cols) { f32.set(src.subarray(0, rows * cols), at); return; }
  if (arena.restride) {
    f32.set(src.subarray(0, rows * cols), at);
    arena.restride(at * 4, rows, cols * 4, ld * 4, cols * 4);
    return;
  }
  for (let r = 0; r < rows; r++) f32.set(src.subarray(r * cols, (r + 1) * cols), at + r * ld);
}

/**
 * Copies rows of `cols` values from arena memory at float index `at` (row stride `ld`) into dst
 * (contiguous). With the restride kernel the rows are packed in place first: the padded layout
 * at `at` is gone afterwards.
 */
export function copyOutRows(arena: Arena, at: number, dst: Float32Array, rows: number, cols: number, ld: number): void {
  const f32 = arena.f32;
  if (ld === cols) { dst.set(f32.subarray(at, at + rows * cols)); return; }
  if (arena.restride) {
    arena.restride(at * 4, rows, ld * 4, cols * 4, cols * 4);
    dst.set(f32.subarray(at, at + rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(f32.subarray(at + r * ld, at + r * ld + cols), r * cols);
}

/**
 * With `epilogue`, C = act(op(A)·op(B) + bias) before the copy out (the linear layer, fused:
 * bias per column, ReLU as the TS twin's x > 0 ? x : 0).
 */
export function wasmMatmul(kx: KernelExports, arena: Arena, a: Float32Array, b: Float32Array, c: Float32Array,
                           m: number, k: number, n: number, layout: MatmulLayout, accumulate: boolean,
                           epilogue?: { bias: Float32Array | null; relu: boolean }): void {
  if (m === 0 || n === 0) return;
  const m4 = (m + 3) & ~3, n8 = (n + 7) & ~7;
  arena.reset();
  // The kernel reads A at rows up to m4 − 1: room for the padded rows ('nn') or 3 extra values ('tn').
  const aAt = arena.take(Math.max(m4 * k, k * m + 4));
  const bAt = arena.take(k * n8);
  const cAt = arena.take(m4 * n8);
  const tAt = layout === 'nt' ? arena.take(n * k) : 0;
  const biasAt = epilogue ? arena.take(n8) : 0;
  arena.commit();
  const f32 = arena.f32;
  f32.set(a.subarray(0, m * k), aAt);
  if (layout === 'nt') {
    f32.set(b.subarray(0, n * k), tAt);
    kx.transpose(tAt * 4, n, k, bAt * 4, n8 * 4);                 // [n,k] → [k, n8]
  } else {
    copyInRows(arena, bAt, b, k, n, n8);
  }
  if (accumulate) copyInRows(arena, cAt, c, m, n, n8);
  const ars = layout === 'tn' ? 4 : k * 4, acs = layout === 'tn' ? m * 4 : 4;
  kx.gemm(aAt * 4, bAt * 4, cAt * 4, m4, k, n8, ars, acs, n8 * 4, n8 * 4, accumulate ? 1 : 0);
  if (epilogue) {
    f32.fill(0, biasAt, biasAt + n8);
    if (epilogue.bias) f32.set(epilogue.bias.subarray(0, n), biasAt);
    kx.bias_act(cAt * 4, m, n8, n8 * 4, biasAt * 4, epilogue.relu ? 1 : 0);
  }
  copyOutRows(arena, cAt, c, m, n, n8);
}
