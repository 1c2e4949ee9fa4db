// 1-D convolution and transposed convolution, PyTorch layouts, via im2col + matmul.
//
// im2col unrolls the receptive fields of one sample into a matrix so that convolution becomes
// a single matrix product on the backend's blocked matmul:
//   cols [C·K, Lshort],  cols[c·K + k, t] = src[c, t·s − p + k]   (0 outside [0, Llong))
// col2im is its adjoint: it adds every entry of cols back to where it came from. conv1d uses the
// batch-wide transposed form (im2row forward, row2im for the input gradient: one matmul per
// direction for the whole batch); convTranspose1d (conv1d's adjoint) uses im2col/col2im per
// sample. Weight gradients use the 'nt' / 'tn' matmul layouts, so no large transpose is
// ever materialised. The naive direct loops live in src/backends/cpu/conv.ts and the tests
// compare the two.

import { getCompleteBackend } from '../../backends/backend.ts';
import { formatShape } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
}

/**
 * conv1d's own options: a ReLU fused onto the output, and nearest upsampling by an integer
 * factor fused in front (what Sequential's Upsample1d → Conv1d → ReLU runs as).
 */
export interface Conv1dReluOptions extends Conv1dOptions {
  relu?: boolean;
  upsample?: number;
}

export interface ConvTranspose1dOptions extends Conv1dOptions {
  /** Extra length added to one side of the output (must be < stride), as in PyTorch. */
  outputPadding?: number;
}

/**
 * src [C, Llong] → cols [C·K, Lshort] (overwritten), cols[c·K+k, t] = src[c, t·s − p + k].
 * For each row (c, k) the valid t form one range, so the inner loop has no bounds checks.
 */
export function im2col(src: Float32Array, C: number, Llong: number, K: number, stride: number,
                       padding: number, Lshort: number, cols: Float32Array): void {
  for (let c = 0; c < C; c++) {
    const srcRow = c * Llong;
    for (let k = 0; k < K; k++) {
      const row = (c * K + k) * Lshort;
      const t0 = firstValid(k, stride, padding, Lshort), t1 = endValid(k, stride, padding, Llong, Lshort);
      for (let t = 0; t < t0; t++) cols[row + t] = 0;
      for (let t = t0, pos = srcRow + t0 * stride - padding + k; t < t1; t++, pos += stride) {
        cols[row + t] = src[pos];
      }
      for (let t = Math.max(t1, t0); t < Lshort; t++) cols[row + t] = 0;
    }
  }
}

/** Adjoint of im2col: dst[c, t·s − p + k] += cols[c·K+k, t]. dst [C, Llong], cols [C·K, Lshort]. */
export function col2im(cols: Float32Array, C: number, Llong: number, K: number, stride: number,
                       padding: number, Lshort: number, dst: Float32Array): void {
  for (let c = 0; c < C; c++) {
    const dstRow = c * Llong;
    for (let k = 0; k < K; k++) {
      const row = (c * K + k) * Lshort;
      const t0 = firstValid(k, stride, padding, Lshort), t1 = endValid(k, stride, padding, Llong, Lshort);
      for (let t = t0, pos = dstRow + t0 * stride - padding + k; t < t1; t++, pos += stride) {
        dst[pos] += cols[row + t];
      }
    }
  }
}

// The t in [0, Lshort) with 0 ≤ t·s − p + k < Llong form the range [firstValid, endValid)
// (empty when endValid ≤ firstValid).
function firstValid(k: number, stride: number, padding: number, Lshort: number): number {
  return Math.min(Lshort, Math.max(0, Math.ceil((padding - k) / stride)));
}

