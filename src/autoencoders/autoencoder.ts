// What every autoencoder in cardiograd offers the pipeline: a training loss on a batch of beats,
// a reconstruction for scoring, and a JSON description of its architecture for the model folder.

import { Module } from '../nn/module.ts';
import type { Rng } from '../engine/random.ts';
import type { Tensor } from '../engine/tensor.ts';

/** Per-step context: the seeded generator (VAE noise) and the epoch (KL warm-up). */
export interface TrainContext { rng: Rng; epoch: number }

export interface Architecture {
  kind: 'dense' | 'vae' | 'lstm' | 'conv';
  /** Beat length the model was built for. */
  length: number;
  [option: string]: unknown;
}

export abstract class Autoencoder extends Module {
  abstract readonly architecture: Architecture;

  /** Training objective for a batch x [B, L] of scaled beats. */
  abstract loss(x: Tensor, ctx: TrainContext): Tensor;

  /**
   * The training objective on held-out beats [B, L], deterministically, summed over the batch
   * (no gradient), when it is not the reconstruction error; null = the training loss already is
   * the mean squared error per sample, so the held-out reconstruction error is on its scale.
   */
  heldOutObjectiveSum(_x: Tensor, _epoch: number): number | null {
    return null;
  }

  /** Deterministic reconstruction [B, L] used for anomaly scores. */
  abstract reconstruct(x: Tensor): Tensor;

  /** The code [B, Z] the decoder starts from (VAE: μ), e.g. for a 2-D map of the beats. */
  abstract latentCode(x: Tensor): Tensor;

  forward(x: Tensor): Tensor {
    return this.reconstruct(x);
  }
}
