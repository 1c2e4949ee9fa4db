// conv1d at stride 1 straight from the zero-padded input (kernels/conv-direct.wat), for the
// small channel counts of the Conv1D autoencoder, where im2row's row matrix (K times the input)
// and the gemm's padding to 8 output channels cost more than the products themselves:
//   forward   y  = conv_direct(xp, w packed by 4 output channels) + bias (then ReLU, fused)
//   backward  dW += conv_wgrad(xp, g)                 (g = dy, rows zero past Lout)
//             dx += conv_direct(g padded by K−1−p, w flipped in k, channels swapped)
// xp [N, Cin, LX]: x[n, ci, j − p] at j (zeros around it); every row is long enough for the
// kernels' 8-position (forward) and 4-position (weight gradient) tiles to read zeros past the
// end. With the ReLU fused, dy is masked by its output in wasm (relu_mask) before both products.
// TS twins: src/backends/cpu/conv.ts conv1dNaive, conv1dBackwardNaive.

import type { ConvGeometry } from '../backend.ts';
import type { Arena } from './arena.ts';
import { copyOutRows } from './matmul.ts';
import type { ConvKernelExports } from './module.ts';

export const up2 = (v: number) => (v + 1) & ~1;
export const up4 = (v: number) => (v + 3) & ~3;
export const up8 = (v: number) => (v + 7) & ~7;

/** Whether the direct kernels handle this geometry (else the im2row + gemm path runs). */
export function directConvFits(g: ConvGeometry): boolean {
  return g.stride === 1 && g.padding <= g.K - 1 && g.Cin <= 64 && g.Cout <= 64 && g.L % (g.up ?? 1) === 0;
}

/** Row length (floats) of the padded input for output length Lout (8-tiles) and taps K (+1: even). */
export const paddedRow = (Lout: number, K: number) => up4(up8(Lout) + K + 1);

/**
 * Writes x [N, C, L/up] into f32 at `at` as rows of LX floats, upsampled sample j (x[.., ⌊j/up⌋])
 * at j + p, zeros elsewhere. Without upsampling and with `kc`, one contiguous copy per sample and
 * the pad_rows kernel place the rows; otherwise one set (or an upsampling loop) per row.
 */
export function copyInPadded(kc: ConvKernelExports | null, f32: Float32Array, at: number, x: Float32Array, N: number,
                             C: number, L: number, LX: number, p: number, rowsPerSample: number, up = 1): void {
  if (up === 1 && kc) {
    if (rowsPerSample === C) {
      f32.set(x.subarray(0, N * C * L), at);
      kc.pad_rows(at * 4, N * C, L * 4, LX * 4, p * 4);
      return;
    }
    for (let n = 0; n < N; n++) {
      const base = at + n * rowsPerSample * LX;
      f32.set(x.subarray(n * C * L, (n + 1) * C * L), base);
      kc.pad_rows(base * 4, C, L * 4, LX * 4, p * 4);
      f32.fill(0, base + C * LX, base + rowsPerSample * LX);        // the padded channels' rows
    }
    return;
  }
  f32.fill(0, at, at + N * rowsPerSample * LX);
  const Ls = L / up;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const src = (n * C + c) * Ls, dst = at + (n * rowsPerSample + c) * LX + p;
      if (up === 1) { f32.set(x.subarray(src, src + L), dst); continue; }
      for (let i = 0, o = dst; i < Ls; i++) { const v = x[src + i]; for (let r = 0; r < up; r++) f32[o++] = v; }
    }
  }
}

/** w [Cout, Cin, K] → packed [Cout4/4][Cin][K][4] (zero for co ≥ Cout); flip: [Cin4/4][Cout][K][4] of w[co, ci, K−1−k]. */
export function packWeights(f32: Float32Array, at: number, w: Float32Array, Cout: number, Cin: number, K: number, flip: boolean): void {
  const outC = flip ? Cin : Cout, inC = flip ? Cout : Cin, out4 = up4(outC);
  f32.fill(0, at, at + out4 * inC * K);
  for (let o = 0; o < outC; o++) {
    const block = at + (o >> 2) * inC * K * 4, lane = o & 3;
    for (let i = 0; i < inC; i++) {
      for (let k = 0; k < K; k++) {
        const v = flip ? w[(i * Cin + o) * K + (K - 1 - k)] : w[(o * Cin + i) * K + k];
        f32[block + (i * K + k) * 4 + lane] = v;
      }
    }
  }
}

/**
 * db[c mod dbLen] += Σ_{n, i < I} g[n, c, q + i] for c < C, g at float `gAt` as [N][C4][LG]: first
 * Σ_n on the col_sum kernel into `sumsAt` ([C4·LG] floats of arena), then each channel's row
 * summed here (C·I values instead of N·C·I).
 */
export function addChannelSums(kc: ConvKernelExports, f32: Float32Array, gAt: number, sumsAt: number, N: number, C: number,
                               C4: number, LG: number, q: number, I: number, db: Float32Array): void {
  f32.fill(0, sumsAt, sumsAt + C4 * LG);
  kc.col_sum(gAt * 4, N, C4 * LG, C4 * LG * 4, sumsAt * 4);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let i = 0, r = sumsAt + c * LG + q; i < I; i++) s += f32[r + i];
    db[c % db.length] += s;
  }
}

