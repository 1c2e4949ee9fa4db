// conv1d for the whole batch as im2row + one matmul per direction: the default conv1dForward and
// conv1dBackward (complete.ts) and the TS twin of the wasm backend's (the math is in
// src/engine/ops/conv.ts, conv1d).

import type { Backend, ConvGeometry } from '../contract.ts';

/**
 * The whole batch's receptive fields as rows (im2col transposed): x [N, C, L] →
 * rows [N·Lout, C·K], rows[n·Lout + t, c·K + k] = x[n, c, t·s − p + k] (0 outside [0, L)).
 * One matrix for the batch lets conv1d be ONE matmul per direction (per-sample products are
 * too small for the SIMD kernels' call and copy overhead), and the row layout makes all three
 * products 'nt' with a small B, 'tn' and 'nn' (no large transpose).
 */
export function im2row(x: Float32Array, N: number, C: number, L: number, K: number, stride: number,
                       padding: number, Lout: number, rows: Float32Array): void {
  const CK = C * K;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < Lout; t++) {
      const start = t * stride - padding, o = (n * Lout + t) * CK;
      const k0 = Math.min(K, Math.max(0, -start)), k1 = Math.min(K, L - start); // valid k: 0 ≤ start + k < L
      for (let c = 0; c < C; c++) {
        const dst = o + c * K, src = (n * C + c) * L + start;
        for (let k = 0; k < k0; k++) rows[dst + k] = 0;
        for (let k = k0; k < k1; k++) rows[dst + k] = x[src + k];
        for (let k = Math.max(k1, k0); k < K; k++) rows[dst + k] = 0;
      }
    }
  }
}

/** Adjoint of im2row: dx[n, c, t·s − p + k] += rows[n·Lout + t, c·K + k]. */
export function row2im(rows: Float32Array, N: number, C: number, L: number, K: number, stride: number,
                       padding: number, Lout: number, dx: Float32Array): void {
  const CK = C * K;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < Lout; t++) {
      const start = t * stride - padding, o = (n * Lout + t) * CK;
      const k0 = Math.min(K, Math.max(0, -start)), k1 = Math.min(K, L - start);
      for (let c = 0; c < C; c++) {
        const src = o + c * K, dst = (n * C + c) * L + start;
        for (let k = k0; k < k1; k++) dx[dst + k] += rows[src + k];
      }
    }
  }
}

/** [N·Lout, C] rows → y [N, C, Lout] (+ b[c]). */
export function rowsToChannels(src: Float32Array, N: number, C: number, Lout: number, b: Float32Array | null,
                               y: Float32Array): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const bv = b ? b[c] : 0, o = (n * C + c) * Lout;
      for (let t = 0, r = n * Lout * C + c; t < Lout; t++, r += C) y[o + t] = src[r] + bv;
    }
  }
}

/** g [N, C, Lout] → [N·Lout, C] rows. */
export function channelsToRows(g: Float32Array, N: number, C: number, Lout: number, dst: Float32Array): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const o = (n * C + c) * Lout;
      for (let t = 0, r = n * Lout * C + c; t < Lout; t++, r += C) dst[r] = g[o + t];
    }
  }
}

/** y[i] = y[i] > 0 ? y[i] : 0 (the ReLU fused into conv1d; NaN → 0). */
export function reluInPlace(y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i] > 0 ? y[i] : 0;
}

/** out[i] = reluOut[i] > 0 ? gy[i] : 0: dy through the fused ReLU (y > 0 exactly where z > 0). */
export function maskByRelu(gy: Float32Array, reluOut: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = reluOut[i] > 0 ? gy[i] : 0;
}

/** y [N, Cout, Lout] = conv1d(x [N, Cin, L], w [Cout, Cin, K]) + bias (then ReLU when relu). */
export function conv1dRowsForward(matmul: Backend['matmul'], x: Float32Array, w: Float32Array,
                                  bias: Float32Array | null, y: Float32Array, g: ConvGeometry, relu = false): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  const CK = Cin * K, NL = N * Lout;
  const rows = new Float32Array(NL * CK);
  im2row(x, N, Cin, L, K, stride, padding, Lout, rows);
  const yRows = new Float32Array(NL * Cout);                           // [N·Lout, Cout]
  matmul(rows, w, yRows, NL, CK, Cout, 'nt', false);                   // [NL,CK]·[Cout,CK]ᵀ
  rowsToChannels(yRows, N, Cout, Lout, bias, y);
  if (relu) reluInPlace(y);
}

/** db[c] += Σ_n Σ_t dy[n, c, t] for dy [N, C, Lout]. */
export function sumChannels(dy: Float32Array, db: Float32Array, N: number, C: number, Lout: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0, o = (n * C + c) * Lout; t < Lout; t++) s += dy[o + t];
      db[c] += s;
    }
  }
}

/**
 * Adds conv1d's gradients into dx [N, Cin, L], dw [Cout, Cin, K] and db [Cout] (any may be
 * null); reluOut: the fused ReLU's output, dy masked by it first.
 */
export function conv1dRowsBackward(matmul: Backend['matmul'], x: Float32Array, w: Float32Array, gy: Float32Array,
                                   dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null,
                                   g: ConvGeometry, reluOut: Float32Array | null = null): void {
  const { N, Cin, Cout, K, stride, padding, L, Lout } = g;
  if (reluOut) { const masked = new Float32Array(N * Cout * Lout); maskByRelu(gy, reluOut, masked); gy = masked; }
  if (db) sumChannels(gy, db, N, Cout, Lout);
  const CK = Cin * K, NL = N * Lout;
  const gyRows = new Float32Array(NL * Cout);                          // dy as [N·Lout, Cout]
  channelsToRows(gy, N, Cout, Lout, gyRows);
  if (dw) {
    const rows = new Float32Array(NL * CK);
    im2row(x, N, Cin, L, K, stride, padding, Lout, rows);
    matmul(gyRows, rows, dw, Cout, NL, CK, 'tn', true);                // [NL,Cout]ᵀ·[NL,CK]
  }
  if (dx) {
    const dRows = new Float32Array(NL * CK);
    matmul(gyRows, w, dRows, NL, Cout, CK, 'nn', false);               // [NL,Cout]·[Cout,CK]
    row2im(dRows, N, Cin, L, K, stride, padding, Lout, dx);
  }
}
