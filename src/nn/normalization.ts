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
 * mean and variance with `momentum`), the running statistics in eval mode.
 * The running statistics are fields, not parameters: stateDict does not carry them yet.
 */
export class BatchNorm1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;

  constructor(readonly numFeatures: number, options: { eps?: number; momentum?: number } = {}) {
    super();
    this.weight = this.registerParameter('weight', ones([numFeatures]));
    this.bias = this.registerParameter('bias', zeros([numFeatures]));
    this.runningMean = new Float32Array(numFeatures);
    this.runningVar = new Float32Array(numFeatures).fill(1);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
  }

  readonly eps: number;
  readonly momentum: number;

  forward(x: Tensor): Tensor {
    return batchNorm1d(x, this.weight, this.bias, {
      training: this.training, eps: this.eps, momentum: this.momentum,
      runningMean: this.runningMean, runningVar: this.runningVar,
    });
  }
}