function endValid(k: number, stride: number, padding: number, Llong: number, Lshort: number): number {
  return Math.min(Lshort, Math.floor((Llong - 1 + padding - k) / stride) + 1);
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${v}`);
}

/** Adds b[c] to every position of y [N, C, Len]. */
function addChannelBias(y: Float32Array, b: Float32Array, N: number, C: number, Len: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const bv = b[c], o = (n * C + c) * Len;
      for (let t = 0; t < Len; t++) y[o + t] += bv;
    }
  }
}

/** db[c] += Σ_n Σ_t dy[n, c, t]. */
function sumChannels(dy: Float32Array, db: Float32Array, N: number, C: number, Len: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      const o = (n * C + c) * Len;
      for (let t = 0; t < Len; t++) s += dy[o + t];
      db[c] += s;
    }
  }
}

/** x [N, Cin, L], weight [Cout, Cin, K] and bias [Cout] fit together, or an error naming the shapes. */
function checkConvShapes(x: Tensor, weight: Tensor, bias: Tensor | null): void {
  if (x.rank !== 3 || weight.rank !== 3 || weight.shape[1] !== x.shape[1] ||
      (bias && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0]))) {
    throw new Error(`conv1d: x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}` +
      `${bias ? `, bias ${formatShape(bias.shape)}` : ''} do not fit (x [N,Cin,L], weight [Cout,Cin,K], bias [Cout])`);
  }
}

/**
 * torch.nn.functional.conv1d: x [N, Cin, L], weight [Cout, Cin, K], bias [Cout] → y [N, Cout, Lout],
 * Lout = ⌊(L + 2p − K)/s⌋ + 1,  y[n,co,t] = b[co] + Σ_ci Σ_k w[co,ci,k] · x[n,ci,t·s − p + k].
 * For the whole batch, with W viewed as [Cout, Cin·K], R = im2row(x) [N·Lout, Cin·K] and
 * dY = dy as rows [N·Lout, Cout] (backend.conv1dForward/Backward, TS twin in src/backends/composed/conv-rows.ts):
 *   forward   Y    = R · Wᵀ                             ('nt'; W is small), y = Y as [N,Cout,Lout] + b
 *   backward  dW  += dYᵀ · R                            ('tn')
 *             dx  += row2im(dY · W)                     ('nn')
 *             db  += Σ_{n,t} dy
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null,
                       options: Conv1dReluOptions = {}): Tensor {
  const stride = options.stride ?? 1, padding = options.padding ?? 0, relu = options.relu ?? false;
  const up = options.upsample ?? 1;
  checkInt('conv1d stride', stride, 1);
  checkInt('conv1d padding', padding, 0);
  checkInt('conv1d upsample', up, 1);
  checkConvShapes(x, weight, bias);
  const [N, Cin] = x.shape, L = x.shape[2] * up;              // the (upsampled) input length
  const [Cout, , K] = weight.shape;
  const Lout = Math.floor((L + 2 * padding - K) / stride) + 1;
  if (Lout < 1) throw new Error(`conv1d: input length ${L} with padding ${padding} is shorter than kernel ${K}`);
  const backend = getCompleteBackend();
  const geometry = { N, Cin, Cout, K, stride, padding, L, Lout, up };
  const y = new Float32Array(N * Cout * Lout);
  backend.conv1dForward(x.data, weight.data, bias ? bias.data : null, y, geometry, relu);
  const parents = bias ? [x, weight, bias] : [x, weight];
  const name = `${up > 1 ? 'upsampleConv1d' : 'conv1d'}${relu ? 'Relu' : ''}`;
  return fromOp(y, [N, Cout, Lout], name, parents, (gy) => {
    const dx = x.requiresGrad ? x.gradBuffer() : null;
    const dw = weight.requiresGrad ? weight.gradBuffer() : null;
    const db = bias?.requiresGrad ? bias.gradBuffer() : null;
    if (dx || dw || db) backend.conv1dBackward(x.data, weight.data, gy, dx, dw, db, geometry, relu ? y : null);
  });
}

/**
 * max_pool1d(relu(conv1d(x, weight, bias)), 2) as one op (Sequential's Conv1d → ReLU → MaxPool1d(2)
 * peephole): x [N, Cin, L] → y [N, Cout, ⌊Lout/2⌋], the same values and gradients as the three ops
 * (backend.conv1dReluPoolForward/Backward, TS twin in src/backends/composed/conv-pool.ts). The
 * full-length conv output never leaves the backend: the backward needs only y and each pair's pick.
 */
export function conv1dReluPool(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  const stride = options.stride ?? 1, padding = options.padding ?? 0;
  checkInt('conv1d stride', stride, 1);
  checkInt('conv1d padding', padding, 0);
  checkConvShapes(x, weight, bias);
  const [N, Cin, L] = x.shape;
  const [Cout, , K] = weight.shape;
  const Lout = Math.floor((L + 2 * padding - K) / stride) + 1, P = Lout >> 1;
  if (P < 1) throw new Error(`conv1d → maxPool1d(2): conv output length ${Lout} is shorter than the pool's 2`);
  const backend = getCompleteBackend();
  const geometry = { N, Cin, Cout, K, stride, padding, L, Lout, up: 1 };
  const y = new Float32Array(N * Cout * P), sel = new Int32Array(N * Cout * P);
  backend.conv1dReluPoolForward(x.data, weight.data, bias ? bias.data : null, y, sel, geometry);
  const parents = bias ? [x, weight, bias] : [x, weight];
  return fromOp(y, [N, Cout, P], 'conv1dReluPool', parents, (gy) => {
    const dx = x.requiresGrad ? x.gradBuffer() : null;
    const dw = weight.requiresGrad ? weight.gradBuffer() : null;
    const db = bias?.requiresGrad ? bias.gradBuffer() : null;
    if (dx || dw || db) backend.conv1dReluPoolBackward(x.data, weight.data, gy, y, sel, dx, dw, db, geometry);
  });
}

