// conv1d over the whole batch in wasm: im2row builds the row matrix R [N·Lout, Cin·K] inside
// linear memory (only x is copied in, K times smaller than R), then one gemm per product:
//   forward  Y = R·Wᵀ,  backward  dW += dYᵀ·R ('tn' by strides),  dR = dY·W, dx += row2im(dR).
// Padded rows and columns (to the 4x8 tile) are scratch that never reaches a real output.
// TS twin: ../composed/conv-rows.ts.

import type { ConvGeometry } from '../backend.ts';
import type { Arena } from './arena.ts';
import { maskByRelu, reluInPlace, sumChannels } from '../composed/conv-rows.ts';
import { copyInRows, copyOutRows } from './matmul.ts';
import type { KernelExports } from './module.ts';

const up4 = (v: number) => (v + 3) & ~3;
const up8 = (v: number) => (v + 7) & ~7;

export function wasmConv1dForward(kx: KernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                  bias: Float32Array | null, y: Float32Array, g: ConvGeometry, relu: boolean): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  const CK = Cin * K, NL = N * Lout, NL4 = up4(NL), CK8 = up8(CK), Cout8 = up8(Cout);
  arena.reset();
  const xAt = arena.take(N * Cin * L), rAt = arena.take(NL4 * CK8), wsAt = arena.take(Cout * CK);
  const wtAt = arena.take(CK * Cout8), yAt = arena.take(NL4 * Cout8);
  arena.commit();
  const f32 = arena.f32;
  f32.set(x.subarray(0, N * Cin * L), xAt);
  kx.im2row(xAt * 4, N, Cin, L, K, stride, padding, Lout, rAt * 4, CK8 * 4);
  f32.set(w.subarray(0, Cout * CK), wsAt);
  kx.transpose(wsAt * 4, Cout, CK, wtAt * 4, Cout8 * 4);                 // W [Cout,CK] → Wᵀ [CK, Cout8]
  kx.gemm(rAt * 4, wtAt * 4, yAt * 4, NL4, CK, Cout8, CK8 * 4, 4, Cout8 * 4, Cout8 * 4, 0);
  // Y rows [N·Lout, Cout8] → y [N, Cout, Lout] + bias, read straight from linear memory.
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < Cout; c++) {
      const bv = bias ? bias[c] : 0, o = (n * Cout + c) * Lout;
      for (let t = 0, r = yAt + n * Lout * Cout8 + c; t < Lout; t++, r += Cout8) y[o + t] = f32[r] + bv;
    }
  }
  if (relu) reluInPlace(y.subarray(0, N * Cout * Lout));
}

export function wasmConv1dBackward(kx: KernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                   gy: Float32Array, dx: Float32Array | null, dw: Float32Array | null,
                                   db: Float32Array | null, g: ConvGeometry, reluOut: Float32Array | null): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  const CK = Cin * K, NL = N * Lout, NL4 = up4(NL), CK8 = up8(CK), Cout4 = up4(Cout), Cout8 = up8(Cout);
  if (reluOut) { const masked = new Float32Array(N * Cout * Lout); maskByRelu(gy, reluOut, masked); gy = masked; }
  if (db) sumChannels(gy, db, N, Cout, Lout);
  arena.reset();
  const gAt = arena.take(NL4 * Cout8);
  const xAt = dw ? arena.take(N * Cin * L) : 0, rAt = dw ? arena.take(NL4 * CK8) : 0;
  const dwAt = dw ? arena.take(Cout4 * CK8) : 0;
  const wAt = dx ? arena.take(Cout * CK8) : 0, drAt = dx ? arena.take(NL4 * CK8) : 0;
  const dxAt = dx ? arena.take(N * Cin * L) : 0;
  arena.commit();
  const f32 = arena.f32;
  // dY rows [N·Lout, Cout8] written straight into linear memory from gy [N, Cout, Lout].
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < Cout; c++) {
      const o = (n * Cout + c) * Lout;
      for (let t = 0, r = gAt + n * Lout * Cout8 + c; t < Lout; t++, r += Cout8) f32[r] = gy[o + t];
    }
  }
  if (dw) {
    f32.set(x.subarray(0, N * Cin * L), xAt);
    kx.im2row(xAt * 4, N, Cin, L, K, stride, padding, Lout, rAt * 4, CK8 * 4);
    copyInRows(arena, dwAt, dw, Cout, CK, CK8);
    // dW [Cout4, CK8] += dYᵀ·R: A[i,p] = dY[p,i] at gAt + p·Cout8 + i.
    kx.gemm(gAt * 4, rAt * 4, dwAt * 4, Cout4, NL, CK8, 4, Cout8 * 4, CK8 * 4, CK8 * 4, 1);
    copyOutRows(arena, dwAt, dw, Cout, CK, CK8);
  }
  if (dx) {
    copyInRows(arena, wAt, w, Cout, CK, CK8);
    kx.gemm(gAt * 4, wAt * 4, drAt * 4, NL4, Cout, CK8, Cout8 * 4, 4, CK8 * 4, CK8 * 4, 0);  // dR = dY·W
    f32.set(dx.subarray(0, N * Cin * L), dxAt);
    kx.row2im(drAt * 4, N, Cin, L, K, stride, padding, Lout, dxAt * 4, CK8 * 4);
    dx.set(f32.subarray(dxAt, dxAt + N * Cin * L));
  }
}
