// A single-layer LSTM as ONE fused op with a hand-written backpropagation through time.
//
// Building the recurrence from small ops would put ~10 nodes per time step in the graph
// (hundreds of closures and buffers for a 140-sample beat). Here the forward keeps only what
// the backward needs (activated gates, cell states, tanh of cell states, hidden states), all
// time-major [T, B, ·] so each step's rows are one contiguous block for the matmul kernel.
//
// PyTorch's torch.nn.LSTM (batch_first, one layer, zero initial h and c), gates ordered i, f, g, o:
//   a_t = x_t · Wihᵀ + b_ih + h_{t−1} · Whhᵀ + b_hh             a_t [B, 4H]
//   i = σ(a[0:H]), f = σ(a[H:2H]), g = tanh(a[2H:3H]), o = σ(a[3H:4H])
//   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
// Backward, walking t = T−1 … 0 with dh_t = dy_t + da_{t+1} · Whh and dc carried from t+1:
//   dc_t = dc_t(carried) + dh_t ⊙ o ⊙ (1 − tanh²c_t)
//   da_i = dc_t ⊙ g ⊙ i(1−i)      da_f = dc_t ⊙ c_{t−1} ⊙ f(1−f)
//   da_g = dc_t ⊙ i ⊙ (1−g²)      da_o = dh_t ⊙ tanh(c_t) ⊙ o(1−o)
//   dc carried to t−1 = dc_t ⊙ f
// and after the loop, each one matmul over all steps:
//   dWih = Σ_t da_tᵀ x_t ('tn'),  dWhh = Σ_{t≥1} da_tᵀ h_{t−1} ('tn'),  db_ih = db_hh = Σ da,
//   dx_t = da_t · Wih ('nn').

import { getCompleteBackend } from '../../backends/backend.ts';
import { formatShape } from '../shape.ts';
import { fromOp, Tensor } from '../tensor.ts';

export interface LstmResult {
  /** Hidden states of every step, [B, T, H] (differentiable). */
  output: Tensor;
  /** Cell state after the last step, [B, H]. A constant: no gradient flows back through it. */
  finalCell: Tensor;
}

/**
 * x [B, T, I], wIh [4H, I], wHh [4H, H], bIh [4H] | null, bHh [4H] | null → hidden states [B, T, H].
 * The last step's hidden state is output[:, T−1, :] (e.g. `output.slice(1, T − 1, T)`).
 */
export function lstm(x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null,
                     bHh: Tensor | null = null): Tensor {
  return lstmWithCell(x, wIh, wHh, bIh, bHh).output;
}

/** lstm, also handing back the final cell state (free: it is computed anyway). */
export function lstmWithCell(x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null,
                             bHh: Tensor | null = null): LstmResult {
  const H = wHh.rank === 2 ? wHh.shape[1] : -1;
  const G = 4 * H;
  const fits = x.rank === 3 && H > 0 && wHh.shape[0] === G && wIh.rank === 2 && wIh.shape[0] === G &&
    wIh.shape[1] === x.shape[2] && [bIh, bHh].every((b) => !b || (b.rank === 1 && b.shape[0] === G));
  if (!fits) {
    throw new Error(`lstm: x ${formatShape(x.shape)}, wIh ${formatShape(wIh.shape)}, wHh ${formatShape(wHh.shape)}` +
      `${bIh ? `, bIh ${formatShape(bIh.shape)}` : ''}${bHh ? `, bHh ${formatShape(bHh.shape)}` : ''} do not fit ` +
      '(x [B,T,I], wIh [4H,I], wHh [4H,H], biases [4H])');
  }
  const [B, T, I] = x.shape;
  const TB = T * B, BH = B * H, BG = B * G;
  const backend = getCompleteBackend();

  // x → time-major xT [T, B, I], so step t's inputs are rows t·B … t·B + B − 1.
  const xT = new Float32Array(TB * I);
  const xd = x.data;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * I, dst = (t * B + b) * I;
      for (let i = 0; i < I; i++) xT[dst + i] = xd[src + i];
    }
  }

  // gates [T, B, 4H]: first x·Wihᵀ + b_ih + b_hh for all steps in one matmul; then, per step,
  // + h_{t−1}·Whhᵀ and the activations in place (so it ends up holding i, f, g, o).
  const gates = new Float32Array(TB * G);
  let bias: Float32Array | null = null;
  if (bIh || bHh) {
    bias = new Float32Array(G);
    for (let j = 0; j < G; j++) bias[j] = (bIh ? bIh.data[j] : 0) + (bHh ? bHh.data[j] : 0);
  }
  backend.linearForward(xT, wIh.data, bias, gates, TB, I, G, false);    // [TB,I]·[4H,I]ᵀ + bias
  const hs = new Float32Array(TB * H);      // h_t   [T, B, H]
  const cs = new Float32Array(TB * H);      // c_t   [T, B, H]
  const tanhC = new Float32Array(TB * H);   // tanh(c_t)
  backend.lstmForward(gates, wHh.data, cs, tanhC, hs, T, B, H);

  // Output [B, T, H] from the time-major hidden states.
  const y = new Float32Array(B * T * H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const src = (t * B + b) * H, dst = (b * T + t) * H;
      for (let j = 0; j < H; j++) y[dst + j] = hs[src + j];
    }
  }
  const finalCell = new Tensor(cs.slice((T - 1) * BH, T * BH), [B, H]);

  const parents = [x, wIh, wHh, ...(bIh ? [bIh] : []), ...(bHh ? [bHh] : [])];
  const output = fromOp(y, [B, T, H], 'lstm', parents, (gy) => {
    const da = new Float32Array(TB * G);    // pre-activation gate gradients [T, B, 4H]
    backend.lstmBackward(gy, gates, cs, tanhC, wHh.data, da, T, B, H);
    if (wIh.requiresGrad) backend.matmul(da, xT, wIh.gradBuffer(), G, TB, I, 'tn', true);    // [TB,4H]ᵀ·[TB,I]
    if (wHh.requiresGrad && T > 1) {
      backend.matmul(da.subarray(BG), hs.subarray(0, (T - 1) * BH), wHh.gradBuffer(),
                     G, (T - 1) * B, H, 'tn', true);                                        // [(T−1)B,4H]ᵀ·[(T−1)B,H]
    }
    if (bIh?.requiresGrad || bHh?.requiresGrad) {
      const db = new Float32Array(G);
      for (let r = 0, o = 0; r < TB; r++) for (let j = 0; j < G; j++, o++) db[j] += da[o];
      for (const bt of [bIh, bHh]) {
        if (!bt?.requiresGrad) continue;
        const g = bt.gradBuffer();
        for (let j = 0; j < G; j++) g[j] += db[j];
      }
    }
    if (x.requiresGrad) {
      const dxT = new Float32Array(TB * I);
      backend.matmul(da, wIh.data, dxT, TB, G, I, 'nn', false);                               // [TB,4H]·[4H,I]
      const dx = x.gradBuffer();
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
          const src = (t * B + b) * I, dst = (b * T + t) * I;
          for (let i = 0; i < I; i++) dx[dst + i] += dxT[src + i];
        }
      }
    }
  });
  return { output, finalCell };
}
