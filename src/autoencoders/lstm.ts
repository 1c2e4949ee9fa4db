// LSTM autoencoder (sequence-to-sequence, as in the reference projects):
//   encoder: LSTM(1 → H) over the beat's T samples; its last hidden state h_T [B, H]
//   code:    z = Linear(H → Z)(h_T)                           [B, Z]
//   decoder: z repeated over time [B, T, Z] → LSTM(Z → H) → Linear(H → 1) per step → [B, T]
// Trained with MSE and gradient-norm clipping (see the trainer's clipNorm).

import { mseLoss } from '../engine/ops/nn.ts';
import { Tensor, zeros } from '../engine/tensor.ts';
import { Linear } from '../nn/layers.ts';
import { LSTM } from '../nn/lstm.ts';
import { Autoencoder, type Architecture } from './autoencoder.ts';

export interface LstmArchitecture extends Architecture {
  kind: 'lstm';
  /** LSTM state size H. */
  hidden: number;
  /** Code size Z. */
  latent: number;
}

export class LstmAutoencoder extends Autoencoder {
  readonly encoder: LSTM;
  readonly toLatent: Linear;
  readonly decoder: LSTM;
  readonly output: Linear;

  constructor(readonly architecture: LstmArchitecture, seed: number) {
    super();
    const { hidden: H, latent: Z } = architecture;
    this.encoder = this.registerModule('encoder', new LSTM(1, H, { seed: `${seed}:enc` }));
    this.toLatent = this.registerModule('to_latent', new Linear(H, Z, { seed: `${seed}:z` }));
    this.decoder = this.registerModule('decoder', new LSTM(Z, H, { seed: `${seed}:dec` }));
    this.output = this.registerModule('output', new Linear(H, 1, { seed: `${seed}:out` }));
  }

  reconstruct(x: Tensor): Tensor {
    const [B, T] = x.shape;
    const H = this.architecture.hidden, Z = this.architecture.latent;
    const states = this.encoder.forward(x.reshape([B, T, 1]));          // [B, T, H]
    const last = states.slice(1, T - 1, T).reshape([B, H]);             // h_T
    const z = this.toLatent.forward(last);                             // [B, Z]
    const repeated = zeros([B, T, Z]).add(z.reshape([B, 1, Z]));       // broadcast over time
    const decoded = this.decoder.forward(repeated);                    // [B, T, H]
    return this.output.forward(decoded).reshape([B, T]);
  }

  loss(x: Tensor): Tensor {
    return mseLoss(this.reconstruct(x), x);
  }
}
