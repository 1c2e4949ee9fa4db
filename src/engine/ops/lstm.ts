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

import { getCompleteBackend, type CompleteBackend } from '../../backends/backend.ts';
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
  const H = checkLstmShapes(x, wIh, wHh, bIh, bHh);
  const [B, T, I] = x.shape;
  const backend = getCompleteBackend();

  const xT = swapLeadingAxes(x.data, B, T, I);                   // [T, B, I]: step t's inputs are rows t·B …
  const gates = inputGates(backend, xT, wIh, bIh, bHh, T * B);   // [T, B, 4H] = x·Wihᵀ + b_ih + b_hh
  const steps = recur(backend, gates, wHh, T, B, H);             // gates now activated; hs, cs, tanhC [T, B, H]
  const y = swapLeadingAxes(steps.hs, T, B, H);                  // [B, T, H]
  const finalCell = new Tensor(steps.cs.slice((T - 1) * B * H), [B, H]);

  const parents = [x, wIh, wHh, ...(bIh ? [bIh] : []), ...(bHh ? [bHh] : [])];
  const output = fromOp(y, [B, T, H], 'lstm', parents, (gy) => {
    const da = new Float32Array(T * B * 4 * H);    // pre-activation gate gradients [T, B, 4H]
    backend.lstmBackward(gy, gates, steps.cs, steps.tanhC, wHh.data, da, T, B, H);
    addWeightGradients(backend, da, xT, steps.hs, wIh, wHh, T, B, H);
    addBiasGradients(backend, da, T * B, bIh, bHh);
    if (x.requiresGrad) addInputGradient(backend, da, wIh, x.gradBuffer(), T, B);
  });
  return { output, finalCell };
}

/** H, after checking x [B,T,I], wIh [4H,I], wHh [4H,H] and the biases [4H] fit together. */
function checkLstmShapes(x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null, bHh: Tensor | null): number {
  const H = wHh.rank === 2 ? wHh.shape[1] : -1;
  const G = 4 * H;
  const fits = x.rank === 3 && H > 0 && wHh.shape[0] === G && wIh.rank === 2 && wIh.shape[0] === G &&
    wIh.shape[1] === x.shape[2] && [bIh, bHh].every((b) => !b || (b.rank === 1 && b.shape[0] === G));
  if (!fits) {
    throw new Error(`lstm: x ${formatShape(x.shape)}, wIh ${formatShape(wIh.shape)}, wHh ${formatShape(wHh.shape)}` +
      `${bIh ? `, bIh ${formatShape(bIh.shape)}` : ''}${bHh ? `, bHh ${formatShape(bHh.shape)}` : ''} do not fit ` +
      '(x [B,T,I], wIh [4H,I], wHh [4H,H], biases [4H])');
  }
  return H;
}

/**
 * src [P, Q, W] → [Q, P, W]: batch-major to time-major and back (the same copy both ways).
 * With `into`, adds into it instead of returning a new array.
 */
function swapLeadingAxes(src: Float32Array, P: number, Q: number, W: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(P * Q * W);
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < Q; q++) {
      const from = (p * Q + q) * W, to = (q * P + p) * W;
      if (into) for (let i = 0; i < W; i++) out[to + i] += src[from + i];
      else for (let i = 0; i < W; i++) out[to + i] = src[from + i];
    }
  }
  return out;
}

/** gates [TB, 4H] = xT [TB, I] · Wihᵀ + (b_ih + b_hh), for all steps in one call. */
function inputGates(backend: CompleteBackend, xT: Float32Array, wIh: Tensor, bIh: Tensor | null,
                    bHh: Tensor | null, TB: number): Float32Array {
  const [G, I] = wIh.shape;
  let bias: Float32Array | null = null;
  if (bIh || bHh) {
    bias = new Float32Array(G);
    for (let j = 0; j < G; j++) bias[j] = (bIh ? bIh.data[j] : 0) + (bHh ? bHh.data[j] : 0);
  }
  const gates = new Float32Array(TB * G);
  backend.linearForward(xT, wIh.data, bias, gates, TB, I, G, false);    // [TB,I]·[4H,I]ᵀ + bias
  return gates;
}

/**
 * The recurrence: per step, gates += h_{t−1}·Whhᵀ and the activations in place (so `gates` ends
 * up holding i, f, g, o), then c_t, tanh(c_t), h_t. Keeps what the backward needs.
 */
function recur(backend: CompleteBackend, gates: Float32Array, wHh: Tensor, T: number, B: number, H: number) {
  const hs = new Float32Array(T * B * H);      // h_t   [T, B, H]
  const cs = new Float32Array(T * B * H);      // c_t   [T, B, H]
  const tanhC = new Float32Array(T * B * H);   // tanh(c_t)
  backend.lstmForward(gates, wHh.data, cs, tanhC, hs, T, B, H);
  return { hs, cs, tanhC };
}

/** dWih += Σ_t da_tᵀ x_t and dWhh += Σ_{t≥1} da_tᵀ h_{t−1}, each one matmul over all steps. */
function addWeightGradients(backend: CompleteBackend, da: Float32Array, xT: Float32Array, hs: Float32Array,
                            wIh: Tensor, wHh: Tensor, T: number, B: number, H: number): void {
  const G = 4 * H, I = wIh.shape[1], TB = T * B;
  if (wIh.requiresGrad) backend.matmul(da, xT, wIh.gradBuffer(), G, TB, I, 'tn', true);    // [TB,4H]ᵀ·[TB,I]
  if (wHh.requiresGrad && T > 1) {
    backend.matmul(da.subarray(B * G), hs.subarray(0, (T - 1) * B * H), wHh.gradBuffer(),
                   G, (T - 1) * B, H, 'tn', true);                                        // [(T−1)B,4H]ᵀ·[(T−1)B,H]
  }
}

/** db_ih = db_hh = Σ_rows da (both biases enter every gate the same way). */
function addBiasGradients(backend: CompleteBackend, da: Float32Array, TB: number, bIh: Tensor | null,
                          bHh: Tensor | null): void {
  if (!bIh?.requiresGrad && !bHh?.requiresGrad) return;
  const G = da.length / TB;
  const db = new Float32Array(G);
  backend.sumToShape(da, [TB, G], db, [G]);                     // the rows of da [TB, 4H], in order
  for (const bias of [bIh, bHh]) {
    if (!bias?.requiresGrad) continue;
    const g = bias.gradBuffer();
    for (let j = 0; j < G; j++) g[j] += db[j];
  }
}

/** dx [B,T,I] += (da · Wih) [T,B,I] read back batch-major. */
function addInputGradient(backend: CompleteBackend, da: Float32Array, wIh: Tensor, dx: Float32Array,
                          T: number, B: number): void {
  const [G, I] = wIh.shape;
  const dxT = new Float32Array(T * B * I);
  backend.matmul(da, wIh.data, dxT, T * B, G, I, 'nn', false);                           // [TB,4H]·[4H,I]
  swapLeadingAxes(dxT, T, B, I, dx);
}
