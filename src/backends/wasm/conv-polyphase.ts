// Upsample-then-conv (nearest, integer factor u, stride 1) as one smaller conv on the original
// input, by output phase: y[u·i + s] = Σ_k w[k]·x↑[u·i + s + k − p] and x↑[j] = x[⌊j/u⌋], so
//   y[u·i + s] = Σ_k w[k]·x[i + d(s, k)],   d(s, k) = ⌊(s + k − p)/u⌋  ∈ [dmin, dmax]
// (zeros outside x give zeros outside x↑, the lengths being L = u·Ls). Output phase s of channel co
// becomes channel s·Cout + co of a conv over x [N, Cin, Ls] with K' = dmax − dmin + 1 taps,
// padding P' = −dmin and merged weights W'[(s, co), ci, e] = Σ_{k: d(s,k) = dmin + e} w[co, ci, k].
// For K 7, p 3, u 2: K' 5 on half the positions with twice the channels, 5/7 of the products of
// convolving the upsampled input (all three: forward, dx, dW), and nothing upsampled is written.
// The same direct kernels run it (conv-direct.ts); dW folds back by the same sum, dx needs no fold.
// TS twin: conv1dNaive on upsampleNearest1d(x) (src/backends/cpu/conv.ts, engine/ops/pool.ts).

import type { ConvGeometry } from '../backend.ts';
import type { Arena } from './arena.ts';
import { addChannelSums, copyInPadded, packWeights, paddedRow, up2, up4, up8 } from './conv-direct.ts';
import { copyInRows, copyOutRows } from './matmul.ts';
import type { ConvKernelExports } from './module.ts';

interface Phases { u: number; Ls: number; dmin: number; K2: number; P2: number; C2: number; I: number }

function phases(g: ConvGeometry): Phases {
  const u = g.up ?? 1, dmin = Math.floor(-g.padding / u), dmax = Math.floor((u - 1 + g.K - 1 - g.padding) / u);
  return { u, Ls: g.L / u, dmin, K2: dmax - dmin + 1, P2: -dmin, C2: u * g.Cout, I: Math.ceil(g.Lout / u) };
}

/** Whether the phase split applies (an upsampled input whose rows fit the padded layout). */
export function polyphaseFits(g: ConvGeometry): boolean {
  if ((g.up ?? 1) <= 1) return false;
  const ph = phases(g);
  return ph.C2 <= 128 && ph.P2 + ph.Ls <= paddedRow(ph.I, ph.K2);
}

let merged = new Float32Array(0);

/** W' [u·Cout, Cin, K'] from w [Cout, Cin, K] (a reused scratch array). */
function mergeWeights(w: Float32Array, g: ConvGeometry, ph: Phases): Float32Array {
  const { Cout, Cin, K, padding: p } = g, { u, dmin, K2, C2 } = ph;
  if (merged.length < C2 * Cin * K2) merged = new Float32Array(C2 * Cin * K2);
  const m = merged.subarray(0, C2 * Cin * K2).fill(0);
  for (let s = 0; s < u; s++) {
    for (let co = 0; co < Cout; co++) {
      for (let ci = 0; ci < Cin; ci++) {
        const src = (co * Cin + ci) * K, dst = ((s * Cout + co) * Cin + ci) * K2 - dmin;
        for (let k = 0; k < K; k++) m[dst + Math.floor((s + k - p) / u)] += w[src + k];
      }
    }
  }
  return m;
}

/** Rows [N][rows][LG] at `at`: channel s·Cout + co, position q + i holds v[n, co, u·i + s] (zeros elsewhere). */
function copyInPhases(f32: Float32Array, at: number, v: Float32Array, g: ConvGeometry, ph: Phases, rows: number, LG: number, q: number): void {
  const { N, Cout, Lout } = g, { u } = ph;
  f32.fill(0, at, at + N * rows * LG);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      const src = (n * Cout + co) * Lout;
      for (let s = 0; s < u; s++) {
        let o = at + (n * rows + s * Cout + co) * LG + q;
        for (let t = s; t < Lout; t += u) f32[o++] = v[src + t];
      }
    }
  }
}

