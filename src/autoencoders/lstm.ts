// LSTM autoencoder (sequence-to-sequence, as in the reference projects):
//   the beat [B, L] is read as T = L/P time steps of P samples each ("patches"; P = 1 is one
//   sample per step), zero-padded at the end so that P divides it;
//   encoder: LSTM(P → H) over the T steps; its last hidden state h_T [B, H]
//   code:    z = Linear(H → Z)(h_T)                              [B, Z]
//   decoder: z repeated over time [B, T, Z] → LSTM(Z → H) → Linear(H → P) per step → [B, L]
//            (the repeat is never built: lstmRepeatedInput computes z's input gates once; the
//            states stay time-major through the per-step Linear, and only [T, B, P] is reordered)
// Trained with MSE and gradient-norm clipping (the trainer's clipNorm).
// Why patches: with one sample per step (T = 140) the last hidden state must carry the whole
// beat through 140 steps and the decoder must count 140 steps from a constant input; in our
// runs that model stayed at the mean beat for 30 epochs (loss 0.98 of the variance). Four
// samples per step (T = 35) learns in a few epochs and costs a quarter of the time.

import { mseLoss } from '../engine/ops/nn.ts';
import { concat, transpose } from '../engine/ops/layout.ts';
import { Tensor, zeros } from '../engine/tensor.ts';
import { Linear } from '../nn/layers.ts';
import { LSTM } from '../nn/lstm.ts';
import * as v from 'valibot';
import { Autoencoder, type Architecture } from './autoencoder.ts';
import { kindAndLength, linearShapes, positiveInt, type ModelSpec } from './model-spec.ts';

export interface LstmArchitecture extends Architecture {
  kind: 'lstm';
  /** LSTM state size H. */
  hidden: number;
  /** Code size Z. */
  latent: number;
  /** Samples per time step P (1 = one sample per step). */
  patch: number;
}

export class LstmAutoencoder extends Autoencoder {
  readonly encoder: LSTM;
  readonly toLatent: Linear;
  readonly decoder: LSTM;
  readonly output: Linear;
  /** Time steps T after padding. */
  readonly steps: number;

  constructor(readonly architecture: LstmArchitecture, seed: number) {
    super();
    const { hidden: H, latent: Z, patch: P, length } = architecture;
    if (!Number.isInteger(P) || P < 1) throw new Error(`lstm patch must be a positive integer, got ${P}`);
    this.steps = Math.ceil(length / P);
    this.encoder = this.registerModule('encoder', new LSTM(P, H, { seed: `${seed}:enc` }));
    this.toLatent = this.registerModule('to_latent', new Linear(H, Z, { seed: `${seed}:z` }));
    this.decoder = this.registerModule('decoder', new LSTM(Z, H, { seed: `${seed}:dec` }));
    this.output = this.registerModule('output', new Linear(H, P, { seed: `${seed}:out` }));
  }

  /** Encoder half: z = Linear(h_T) [B, Z]. */
  latentCode(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const { patch: P } = this.architecture;
    const T = this.steps, extra = T * P - L;
    const padded = extra > 0 ? concat([x, zeros([B, extra])], 1) : x;
    const last = this.encoder.forwardLast(padded.reshape([B, T, P]));   // h_T [B, H]
    return this.toLatent.forward(last);                                // [B, Z]
  }

  reconstruct(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const { patch: P } = this.architecture;
    const T = this.steps, extra = T * P - L;
    const z = this.latentCode(x);                                      // [B, Z]
    const decoded = this.decoder.forwardRepeated(z, T, { timeMajor: true }); // z at every step → [T, B, H]
    const y = transpose(this.output.forward(decoded), 0, 1).reshape([B, T * P]); // [T, B, P] → [B, T·P]
    return extra > 0 ? y.slice(1, 0, L) : y;
  }

  loss(x: Tensor): Tensor {
    return mseLoss(this.reconstruct(x), x);
  }
}

/** torch.nn.LSTM's four tensors for input size I and state size H (gates stacked: 4H rows). */
function lstmShapes(out: Record<string, number[]>, name: string, I: number, H: number): void {
  out[`${name}.weight_ih_l0`] = [4 * H, I];
  out[`${name}.weight_hh_l0`] = [4 * H, H];
  out[`${name}.bias_ih_l0`] = [4 * H];
  out[`${name}.bias_hh_l0`] = [4 * H];
}

/** The LSTM kind's manifest schema, parameter shapes and constructor (see model-spec.ts). */
export const lstmSpec: ModelSpec<LstmArchitecture> = {
  kind: 'lstm',
  architectureSchema: v.pipe(
    v.looseObject({ ...kindAndLength('lstm'), hidden: positiveInt, latent: positiveInt, patch: positiveInt }, 'expected an object'),
    v.forward(v.check((a) => a.patch <= a.length, 'expected a patch no longer than the beat length'), ['patch']),
  ),
  parameterShapes({ hidden: H, latent: Z, patch: P }) {
    const out: Record<string, number[]> = {};
    lstmShapes(out, 'encoder', P, H);
    linearShapes(out, 'to_latent', H, Z);
    lstmShapes(out, 'decoder', Z, H);
    linearShapes(out, 'output', H, P);
    return out;
  },
  create: (arch, seed) => new LstmAutoencoder(arch, seed),
  canSample: false,
};
