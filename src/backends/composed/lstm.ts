// The LSTM recurrence, step by step: the default lstmForward and lstmBackward (complete.ts) and the
// TS twin of the wasm backend's lstm_forward/backward (the math and the time-major layouts are
// documented in src/engine/ops/lstm.ts).

import { sigmoid } from '../../kernel-math/scalar.ts';
import type { Backend } from '../contract.ts';

/**
 * gates [T,B,4H] holds x·Wihᵀ + biases on entry and the activated i, f, g, o on return;
 * per step adds h_{t−1}·Whhᵀ (wHh [4H,H]) with `matmul`, then writes c_t, tanh(c_t), h_t into
 * cs, tanhC, hs [T,B,H].
 */
export function lstmForward(matmul: Backend['matmul'], gates: Float32Array, wHh: Float32Array,
                            cs: Float32Array, tanhC: Float32Array, hs: Float32Array,
                            T: number, B: number, H: number): void {
  const G = 4 * H, BH = B * H, BG = B * G;
  for (let t = 0; t < T; t++) {
    if (t > 0) {
      matmul(hs.subarray((t - 1) * BH, t * BH), wHh, gates.subarray(t * BG, (t + 1) * BG),
             B, H, G, 'nt', true);                                      // += [B,H]·[4H,H]ᵀ
    }
    for (let b = 0; b < B; b++) {
      const a = t * BG + b * G, s = t * BH + b * H, prev = s - BH;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(gates[a + j]);
        const fg = sigmoid(gates[a + H + j]);
        const gg = Math.tanh(gates[a + 2 * H + j]);
        const og = sigmoid(gates[a + 3 * H + j]);
        gates[a + j] = ig; gates[a + H + j] = fg; gates[a + 2 * H + j] = gg; gates[a + 3 * H + j] = og;
        const c = t > 0 ? fg * cs[prev + j] + ig * gg : ig * gg;
        const tc = Math.tanh(c);
        cs[s + j] = c; tanhC[s + j] = tc; hs[s + j] = og * tc;
      }
    }
  }
}

/**
 * Backpropagation through time: gy [T,B,H] (the states' gradient, time-major as hs) → da [T,B,4H]
 * (overwritten), the gradient of every step's pre-activation gates.
 */
export function lstmBackward(matmul: Backend['matmul'], gy: Float32Array, gates: Float32Array,
                             cs: Float32Array, tanhC: Float32Array, wHh: Float32Array, da: Float32Array,
                             T: number, B: number, H: number): void {
  const G = 4 * H, BH = B * H, BG = B * G;
  const dh = new Float32Array(BH);        // da_{t+1} · Whh: the gradient reaching h_t from step t+1
  const dc = new Float32Array(BH);        // the gradient reaching c_t from step t+1
  for (let t = T - 1; t >= 0; t--) {
    if (t < T - 1) {
      matmul(da.subarray((t + 1) * BG, (t + 2) * BG), wHh, dh, B, G, H, 'nn', false); // [B,4H]·[4H,H]
    }
    for (let b = 0; b < B; b++) {
      const a = t * BG + b * G, s = t * BH + b * H, prev = s - BH, bo = b * H;
      for (let j = 0; j < H; j++) {
        const ig = gates[a + j], fg = gates[a + H + j], gg = gates[a + 2 * H + j], og = gates[a + 3 * H + j];
        const tc = tanhC[s + j];
        const dhv = gy[s + j] + dh[bo + j];
        const dcv = dc[bo + j] + dhv * og * (1 - tc * tc);
        const cPrev = t > 0 ? cs[prev + j] : 0;
        da[a + j] = dcv * gg * ig * (1 - ig);
        da[a + H + j] = dcv * cPrev * fg * (1 - fg);
        da[a + 2 * H + j] = dcv * ig * (1 - gg * gg);
        da[a + 3 * H + j] = dhv * tc * og * (1 - og);
        dc[bo + j] = dcv * fg;
      }
    }
  }
}
