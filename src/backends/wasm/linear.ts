// The linear layer's backward in one pass over linear memory: dy copied in once, masked by the
// layer's ReLU output in wasm (relu_mask), db += Σ_rows g summed in wasm (col_sum), then
// dx += g·W ('nn') and dW += gᵀ·x ('tn' by strides) on the gemm kernel. Where the second module
// (relu_mask, col_sum) cannot compile, the mask and the sum run here in TS. The TS twin is the
// composition in src/backends/composed/linear.ts (ReLU mask, two matmuls, sumToShape), which
// gives the same sums.

import type { Arena } from './arena.ts';
import { copyInRows, copyOutRows } from './matmul.ts';
import type { ConvKernelExports, KernelExports } from './module.ts';

export function wasmLinearBackward(kx: KernelExports, kc: ConvKernelExports | null, arena: Arena, x: Float32Array,
                                   w: Float32Array, reluOut: Float32Array | null, gy: Float32Array,
                                   dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null,
                                   rows: number, inF: number, outF: number): void {
  if (rows === 0) return;
  const rows4 = (rows + 3) & ~3, out4 = (outF + 3) & ~3, in8 = (inF + 7) & ~7, n = rows * outF;
  arena.reset();
  const gAt = arena.take(rows4 * outF + 4);                     // g [rows4, outF] (+ slack: 'tn' and col_sum read up to out4)
  const yAt = reluOut && kc ? arena.take(n) : 0, dbAt = db && kc ? arena.take(out4) : 0;
  const wAt = dx ? arena.take(outF * in8) : 0, dxAt = dx ? arena.take(rows4 * in8) : 0;
  const xAt = dw ? arena.take(rows * in8) : 0, dwAt = dw ? arena.take(out4 * in8) : 0;
  arena.commit();
  const f32 = arena.f32;
  if (reluOut && kc) {
    f32.set(gy.subarray(0, n), gAt); f32.set(reluOut.subarray(0, n), yAt);
    kc.relu_mask(gAt * 4, yAt * 4, (n + 3) & ~3);               // y > 0 exactly where z > 0
  } else if (reluOut) {
    for (let i = 0; i < n; i++) f32[gAt + i] = reluOut[i] > 0 ? gy[i] : 0;
  } else {
    f32.set(gy.subarray(0, n), gAt);
  }
  if (db && kc) {
    f32.set(db.subarray(0, outF), dbAt);
    kc.col_sum(gAt * 4, rows, out4, outF * 4, dbAt * 4);        // db += each row of g in turn, as the loop below
    db.set(f32.subarray(dbAt, dbAt + outF));
  } else if (db) {
    for (let r = 0, o = gAt; r < rows; r++, o += outF) for (let j = 0; j < outF; j++) db[j] += f32[o + j];
  }
  if (dx) {
    copyInRows(arena, wAt, w, outF, inF, in8);
    copyInRows(arena, dxAt, dx, rows, inF, in8);
    kx.gemm(gAt * 4, wAt * 4, dxAt * 4, rows4, outF, in8, outF * 4, 4, in8 * 4, in8 * 4, 1); // += [rows,outF]·[outF,inF]
    copyOutRows(arena, dxAt, dx, rows, inF, in8);
  }
  if (dw) {
    copyInRows(arena, xAt, x, rows, inF, in8);
    copyInRows(arena, dwAt, dw, outF, inF, in8);
    kx.gemm(gAt * 4, xAt * 4, dwAt * 4, out4, rows, in8, 4, outF * 4, in8 * 4, in8 * 4, 1); // += [rows,outF]ᵀ·[rows,inF]
    copyOutRows(arena, dwAt, dw, outF, inF, in8);
  }
}
