// Losses with the mean reduction, as PyTorch's defaults: crossEntropy (class indices),
// bceWithLogits (the stable logits form), l1Loss and smoothL1Loss. Direct TS loops, one backward each.

import { fromOp, type Tensor } from '../tensor.ts';
import { logSoftmax } from './softmax.ts';

function sameShape(a: Tensor, b: Tensor, name: string): void {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`${name}: shapes differ: [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  }
}

/**
 * Mean over the batch of -log softmax(logits)[n, targets[n]]. logits: [N, C]; targets: N class indices.
 * Gradient: (softmax - onehot) / N, via logSoftmax's backward.
 */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>): Tensor {
  if (logits.rank !== 2) throw new Error(`crossEntropy: logits must be [N, C], got [${logits.shape.join(', ')}]`);
  const [n, c] = logits.shape;
  if (targets.length !== n) throw new Error(`crossEntropy: ${targets.length} targets for ${n} rows`);
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0 || t >= c) throw new Error(`crossEntropy: target ${i} is ${t}, not a class in 0..${c - 1}`);
  }
  const lsm = logSoftmax(logits, 1);
  let s = 0;
  for (let i = 0; i < n; i++) s -= lsm.data[i * c + targets[i]];
  return fromOp(new Float32Array([s / n]), [], 'crossEntropy', [lsm], (g) => {
    const gl = lsm.gradBuffer();
    for (let i = 0; i < n; i++) gl[i * c + targets[i]] -= g[0] / n;
  });
}

/**
 * Mean of max(x, 0) - x·t + log(1 + exp(-|x|)), equal to BCE(sigmoid(x), t) without overflow.
 * Gradient: (sigmoid(x) - t) / size; the target gets (-x) / size.
 */
export function bceWithLogits(logits: Tensor, target: Tensor): Tensor {
  sameShape(logits, target, 'bceWithLogits');
  const x = logits.data, t = target.data, n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.max(x[i], 0) - x[i] * t[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
  return fromOp(new Float32Array([s / n]), [], 'bceWithLogits', [logits, target], (g) => {
    const k = g[0] / n;
    if (logits.requiresGrad) {
      const gx = logits.gradBuffer();
      for (let i = 0; i < n; i++) gx[i] += k * (1 / (1 + Math.exp(-x[i])) - t[i]);
    }
    if (target.requiresGrad) {
      const gt = target.gradBuffer();
      for (let i = 0; i < n; i++) gt[i] -= k * x[i];
    }
  });
}

/** Mean |a - y|. Gradient sign(a - y) / size (0 where equal, as PyTorch). */
export function l1Loss(a: Tensor, y: Tensor): Tensor {
  return smoothOrL1(a, y, 0, 'l1Loss');
}

/**
 * Mean Huber-like loss: 0.5·d²/beta where |d| < beta, else |d| - 0.5·beta (d = a - y).
 * beta = 0 is l1Loss. Gradient: d/beta inside, sign(d) outside.
 */
export function smoothL1Loss(a: Tensor, y: Tensor, options: { beta?: number } = {}): Tensor {
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`smoothL1Loss: beta must be >= 0, got ${beta}`);
  return smoothOrL1(a, y, beta, 'smoothL1Loss');
}

function smoothOrL1(a: Tensor, y: Tensor, beta: number, op: string): Tensor {
  sameShape(a, y, op);
  const n = a.size;
  const d = new Float32Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    d[i] = a.data[i] - y.data[i];
    const ad = Math.abs(d[i]);
    s += ad < beta ? (0.5 * d[i] * d[i]) / beta : ad - 0.5 * beta;
  }
  return fromOp(new Float32Array([s / n]), [], op, [a, y], (g) => {
    const k = g[0] / n;
    const slope = (v: number) => (Math.abs(v) < beta ? v / beta : Math.sign(v));
    if (a.requiresGrad) { const ga = a.gradBuffer(); for (let i = 0; i < n; i++) ga[i] += k * slope(d[i]); }
    if (y.requiresGrad) { const gy = y.gradBuffer(); for (let i = 0; i < n; i++) gy[i] -= k * slope(d[i]); }
  });
}
