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
  return lstmOverSteps(x, wIh, wHh, bIh, bHh, 'batch');
}

/**
 * The last hidden state h_T [B, H] of lstm(x) (a sequence encoder's summary), without laying out
 * every step's state batch-major: equal to lstm(x).slice(1, T − 1, T).reshape([B, H]), bit for bit.
 */
export function lstmLastState(x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null,
                              bHh: Tensor | null = null): Tensor {
  return lstmOverSteps(x, wIh, wHh, bIh, bHh, 'last').output;
}

/** The LSTM over x [B, T, I] (one input per step), its states handed back as `layout` says. */
function lstmOverSteps(x: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null, bHh: Tensor | null,
                       layout: StatesLayout): { output: Tensor; finalCell: Tensor } {
  const H = checkLstmShapes(x.shape, wIh, wHh, bIh, bHh);
  const [B, T, I] = x.shape;
  const backend = getCompleteBackend();
  const xT = swapLeadingAxes(x.data, B, T, I);                   // [T, B, I]: step t's inputs are rows t·B …
  const gates = inputGates(backend, xT, wIh, bIh, bHh, T * B);   // [T, B, 4H] = x·Wihᵀ + b_ih + b_hh
  return recurAndRecord(backend, x, wIh, wHh, bIh, bHh, gates, T, B, H, layout, (da) => {
    addInputWeightGradient(backend, da, xT, wIh, T * B);
    addBiasGradients(backend, da, T * B, bIh, bHh);
    if (x.requiresGrad) addInputGradient(backend, da, wIh, x.gradBuffer(), T, B);
  });
}

/**
 * The lstm of an input that is the same at every one of T steps: z [B, I] read as x [B, T, I]
 * with x[:, t] = z for all t (a sequence decoder fed its code), → hidden states [B, T, H]. Equal
 * to lstm(z repeated) (the forward bit for bit), without building the repeat: the input gates
 * z·Wihᵀ + b are computed once [B, 4H] and copied to every step, and the backward sums da over
 * the steps first, so dWih, db and dz each take one [B, 4H]-sized product instead of T.
 * With `timeMajor` the states come as [T, B, H] (the recurrence's own layout: no copy), for a
 * caller that works on every step's rows alike (a per-step Linear) and reorders its smaller result.
 */
export function lstmRepeatedInput(z: Tensor, T: number, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null,
                                  bHh: Tensor | null = null, options: { timeMajor?: boolean } = {}): Tensor {
  if (z.rank !== 2 || !Number.isInteger(T) || T < 1) {
    throw new Error(`lstmRepeatedInput: z ${formatShape(z.shape)} and ${T} steps do not fit (z [B,I], a positive whole number of steps)`);
  }
  const [B, I] = z.shape;
  const H = checkLstmShapes([B, 1, I], wIh, wHh, bIh, bHh);
  const backend = getCompleteBackend();
  const once = inputGates(backend, z.data, wIh, bIh, bHh, B);      // [B, 4H]
  const gates = new Float32Array(T * once.length);                 // [T, B, 4H]: the same block every step
  for (let t = 0; t < T; t++) gates.set(once, t * once.length);
  return recurAndRecord(backend, z, wIh, wHh, bIh, bHh, gates, T, B, H, options.timeMajor ? 'time' : 'batch', (da) => {
    const daSum = new Float32Array(once.length);                   // Σ_t da_t [B, 4H]
    backend.sumToShape(da, [T, once.length], daSum, [once.length]);
    addInputWeightGradient(backend, daSum, z.data, wIh, B);
    addBiasGradients(backend, daSum, B, bIh, bHh);
    if (z.requiresGrad) backend.matmul(daSum, wIh.data, z.gradBuffer(), B, 4 * H, I, 'nn', true); // [B,4H]·[4H,I]
  }).output;
}

/** How the op hands back the hidden states: [B, T, H] (PyTorch's batch_first), [T, B, H], or h_T [B, H] only. */
type StatesLayout = 'batch' | 'time' | 'last';