export function directConv1dForward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                    bias: Float32Array | null, y: Float32Array, g: ConvGeometry, relu: boolean): void {
  const { N, Cin, Cout, K, padding, L, Lout } = g;
  const Cout4 = up4(Cout), T8 = up8(Lout), LX = paddedRow(Lout, K);
  arena.reset();
  const xAt = arena.take(N * Cin * LX + 8), wAt = arena.take(Cout4 * Cin * K), bAt = arena.take(Cout4);
  const yAt = arena.take(N * Cout4 * T8);
  arena.commit();
  const f32 = arena.f32;
  copyInPadded(kc, f32, xAt, x, N, Cin, L, LX, padding, Cin, g.up ?? 1);
  packWeights(f32, wAt, w, Cout, Cin, K, false);
  f32.fill(0, bAt, bAt + Cout4);
  if (bias) f32.set(bias.subarray(0, Cout), bAt);
  kc.conv_direct(xAt * 4, Cin * LX * 4, LX * 4, Cin, wAt * 4, bAt * 4, yAt * 4, Cout4 * T8 * 4, T8 * 4, Cout4, K, T8, N, relu ? 1 : 0);
  if (Cout4 === Cout) { copyOutRows(arena, yAt, y, N * Cout, Lout, T8); return; }   // rows [N·Cout] of stride T8
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < Cout; c++) {
      const from = yAt + (n * Cout4 + c) * T8;
      y.set(f32.subarray(from, from + Lout), (n * Cout + c) * Lout);
    }
  }
}

export function directConv1dBackward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                     gy: Float32Array, dx: Float32Array | null, dw: Float32Array | null,
                                     db: Float32Array | null, g: ConvGeometry, reluOut: Float32Array | null): void {
  const { N, Cin, Cout, K, padding, L, Lout } = g;
  const up = g.up ?? 1, Ls = L / up;
  const Cin4 = up4(Cin), Cout4 = up4(Cout), K2 = up2(K), T4 = up4(Lout), L8 = up8(L), q = K - 1 - padding;
  // g rows: dy at offset q (the input gradient's padding), zeros to the end of the row.
  const LG = up4(Math.max(q + T4, L8 + K));
  const LX = paddedRow(Lout, K);
  arena.reset();
  const gAt = arena.take(N * Cout4 * LG + 8);
  const xAt = dw ? arena.take(N * Cin * LX + 8) : 0, dwAt = dw ? arena.take(Cout4 * Cin * K2) : 0;
  const wAt = dx ? arena.take(Cin4 * Cout * K) : 0, zAt = dx ? arena.take(Cin4) : 0;
  const dxAt = dx ? arena.take(N * Cin4 * L8) : 0;
  const yAt = reluOut ? arena.take(N * Cout4 * LG + 8) : 0, sumsAt = db ? arena.take(Cout4 * LG) : 0;
  arena.commit();
  const f32 = arena.f32;
  copyInPadded(kc, f32, gAt, gy, N, Cout, Lout, LG, q, Cout4);
  if (reluOut) {                                                      // dy through the fused ReLU
    copyInPadded(kc, f32, yAt, reluOut, N, Cout, Lout, LG, q, Cout4);
    kc.relu_mask(gAt * 4, yAt * 4, up4(N * Cout4 * LG));
  }
  if (db) addChannelSums(kc, f32, gAt, sumsAt, N, Cout, Cout4, LG, q, Lout, db);   // db[c] += Σ_{n,t} g
  if (dw) {
    copyInPadded(kc, f32, xAt, x, N, Cin, L, LX, padding, Cin, up);
    kc.conv_wgrad(xAt * 4, Cin * LX * 4, LX * 4, Cin, (gAt + q) * 4, Cout4 * LG * 4, LG * 4, Cout4, K2, T4, N, dwAt * 4);
    for (let co = 0; co < Cout; co++) {
      for (let ci = 0; ci < Cin; ci++) {
        const o = (co * Cin + ci) * K, from = dwAt + (co * Cin + ci) * K2;
        for (let k = 0; k < K; k++) dw[o + k] += f32[from + k];
      }
    }
  }
  if (dx) {
    packWeights(f32, wAt, w, Cout, Cin, K, true);
    f32.fill(0, zAt, zAt + Cin4);
    kc.conv_direct(gAt * 4, Cout4 * LG * 4, LG * 4, Cout, wAt * 4, zAt * 4, dxAt * 4, Cin4 * L8 * 4, L8 * 4, Cin4, K, L8, N, 0);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < Cin; c++) {
        const o = (n * Cin + c) * Ls, from = dxAt + (n * Cin4 + c) * L8;
        if (up === 1) { for (let j = 0; j < L; j++) dx[o + j] += f32[from + j]; continue; }
        for (let i = 0, j = from; i < Ls; i++) {                     // the upsampling's adjoint
          let s = 0;
          for (let r = 0; r < up; r++) s += f32[j++];
          dx[o + i] += s;
        }
      }
    }
  }
}
