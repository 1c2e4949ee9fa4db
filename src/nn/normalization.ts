// Dropout, LayerNorm and BatchNorm1d modules (torch.nn names and defaults).

import { batchNorm1d, layerNorm } from '../engine/ops/normalization.ts';
import { createRng, globalRng, type Rng } from '../engine/random.ts';
import { ones, tensor, zeros, type Tensor } from '../engine/tensor.ts';
import { Module } from './module.ts';

/**
 * While training, zeroes each element with probability p and scales the rest by 1/(1-p); identity in eval.
 * The mask comes from `seed`'s own stream when given, else from the global generator (manualSeed).
 */
export class Dropout extends Module {
  private readonly rng: Rng | null;

  constructor(readonly p = 0.5, options: { seed?: number | string } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
    this.rng = options.seed === undefined ? null : createRng(options.seed);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const rng = this.rng ?? globalRng(), keep = 1 / (1 - this.p);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < this.p ? 0 : keep;
    return x.mul(tensor(mask, x.shape));
  }
}

/** layerNorm over the trailing `normalizedShape` with a learnt weight (ones) and bias (zeros). */
export class LayerNorm extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(readonly normalizedShape: readonly number[], readonly eps = 1e-5) {
    super();
    this.weight = this.registerParameter('weight', ones([...normalizedShape]));
    this.bias = this.registerParameter('bias', zeros([...normalizedShape]));
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, { eps: this.eps });
  }
}

/**
 * batchNorm1d over [N, C] or [N, C, L]: batch statistics while training (updating the running
 * mean and variance with `momentum`, and counting the batches), the running statistics in eval mode.
 * The running statistics are buffers under PyTorch's names (running_mean, running_var,
 * num_batches_tracked), so stateDict / loadStateDict carry them and a loaded model evaluates as saved.
 * num_batches_tracked is an int64 in PyTorch; here a float32 scalar (exact below 2^24 batches).
 */
export class BatchNorm1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  /** [C], the data of the running_mean buffer (updated in place while training). */
  readonly runningMean: Float32Array;
  /** [C], the data of the running_var buffer. */
  readonly runningVar: Float32Array;
  private readonly batchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, options: { eps?: number; momentum?: number } = {}) {
    super();
    this.weight = this.registerParameter('weight', ones([numFeatures]));
    this.bias = this.registerParameter('bias', zeros([numFeatures]));
    this.runningMean = this.registerBuffer('running_mean', zeros([numFeatures])).data;
    this.runningVar = this.registerBuffer('running_var', ones([numFeatures])).data;
    this.batchesTracked = this.registerBuffer('num_batches_tracked', zeros([]));
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
  }

  /** Training batches seen since construction (or as loaded). */
  get numBatchesTracked(): number { return this.batchesTracked.data[0]; }

  forward(x: Tensor): Tensor {
    const y = batchNorm1d(x, this.weight, this.bias, {
      training: this.training, eps: this.eps, momentum: this.momentum,
      runningMean: this.runningMean, runningVar: this.runningVar,
    });
    if (this.training) this.batchesTracked.data[0] += 1;
    return y;
  }
}