/**
 * The recurrence on input gates [T, B, 4H] (activated in place): `output` the states as `layout`
 * says, on the tape with parents `input`, the weights and biases, and `finalCell` c_T [B, H]. Its
 * backward brings their gradient to the recurrence's time-major [T, B, H], finds the gate
 * gradients da [T, B, 4H], adds dWhh, and hands da to `inputSide` for dWih, the biases and the input.
 */
function recurAndRecord(backend: CompleteBackend, input: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null,
                        bHh: Tensor | null, gates: Float32Array, T: number, B: number, H: number, layout: StatesLayout,
                        inputSide: (da: Float32Array) => void): { output: Tensor; finalCell: Tensor } {
  const steps = recur(backend, gates, wHh, T, B, H);             // gates now activated; hs, cs, tanhC [T, B, H]
  const BH = B * H;
  const [y, shape] = layout === 'batch' ? [swapLeadingAxes(steps.hs, T, B, H), [B, T, H]]   // [B, T, H]
    : layout === 'time' ? [steps.hs, [T, B, H]]
    : [steps.hs.slice((T - 1) * BH), [B, H]];                     // h_T
  const finalCell = new Tensor(steps.cs.slice((T - 1) * BH), [B, H]);
  const parents = [input, wIh, wHh, ...(bIh ? [bIh] : []), ...(bHh ? [bHh] : [])];
  const output = fromOp(y, shape, 'lstm', parents, (gy) => {
    let gyT: Float32Array;                           // the states' gradient, time-major [T, B, H]
    if (layout === 'batch') gyT = swapLeadingAxes(gy, B, T, H);
    else if (layout === 'time') gyT = gy;
    else { gyT = new Float32Array(T * BH); gyT.set(gy.subarray(0, BH), (T - 1) * BH); }
    const da = new Float32Array(T * B * 4 * H);    // pre-activation gate gradients [T, B, 4H]
    backend.lstmBackward(gyT, gates, steps.cs, steps.tanhC, wHh.data, da, T, B, H);
    addRecurrentWeightGradient(backend, da, steps.hs, wHh, T, B, H);
    inputSide(da);
  });
  return { output, finalCell };
}

/** H, after checking x [B,T,I] (its shape), wIh [4H,I], wHh [4H,H] and the biases [4H] fit together. */
function checkLstmShapes(xShape: readonly number[], wIh: Tensor, wHh: Tensor, bIh: Tensor | null, bHh: Tensor | null): number {
  const H = wHh.rank === 2 ? wHh.shape[1] : -1;
  const G = 4 * H;
  const fits = xShape.length === 3 && H > 0 && wHh.shape[0] === G && wIh.rank === 2 && wIh.shape[0] === G &&
    wIh.shape[1] === xShape[2] && [bIh, bHh].every((b) => !b || (b.rank === 1 && b.shape[0] === G));
  if (!fits) {
    throw new Error(`lstm: x ${formatShape(xShape)}, wIh ${formatShape(wIh.shape)}, wHh ${formatShape(wHh.shape)}` +
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

/** dWih += Σ_rows da_rᵀ x_r over `rows` rows of da [rows, 4H] and x [rows, I], one matmul. */
function addInputWeightGradient(backend: CompleteBackend, da: Float32Array, x: Float32Array, wIh: Tensor, rows: number): void {
  const [G, I] = wIh.shape;
  if (wIh.requiresGrad) backend.matmul(da, x, wIh.gradBuffer(), G, rows, I, 'tn', true);     // [rows,4H]ᵀ·[rows,I]
}

/** dWhh += Σ_{t≥1} da_tᵀ h_{t−1}, one matmul over all steps. */
function addRecurrentWeightGradient(backend: CompleteBackend, da: Float32Array, hs: Float32Array, wHh: Tensor,
                                    T: number, B: number, H: number): void {
  const G = 4 * H;
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