/**
 * copyInPhases for u = 2 on the unzip2 kernel: v staged at `stAt` as rows of LS = 2·⌈I/4⌉·4 floats
 * (zeros past Lout), then each sample's rows split into its two phases' rows.
 */
function copyInPhases2(kc: ConvKernelExports, f32: Float32Array, at: number, stAt: number, v: Float32Array, g: ConvGeometry,
                       ph: Phases, rows: number, LG: number, q: number): void {
  const { N, Cout, Lout } = g, I4 = up4(ph.I), LS = 2 * I4;
  f32.fill(0, at, at + N * rows * LG);
  if (LS === Lout) f32.set(v.subarray(0, N * Cout * Lout), stAt);
  else {
    f32.fill(0, stAt, stAt + N * Cout * LS);
    for (let r = 0; r < N * Cout; r++) f32.set(v.subarray(r * Lout, (r + 1) * Lout), stAt + r * LS);
  }
  for (let n = 0; n < N; n++) {
    const a = at + n * rows * LG + q;
    kc.unzip2((stAt + n * Cout * LS) * 4, LS * 4, Cout, I4, a * 4, (a + Cout * LG) * 4, LG * 4);
  }
}

/** y [N, Cout, Lout] from the phase rows [N][C4][T8] at yAt: y[n, co, u·i + s] = row (s·Cout + co)[i]. */
function phasesToRows(f32: Float32Array, yAt: number, y: Float32Array, g: ConvGeometry, ph: Phases, C4: number, T8: number): void {
  const { N, Cout, Lout } = g, { u } = ph;
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      const o = (n * Cout + co) * Lout;
      for (let s = 0; s < u; s++) {
        let r = yAt + (n * C4 + s * Cout + co) * T8;
        for (let t = s; t < Lout; t += u) y[o + t] = f32[r++];
      }
    }
  }
}

export function polyphaseConv1dForward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                       bias: Float32Array | null, y: Float32Array, g: ConvGeometry, relu: boolean): void {
  const { N, Cin, Cout, Lout } = g, ph = phases(g), { u, Ls, K2, P2, C2, I } = ph;
  const C4 = up4(C2), T8 = up8(I), LX = paddedRow(I, K2);
  const w2 = mergeWeights(w, g, ph);
  arena.reset();
  const xAt = arena.take(N * Cin * LX + 8), wAt = arena.take(C4 * Cin * K2), bAt = arena.take(C4);
  const yAt = arena.take(N * C4 * T8);
  const LO = 2 * up4(I), oAt = u === 2 ? arena.take(N * Cout * LO) : 0;   // the zipped rows (u = 2)
  arena.commit();
  const f32 = arena.f32;
  copyInPadded(kc, f32, xAt, x, N, Cin, Ls, LX, P2, Cin);
  packWeights(f32, wAt, w2, C2, Cin, K2, false);
  f32.fill(0, bAt, bAt + C4);
  if (bias) for (let s = 0; s < u; s++) f32.set(bias.subarray(0, Cout), bAt + s * Cout);
  kc.conv_direct(xAt * 4, Cin * LX * 4, LX * 4, Cin, wAt * 4, bAt * 4, yAt * 4, C4 * T8 * 4, T8 * 4, C4, K2, T8, N, relu ? 1 : 0);
  if (u !== 2) { phasesToRows(f32, yAt, y, g, ph, C4, T8); return; }
  for (let n = 0; n < N; n++) {                                       // rows read up to ⌈I/4⌉·4 ≤ T8
    const a = yAt + n * C4 * T8;
    kc.zip2(a * 4, (a + Cout * T8) * 4, T8 * 4, Cout, up4(I), (oAt + n * Cout * LO) * 4, LO * 4);
  }
  copyOutRows(arena, oAt, y, N * Cout, Lout, LO);
}

