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
import { copyInRows, copyOutRows } from './matmul.ts';
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
  const { N, Cout, Lout } = g, Cout4 = up4(Cout), T8 = up8(Lout);
  const { yAt } = convInArena(kc, arena, x, w, bias, g, relu, false);
  const f32 = arena.f32;
  if (Cout4 === Cout) { copyOutRows(arena, yAt, y, N * Cout, Lout, T8); return; }   // rows [N·Cout] of stride T8
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < Cout; c++) {
      const from = yAt + (n * Cout4 + c) * T8;
      y.set(f32.subarray(from, from + Lout), (n * Cout + c) * Lout);
    }
  }
}

/**
 * Conv1d → ReLU → MaxPool1d(2) (conv-pool.wat): the conv's output rows are pooled in linear memory
 * (max_pool2), so only y [N, Cout, P] and the picks sel [N, Cout, P] are copied out, P = ⌊Lout/2⌋.
 * TS twin: ../composed/conv-pool.ts conv1dReluPoolForward.
 */
export function directConv1dReluPoolForward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                            bias: Float32Array | null, y: Float32Array, sel: Int32Array, g: ConvGeometry): void {
  const { N, Cout, Lout } = g, Cout4 = up4(Cout), T8 = up8(Lout), P = Lout >> 1, P4 = up4(P);
  const { yAt, pAt, sAt } = convInArena(kc, arena, x, w, bias, g, true, true);
  kc.max_pool2(yAt * 4, T8 * 4, N * Cout4, P4, pAt * 4, sAt * 4, P4 * 4);       // 2·P4 ≤ T8: reads stay in a row
  const f32 = arena.f32, i32 = arena.i32;
  if (Cout4 === Cout && P4 === P) {
    y.set(f32.subarray(pAt, pAt + N * Cout * P));
    sel.set(i32.subarray(sAt, sAt + N * Cout * P));
    return;
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < Cout; c++) {
      const from = (n * Cout4 + c) * P4, to = (n * Cout + c) * P;
      y.set(f32.subarray(pAt + from, pAt + from + P), to);
      sel.set(i32.subarray(sAt + from, sAt + from + P), to);
    }
  }
}

/** The direct conv (relu: fused) into arena rows [N][Cout4][T8] at yAt; with `pool`, room for the pooled rows and picks. */
function convInArena(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array, bias: Float32Array | null,
                     g: ConvGeometry, relu: boolean, pool: boolean): { yAt: number; pAt: number; sAt: number } {
  const { N, Cin, Cout, K, padding, L, Lout } = g;
  const Cout4 = up4(Cout), T8 = up8(Lout), LX = paddedRow(Lout, K), P4 = up4(Lout >> 1);
  arena.reset();
  const xAt = arena.take(N * Cin * LX + 8), wAt = arena.take(Cout4 * Cin * K), bAt = arena.take(Cout4);
  const yAt = arena.take(N * Cout4 * T8);
  const pAt = pool ? arena.take(N * Cout4 * P4) : 0, sAt = pool ? arena.take(N * Cout4 * P4) : 0;
  arena.commit();
  const f32 = arena.f32;
  copyInPadded(kc, f32, xAt, x, N, Cin, L, LX, padding, Cin, g.up ?? 1);
  packWeights(f32, wAt, w, Cout, Cin, K, false);
  f32.fill(0, bAt, bAt + Cout4);
  if (bias) f32.set(bias.subarray(0, Cout), bAt);
  kc.conv_direct(xAt * 4, Cin * LX * 4, LX * 4, Cin, wAt * 4, bAt * 4, yAt * 4, Cout4 * T8 * 4, T8 * 4, Cout4, K, T8, N, relu ? 1 : 0);
  return { yAt, pAt, sAt };
}

/**
 * With `pooled` (Conv1d → ReLU → MaxPool1d(2), forward by directConv1dReluPoolForward), gy is the
 * pooled gradient [N, Cout, ⌊Lout/2⌋] and unpool2 writes the conv's dy rows from it, y and the
 * picks (reluOut is then null). TS twin of that part: ../composed/conv-pool.ts unpool2.
 */
