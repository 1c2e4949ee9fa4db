// Conv1d → ReLU → MaxPool1d(2) as one op (the Conv1D encoder's stages): the default
// conv1dReluPoolForward / conv1dReluPoolBackward (complete.ts) and the TS twin of the wasm
// backend's (kernels/conv-pool.wat). Same values as the three ops one by one: the pool picks
// from the ReLU's output, and its gradient reaches the conv only where that pick was > 0.

import type { Backend, ConvGeometry } from '../contract.ts';

/**
 * Max-pooling by 2 over rows of length L: y[r, i] = max(x[r, 2i], x[r, 2i + 1]) for i < P, with
 * at[r, i] the flat index into x of the pick: the second when greater or NaN, the first otherwise
 * (ties included), as maxPool1d's general loop, computed as an index offset instead of a branch:
 * on mixed values after a ReLU the branch mispredicts (measured 1.4x on [32,16,144]).
 */
export function pairMax(xd: Float32Array, rows: number, L: number, P: number, y: Float32Array, at: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    for (let t = 0, i = r * L, o = r * P; t < P; t++, i += 2, o++) {
      const a = xd[i], b = xd[i + 1];
      const pick = i + +(b > a || b !== b);
      y[o] = xd[pick];
      at[o] = pick;
    }
  }
}

/** sel[o] = 1 where the pick at[o] is the pair's second value, 0 for the first. */
function pickedSecond(at: Int32Array, L: number, P: number, sel: Int32Array): void {
  for (let o = 0; o < at.length; o++) sel[o] = (at[o] - Math.floor(o / P) * L) & 1;
}

/**
 * g [rows, L] (overwritten) from the pooled gradient gy [rows, P]: g[r, 2i + sel] = y > 0 ? gy : 0
 * at each pair's pick, 0 at the other (and at an odd row's last sample). y the pooled output.
 */
export function unpool2(gy: Float32Array, y: Float32Array, sel: Int32Array, rows: number, L: number, P: number, g: Float32Array): void {
  g.fill(0, 0, rows * L);
  for (let r = 0; r < rows; r++) {
    for (let i = 0, o = r * P; i < P; i++, o++) if (y[o] > 0) g[r * L + 2 * i + sel[o]] = gy[o];
  }
}

export function conv1dReluPoolForward(backend: { conv1dForward: NonNullable<Backend['conv1dForward']> },
                                      x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
                                      sel: Int32Array, g: ConvGeometry): void {
  const rows = g.N * g.Cout, P = g.Lout >> 1;
  const full = new Float32Array(rows * g.Lout);
  backend.conv1dForward(x, w, bias, full, g, true);
  const at = new Int32Array(rows * P);
  pairMax(full, rows, g.Lout, P, y, at);
  pickedSecond(at, g.Lout, P, sel.subarray(0, rows * P));
}

export function conv1dReluPoolBackward(backend: { conv1dBackward: NonNullable<Backend['conv1dBackward']> },
                                       x: Float32Array, w: Float32Array, gy: Float32Array, y: Float32Array, sel: Int32Array,
                                       dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null, g: ConvGeometry): void {
  const rows = g.N * g.Cout, P = g.Lout >> 1;
  const full = new Float32Array(rows * g.Lout);
  unpool2(gy, y, sel, rows, g.Lout, P, full);
  backend.conv1dBackward(x, w, full, dx, dw, db, g, null);
}
