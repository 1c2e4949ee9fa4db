// The LSTM recurrence in one wasm call each way (kernels/lstm.wat lstm_forward / lstm_backward):
// the per-step matmul and the gate math (σ, tanh on f32x4 via a polynomial eˣ) never leave wasm.
// Inside, H is padded to Hp = ⌈H/8⌉·8 per gate block and B to B4 = ⌈B/4⌉·4 rows; padding is
// zero-filled so it stays finite and contributes nothing. TS twin: ../composed/lstm.ts.

import type { Arena } from './arena.ts';
import type { KernelExports } from './module.ts';

/** src [T·B rows, nb blocks of H] → dst at `at`, rows every B4 per step, blocks of stride Hp. */
function scatterIn(f32: Float32Array, at: number, src: Float32Array, T: number, B: number, B4: number,
                   nb: number, H: number, Hp: number): void {
  if (H === Hp && B === B4) { f32.set(src.subarray(0, T * B * nb * H), at); return; }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const s = (t * B + b) * nb * H, d = at + (t * B4 + b) * nb * Hp;
      for (let q = 0; q < nb; q++) f32.set(src.subarray(s + q * H, s + q * H + H), d + q * Hp);
    }
  }
}

function gatherOut(f32: Float32Array, at: number, dst: Float32Array, T: number, B: number, B4: number,
                   nb: number, H: number, Hp: number): void {
  if (H === Hp && B === B4) { dst.set(f32.subarray(at, at + T * B * nb * H)); return; }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const d = (t * B + b) * nb * H, s = at + (t * B4 + b) * nb * Hp;
      for (let q = 0; q < nb; q++) dst.set(f32.subarray(s + q * Hp, s + q * Hp + H), d + q * H);
    }
  }
}

export function wasmLstmForward(kx: KernelExports, arena: Arena, gates: Float32Array, wHh: Float32Array,
                                cs: Float32Array, tanhC: Float32Array, hs: Float32Array,
                                T: number, B: number, H: number): void {
  const Hp = (H + 7) & ~7, B4 = (B + 3) & ~3, Gp = 4 * Hp, rows = T * B4;
  arena.reset();
  const gAt = arena.take(rows * Gp), wAt = arena.take(H * Gp);
  const cAt = arena.take(rows * Hp), tAt = arena.take(rows * Hp), hAt = arena.take(rows * Hp);
  arena.commit();
  const f32 = arena.f32;
  // Padding must read as zero; unpadded, every float below is written before it is read.
  if (H !== Hp || B !== B4) f32.fill(0, 0, hAt + rows * Hp);
  scatterIn(f32, gAt, gates, T, B, B4, 4, H, Hp);
  // Whhᵀ [H, 4Hp]: column q·Hp + j holds row q·H + j of Whh [4H, H].
  for (let q = 0; q < 4; q++) {
    for (let j = 0; j < H; j++) {
      const src = (q * H + j) * H, col = wAt + q * Hp + j;
      for (let p = 0; p < H; p++) f32[col + p * Gp] = wHh[src + p];
    }
  }
  kx.lstm_forward(gAt * 4, wAt * 4, cAt * 4, tAt * 4, hAt * 4, T, B4, H, Hp);
  gatherOut(f32, gAt, gates, T, B, B4, 4, H, Hp);
  gatherOut(f32, cAt, cs, T, B, B4, 1, H, Hp);
  gatherOut(f32, tAt, tanhC, T, B, B4, 1, H, Hp);
  gatherOut(f32, hAt, hs, T, B, B4, 1, H, Hp);
}

export function wasmLstmBackward(kx: KernelExports, arena: Arena, gy: Float32Array, gates: Float32Array,
                                 cs: Float32Array, tanhC: Float32Array, wHh: Float32Array, da: Float32Array,
                                 T: number, B: number, H: number): void {
  const Hp = (H + 7) & ~7, B4 = (B + 3) & ~3, Gp = 4 * Hp, rows = T * B4;
  arena.reset();
  const yAt = arena.take(rows * Hp), gAt = arena.take(rows * Gp), cAt = arena.take(rows * Hp);
  const tAt = arena.take(rows * Hp), wAt = arena.take(Gp * Hp), aAt = arena.take(rows * Gp);
  const dhAt = arena.take(B4 * Hp), dcAt = arena.take(B4 * Hp);
  arena.commit();
  const f32 = arena.f32;
  // Padding must read as zero, and so must the carried dh, dc; the rest is written before it is read.
  if (H !== Hp || B !== B4) f32.fill(0, 0, dcAt + B4 * Hp);
  else f32.fill(0, dhAt, dcAt + B4 * Hp);
  scatterIn(f32, yAt, gy, T, B, B4, 1, H, Hp);             // gy [T, B, H] → [T, B4, Hp]
  scatterIn(f32, gAt, gates, T, B, B4, 4, H, Hp);
  scatterIn(f32, cAt, cs, T, B, B4, 1, H, Hp);
  scatterIn(f32, tAt, tanhC, T, B, B4, 1, H, Hp);
  // Whh [4Hp, Hp]: row q·Hp + j is row q·H + j of Whh [4H, H].
  for (let q = 0; q < 4; q++) {
    for (let j = 0; j < H; j++) f32.set(wHh.subarray((q * H + j) * H, (q * H + j + 1) * H), wAt + (q * Hp + j) * Hp);
  }
  kx.lstm_backward(yAt * 4, gAt * 4, cAt * 4, tAt * 4, wAt * 4, aAt * 4, dhAt * 4, dcAt * 4, T, B4, Hp);
  gatherOut(f32, aAt, da, T, B, B4, 4, H, Hp);
}