export function directConv1dBackward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                     gy: Float32Array, dx: Float32Array | null, dw: Float32Array | null,
                                     db: Float32Array | null, g: ConvGeometry, reluOut: Float32Array | null,
                                     pooled: { y: Float32Array; sel: Int32Array } | null = null): void {
  const { N, Cin, Cout, K, padding, L, Lout } = g;
  const up = g.up ?? 1, Ls = L / up;
  const Cin4 = up4(Cin), Cout4 = up4(Cout), K2 = up2(K), T4 = up4(Lout), L8 = up8(L), q = K - 1 - padding;
  const P = Lout >> 1, P4 = up4(P);
  // g rows: dy at offset q (the input gradient's padding), zeros to the end of the row.
  const LG = up4(Math.max(q + T4, L8 + K, pooled ? q + 2 * P4 : 0));
  const LX = paddedRow(Lout, K);
  arena.reset();
  const gAt = arena.take(N * Cout4 * LG + 8);
  const xAt = dw ? arena.take(N * Cin * LX + 8) : 0, dwAt = dw ? arena.take(Cout4 * Cin * K2) : 0;
  const wAt = dx ? arena.take(Cin4 * Cout * K) : 0, zAt = dx ? arena.take(Cin4) : 0;
  const dxAt = dx ? arena.take(N * Cin4 * L8) : 0;
  const yAt = reluOut ? arena.take(N * Cout4 * LG + 8) : 0, sumsAt = db ? arena.take(Cout4 * LG) : 0;
  const pdAt = pooled ? arena.take(3 * N * Cout * P4) : 0;             // dy, y and the picks, rows of P4
  arena.commit();
  const f32 = arena.f32;
  if (pooled) unpoolInArena(kc, arena, gy, pooled, pdAt, N, Cout, Cout4, P, P4, gAt, LG, q);
  else copyInPadded(kc, f32, gAt, gy, N, Cout, Lout, LG, q, Cout4);
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
    if (up === 1 && Cin4 === Cin) {                                  // dx's rows in, the kernel adds into them
      copyInRows(arena, dxAt, dx, N * Cin, L, L8);
      kc.conv_direct(gAt * 4, Cout4 * LG * 4, LG * 4, Cout, wAt * 4, zAt * 4, dxAt * 4, Cin4 * L8 * 4, L8 * 4, Cin4, K, L8, N, 2);
      copyOutRows(arena, dxAt, dx, N * Cin, L, L8);
      return;
    }
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

/**
 * The conv's dy rows [N][Cout4][LG] at gAt (dy at offset q, zeros elsewhere) from the pool's
 * gradient: gy, y and the picks copied in as rows of P4 (zeros past P), then unpool2.
 */
function unpoolInArena(kc: ConvKernelExports, arena: Arena, gy: Float32Array, pooled: { y: Float32Array; sel: Int32Array },
                       at: number, N: number, Cout: number, Cout4: number, P: number, P4: number, gAt: number, LG: number, q: number): void {
  const f32 = arena.f32, i32 = arena.i32, rows = N * Cout, dyAt = at, yAt = at + rows * P4, sAt = at + 2 * rows * P4;
  f32.fill(0, gAt, gAt + N * Cout4 * LG + 8);
  if (P4 === P) {
    f32.set(gy.subarray(0, rows * P), dyAt);
    f32.set(pooled.y.subarray(0, rows * P), yAt);
    i32.set(pooled.sel.subarray(0, rows * P), sAt);
  } else {
    f32.fill(0, at, at + 3 * rows * P4);
    for (let r = 0; r < rows; r++) {
      f32.set(gy.subarray(r * P, (r + 1) * P), dyAt + r * P4);
      f32.set(pooled.y.subarray(r * P, (r + 1) * P), yAt + r * P4);
      i32.set(pooled.sel.subarray(r * P, (r + 1) * P), sAt + r * P4);
    }
  }
  if (Cout4 === Cout) { kc.unpool2(dyAt * 4, yAt * 4, sAt * 4, P4 * 4, rows, P4, (gAt + q) * 4, LG * 4); return; }
  for (let n = 0; n < N; n++) {
    const o = n * Cout * P4 * 4;
    kc.unpool2(dyAt * 4 + o, yAt * 4 + o, sAt * 4 + o, P4 * 4, Cout, P4, (gAt + n * Cout4 * LG + q) * 4, LG * 4);
  }
}
