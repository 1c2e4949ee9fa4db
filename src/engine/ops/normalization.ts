// layerNorm and batchNorm1d as PyTorch's F.layer_norm and F.batch_norm: normalise groups of
// elements to zero mean and unit (biased) variance, then scale by weight and shift by bias.
// Direct TS loops with the closed-form backward; every element is read through an index list.

import { fromOp, type Tensor } from '../tensor.ts';

export interface LayerNormOptions { eps?: number }

/**
 * Normalises over the trailing dims `normalizedShape` (x: [..., *normalizedShape]); weight and bias
 * have shape normalizedShape (either may be null).
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null,
                          bias: Tensor | null = null, options: LayerNormOptions = {}): Tensor {
  const eps = options.eps ?? 1e-5;
  const k = normalizedShape.length;
  if (k === 0 || k > x.rank || x.shape.slice(x.rank - k).join(',') !== normalizedShape.join(',')) {
    throw new Error(`layerNorm: x [${x.shape.join(', ')}] does not end in normalizedShape [${normalizedShape.join(', ')}]`);
  }
  checkAffine('layerNorm', weight, bias, normalizedShape);
  const d = normalizedShape.reduce((p, v) => p * v, 1);
  const groups: Int32Array[] = [];
  for (let r = 0; r < x.size / d; r++) groups.push(Int32Array.from({ length: d }, (_, j) => r * d + j));
  const channelOf = (flat: number) => flat % d;
  return normalize(x, groups, channelOf, weight, bias, eps, 'layerNorm');
}

export interface BatchNormOptions {
  /** true: batch statistics (and running-statistics update); false: the running statistics. Default true. */
  training?: boolean;
  eps?: number;
  /** Running averages (length C), updated in place while training, used in eval. */
  runningMean?: Float32Array;
  runningVar?: Float32Array;
  /** PyTorch's momentum: running = (1 - momentum)·running + momentum·batch. Default 0.1. */
  momentum?: number;
}

/**
 * x: [N, C] or [N, C, L]; statistics per channel C over N (and L). weight, bias: [C] (either may be null).
 * Normalising uses the biased batch variance; the running variance gets the unbiased one, as PyTorch.
 */
export function batchNorm1d(x: Tensor, weight: Tensor | null = null, bias: Tensor | null = null,
                            options: BatchNormOptions = {}): Tensor {
  const { training = true, eps = 1e-5, momentum = 0.1, runningMean, runningVar } = options;
  if (x.rank !== 2 && x.rank !== 3) throw new Error(`batchNorm1d: x must be [N, C] or [N, C, L], got [${x.shape.join(', ')}]`);
  const [n, c] = x.shape, l = x.rank === 3 ? x.shape[2] : 1;
  checkAffine('batchNorm1d', weight, bias, [c]);
  for (const [name, r] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (r && r.length !== c) throw new Error(`batchNorm1d: ${name} has ${r.length} values for ${c} channels`);
  }
  const channelOf = (flat: number) => Math.floor(flat / l) % c;
  const groups: Int32Array[] = [];
  for (let ch = 0; ch < c; ch++) {
    const idx = new Int32Array(n * l);
    for (let b = 0; b < n; b++) for (let j = 0; j < l; j++) idx[b * l + j] = (b * c + ch) * l + j;
    groups.push(idx);
  }
  if (!training) {
    if (!runningMean || !runningVar) throw new Error('batchNorm1d: eval mode (training: false) needs runningMean and runningVar');
    return normalize(x, groups, channelOf, weight, bias, eps, 'batchNorm1d', { mean: runningMean, variance: runningVar });
  }
  if (n * l < 2) throw new Error(`batchNorm1d: training needs more than 1 value per channel, got [${x.shape.join(', ')}]`);
  const out = normalize(x, groups, channelOf, weight, bias, eps, 'batchNorm1d');
  if (runningMean || runningVar) {
    const m = n * l;
    groups.forEach((idx, ch) => {
      const { mean, variance } = groupStats(x.data, idx);
      if (runningMean) runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
      if (runningVar) runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * variance * m / (m - 1);
    });
  }
  return out;
}

function checkAffine(op: string, weight: Tensor | null, bias: Tensor | null, shape: readonly number[]): void {
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.shape.join(',') !== shape.join(',')) {
      throw new Error(`${op}: ${name} must be [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
  }
}

function groupStats(data: Float32Array, idx: Int32Array): { mean: number; variance: number } {
  let s = 0;
  for (const i of idx) s += data[i];
  const mean = s / idx.length;
  let v = 0;
  for (const i of idx) v += (data[i] - mean) ** 2;
  return { mean, variance: v / idx.length };
}

/**
 * y = (x - mean_g)·rstd_g·w[ch] + b[ch] per group g. With `fixed` statistics (eval) mean and rstd
 * are constants; otherwise they are the group's own and the backward is
 * dx = rstd·(dxhat - mean(dxhat) - xhat·mean(dxhat·xhat)), dxhat = dy·w.
 */
function normalize(x: Tensor, groups: Int32Array[], channelOf: (flat: number) => number, weight: Tensor | null,
                   bias: Tensor | null, eps: number, op: string,
                   fixed?: { mean: Float32Array; variance: Float32Array }): Tensor {
  const xhat = new Float32Array(x.size), out = new Float32Array(x.size);
  const rstd = new Float64Array(groups.length);
  groups.forEach((idx, g) => {
    const { mean, variance } = fixed ? { mean: fixed.mean[g], variance: fixed.variance[g] } : groupStats(x.data, idx);
    rstd[g] = 1 / Math.sqrt(variance + eps);
    for (const i of idx) {
      xhat[i] = (x.data[i] - mean) * rstd[g];
      const ch = channelOf(i);
      out[i] = xhat[i] * (weight ? weight.data[ch] : 1) + (bias ? bias.data[ch] : 0);
    }
  });
  const parents = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return fromOp(out, x.shape, op, parents, (dy) => {
    if (weight?.requiresGrad) { const gw = weight.gradBuffer(); for (let i = 0; i < x.size; i++) gw[channelOf(i)] += dy[i] * xhat[i]; }
    if (bias?.requiresGrad) { const gb = bias.gradBuffer(); for (let i = 0; i < x.size; i++) gb[channelOf(i)] += dy[i]; }
    if (!x.requiresGrad) return;
    const gx = x.gradBuffer();
    groups.forEach((idx, g) => {
      let sumD = 0, sumDX = 0;
      for (const i of idx) {
        const dxhat = dy[i] * (weight ? weight.data[channelOf(i)] : 1);
        sumD += dxhat; sumDX += dxhat * xhat[i];
      }
      const meanD = fixed ? 0 : sumD / idx.length, meanDX = fixed ? 0 : sumDX / idx.length;
      for (const i of idx) {
        const dxhat = dy[i] * (weight ? weight.data[channelOf(i)] : 1);
        gx[i] += rstd[g] * (dxhat - meanD - xhat[i] * meanDX);
      }
    });
  });
}