/**
 * torch.nn.functional.conv_transpose1d: x [N, Cin, L], weight [Cin, Cout, K], bias [Cout]
 * → y [N, Cout, Lout], Lout = (L − 1)·s − 2p + K + outputPadding,
 * y[n,co,t·s − p + k] += x[n,ci,t] · w[ci,co,k]  (+ b[co]): the adjoint of conv1d.
 * Per sample n, with W viewed as [Cin, Cout·K]:
 *   forward   y_n   = col2im(Wᵀ · x_n)                  ('tn', cols [Cout·K, L])
 *   backward  dcols = im2col(dy_n)                      [Cout·K, L]
 *             dx_n += W · dcols                         ('nn')
 *             dW   += x_n · dcolsᵀ                      ('nt')
 *             db   += Σ_{n,t} dy
 */
export function convTranspose1d(x: Tensor, weight: Tensor, bias: Tensor | null = null,
                                options: ConvTranspose1dOptions = {}): Tensor {
  const stride = options.stride ?? 1, padding = options.padding ?? 0;
  const outputPadding = options.outputPadding ?? 0;
  checkInt('convTranspose1d stride', stride, 1);
  checkInt('convTranspose1d padding', padding, 0);
  checkInt('convTranspose1d outputPadding', outputPadding, 0);
  if (outputPadding >= stride) {
    throw new Error(`convTranspose1d: outputPadding (${outputPadding}) must be smaller than stride (${stride})`);
  }
  if (x.rank !== 3 || weight.rank !== 3 || weight.shape[0] !== x.shape[1] ||
      (bias && (bias.rank !== 1 || bias.shape[0] !== weight.shape[1]))) {
    throw new Error(`convTranspose1d: x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}` +
      `${bias ? `, bias ${formatShape(bias.shape)}` : ''} do not fit (x [N,Cin,L], weight [Cin,Cout,K], bias [Cout])`);
  }
  const [N, Cin, L] = x.shape;
  const [, Cout, K] = weight.shape;
  const Lout = (L - 1) * stride - 2 * padding + K + outputPadding;
  if (Lout < 1) throw new Error(`convTranspose1d: output length ${Lout} is not positive`);
  const CK = Cout * K;
  const backend = getCompleteBackend();
  const cols = new Float32Array(CK * L);
  const y = new Float32Array(N * Cout * Lout);
  for (let n = 0; n < N; n++) {
    backend.matmul(weight.data, x.data.subarray(n * Cin * L, (n + 1) * Cin * L), cols,
                   CK, Cin, L, 'tn', false);          // [Cin,CK]ᵀ·[Cin,L]
    col2im(cols, Cout, Lout, K, stride, padding, L, y.subarray(n * Cout * Lout, (n + 1) * Cout * Lout));
  }
  if (bias) addChannelBias(y, bias.data, N, Cout, Lout);
  const parents = bias ? [x, weight, bias] : [x, weight];
  return fromOp(y, [N, Cout, Lout], 'convTranspose1d', parents, (gy) => {
    const dx = x.requiresGrad ? x.gradBuffer() : null;
    const dw = weight.requiresGrad ? weight.gradBuffer() : null;
    if (dx || dw) {
      for (let n = 0; n < N; n++) {
        im2col(gy.subarray(n * Cout * Lout, (n + 1) * Cout * Lout), Cout, Lout, K, stride, padding, L, cols);
        const xs = n * Cin * L, xe = xs + Cin * L;
        if (dx) backend.matmul(weight.data, cols, dx.subarray(xs, xe), Cin, CK, L, 'nn', true); // [Cin,CK]·[CK,L]
        if (dw) backend.matmul(x.data.subarray(xs, xe), cols, dw, Cin, L, CK, 'nt', true);      // [Cin,L]·[CK,L]ᵀ
      }
    }
    if (bias?.requiresGrad) sumChannels(gy, bias.gradBuffer(), N, Cout, Lout);
  });
}
