// The linear layer from a backend's required kernels: the default linearForward and linearBackward
// (complete.ts) and the TS twin of the wasm backend's fused ones (src/backends/wasm/linear.ts).
// The math is in src/engine/ops/nn.ts, linear.

import type { Backend } from '../contract.ts';

type Kernels = Pick<Backend, 'matmul' | 'binary' | 'unary' | 'sumToShape'>;

/** y [rows,outF] = x [rows,inF] · w [outF,inF]ᵀ + bias, then ReLU when relu. */
export function linearForward(kernels: Kernels, x: Float32Array, w: Float32Array, bias: Float32Array | null,
                              y: Float32Array, rows: number, inF: number, outF: number, relu: boolean): void {
  kernels.matmul(x, w, y, rows, inF, outF, 'nt', false);                    // [rows,inF]·[outF,inF]ᵀ
  if (bias) kernels.binary('add', y, [rows, outF], bias, [outF], y, [rows, outF]);
  if (relu) kernels.unary('relu', y, y, 0);
}

/**
 * g = gy, masked where the layer's ReLU output is not positive (reluOut given); then
 * dx += g · w ('nn'), dw += gᵀ · x ('tn'), db += Σ_rows g (each one only when given).
 */
export function linearBackward(kernels: Kernels, x: Float32Array, w: Float32Array, reluOut: Float32Array | null,
                               gy: Float32Array, dx: Float32Array | null, dw: Float32Array | null,
                               db: Float32Array | null, rows: number, inF: number, outF: number): void {
  let g = gy;
  if (reluOut) {
    // y > 0 exactly where z > 0, so the output itself is the ReLU mask (a select, as torch's
    // threshold_backward: a NaN or ∞ gradient behind the mask does not leak through as NaN).
    g = new Float32Array(rows * outF);
    for (let i = 0; i < g.length; i++) g[i] = reluOut[i] > 0 ? gy[i] : 0;
  }
  if (dx) kernels.matmul(g, w, dx, rows, outF, inF, 'nn', true);            // [rows,outF]·[outF,inF]
  if (dw) kernels.matmul(g, x, dw, outF, rows, inF, 'tn', true);            // [rows,outF]ᵀ·[rows,inF]
  if (db) kernels.sumToShape(g, [rows, outF], db, [outF]);
}