export function polyphaseConv1dBackward(kc: ConvKernelExports, arena: Arena, x: Float32Array, w: Float32Array,
                                        gy: Float32Array, dx: Float32Array | null, dw: Float32Array | null,
                                        db: Float32Array | null, g: ConvGeometry, reluOut: Float32Array | null): void {
  const { N, Cin, Cout, K, padding: p } = g, ph = phases(g), { u, Ls, dmin, K2, P2, C2, I } = ph;
  const Cin4 = up4(Cin), C4 = up4(C2), KE = up2(K2), T4 = up4(I), L8 = up8(Ls), q = K2 - 1 - P2;
  const LG = up4(Math.max(q + T4, L8 + K2)), LX = paddedRow(I, K2);
  const w2 = dx ? mergeWeights(w, g, ph) : null;
  arena.reset();
  const gAt = arena.take(N * C4 * LG + 8);
  const xAt = dw ? arena.take(N * Cin * LX + 8) : 0, dwAt = dw ? arena.take(C4 * Cin * KE) : 0;
  const wAt = dx ? arena.take(Cin4 * C2 * K2) : 0, zAt = dx ? arena.take(Cin4) : 0;
  const dxAt = dx ? arena.take(N * Cin4 * L8) : 0;
  const yAt = reluOut ? arena.take(N * C4 * LG + 8) : 0, sumsAt = db ? arena.take(C4 * LG) : 0;
  const stAt = u === 2 ? arena.take(N * Cout * 2 * up4(I)) : 0;      // dy (then y) staged for unzip2
  arena.commit();
  const f32 = arena.f32;
  const phasesIn = (at: number, v: Float32Array) => u === 2
    ? copyInPhases2(kc, f32, at, stAt, v, g, ph, C4, LG, q) : copyInPhases(f32, at, v, g, ph, C4, LG, q);
  phasesIn(gAt, gy);
  if (reluOut) {                                                      // dy through the fused ReLU
    phasesIn(yAt, reluOut);
    kc.relu_mask(gAt * 4, yAt * 4, up4(N * C4 * LG));
  }
  if (db) addChannelSums(kc, f32, gAt, sumsAt, N, C2, C4, LG, q, I, db.subarray(0, Cout));   // db[co] += Σ over both phases
  if (dw) {
    copyInPadded(kc, f32, xAt, x, N, Cin, Ls, LX, P2, Cin);
    kc.conv_wgrad(xAt * 4, Cin * LX * 4, LX * 4, Cin, (gAt + q) * 4, C4 * LG * 4, LG * 4, C4, KE, T4, N, dwAt * 4);
    for (let co = 0; co < Cout; co++) {                               // dw[k] = Σ_s dW'[(s, co), d(s, k) − dmin]
      for (let ci = 0; ci < Cin; ci++) {
        const o = (co * Cin + ci) * K;
        for (let s = 0; s < u; s++) {
          const from = dwAt + ((s * Cout + co) * Cin + ci) * KE - dmin;
          for (let k = 0; k < K; k++) dw[o + k] += f32[from + Math.floor((s + k - p) / u)];
        }
      }
    }
  }
  if (dx && w2) {
    packWeights(f32, wAt, w2, C2, Cin, K2, true);
    f32.fill(0, zAt, zAt + Cin4);
    if (Cin4 === Cin) {                                               // dx's rows in, the kernel adds into them
      copyInRows(arena, dxAt, dx, N * Cin, Ls, L8);
      kc.conv_direct(gAt * 4, C4 * LG * 4, LG * 4, C2, wAt * 4, zAt * 4, dxAt * 4, Cin4 * L8 * 4, L8 * 4, Cin4, K2, L8, N, 2);
      copyOutRows(arena, dxAt, dx, N * Cin, Ls, L8);
      return;
    }
    kc.conv_direct(gAt * 4, C4 * LG * 4, LG * 4, C2, wAt * 4, zAt * 4, dxAt * 4, Cin4 * L8 * 4, L8 * 4, Cin4, K2, L8, N, 0);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < Cin; c++) {
        const o = (n * Cin + c) * Ls, from = dxAt + (n * Cin4 + c) * L8;
        for (let j = 0; j < Ls; j++) dx[o + j] += f32[from + j];
      }
    }
  }
}
