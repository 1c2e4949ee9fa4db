// Conv1D autoencoder: convolution + max-pooling encoder, a dense bottleneck, nearest-upsampling
// + convolution decoder. Each stage halves (or doubles) the time axis, so the beat is zero-padded
// at the end to a multiple of 2^stages and the reconstruction cropped back: any length works.
//   x [B, L] → [B, 1, L'] → (Conv1d k, 'same' padding → ReLU → MaxPool 2) per channel count
//   → flatten [B, C·L'/2^s] → Linear → code [B, latent] → Linear → ReLU → [B, C, L'/2^s]
//   → (Upsample 2 → Conv1d → ReLU) mirrored → Conv1d to 1 channel → crop → [B, L]
// The dense bottleneck matters: convolutions alone keep C·L/2^s ≥ L numbers per beat, enough to
// copy any beat, abnormal ones included, and then reconstruction error stops telling them apart.

import { linear, mseLoss } from '../engine/ops/nn.ts';
import { concat } from '../engine/ops/layout.ts';
import { Tensor, zeros } from '../engine/tensor.ts';
import { Conv1d, MaxPool1d, Upsample1d } from '../nn/conv.ts';
import { Linear, ReLU, Sequential } from '../nn/layers.ts';
import type { Module } from '../nn/module.ts';
import * as v from 'valibot';
import { Autoencoder, type Architecture } from './autoencoder.ts';
import { kindAndLength, layerSizes, linearShapes, positiveInt, type ModelSpec } from './model-spec.ts';

export interface ConvArchitecture extends Architecture {
  kind: 'conv';
  /** Channels after each encoder stage, e.g. [16, 32]. */
  channels: number[];
  /** Odd kernel size; padding (kernel-1)/2 keeps lengths. */
  kernel: number;
  /** Size of the dense code between encoder and decoder. */
  latent: number;
}

export class ConvAutoencoder extends Autoencoder {
  readonly encoder: Sequential;
  readonly toLatent: Linear;
  readonly fromLatent: Linear;
  readonly decoder: Sequential;
  /** Input length after padding to a multiple of 2^stages. */
  readonly paddedLength: number;
  /** Channels and length at the bottleneck. */
  private readonly bottleneck: [number, number];

  constructor(readonly architecture: ConvArchitecture, seed: number) {
    super();
    const { channels, kernel, length, latent } = architecture;
    if (kernel % 2 !== 1) throw new Error(`conv kernel must be odd to keep lengths, got ${kernel}`);
    const pad = (kernel - 1) / 2;
    const factor = 2 ** channels.length;
    this.paddedLength = Math.ceil(length / factor) * factor;
    const enc: Module[] = [];
    let inC = 1;
    channels.forEach((c, i) => {
      enc.push(new Conv1d(inC, c, kernel, { padding: pad, seed: `${seed}:enc${i}` }), new ReLU(), new MaxPool1d(2));
      inC = c;
    });
    const reduced = this.paddedLength / factor;
    this.bottleneck = [inC, reduced];
    const dec: Module[] = [];
    const back = [...channels].reverse().slice(1).concat([channels[0]]); // e.g. [32,16] → [16, 16]
    back.forEach((c, i) => {
      dec.push(new Upsample1d(2), new Conv1d(inC, c, kernel, { padding: pad, seed: `${seed}:dec${i}` }), new ReLU());
      inC = c;
    });
    dec.push(new Conv1d(inC, 1, kernel, { padding: pad, seed: `${seed}:out` }));
    this.encoder = this.registerModule('encoder', new Sequential(...enc));
    this.toLatent = this.registerModule('to_latent', new Linear(channels[channels.length - 1] * reduced, latent, { seed: `${seed}:z` }));
    this.fromLatent = this.registerModule('from_latent', new Linear(latent, channels[channels.length - 1] * reduced, { seed: `${seed}:unz` }));
    this.decoder = this.registerModule('decoder', new Sequential(...dec));
  }

  /** Encoder half: the dense code [B, latent]. */
  latentCode(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const extra = this.paddedLength - L;
    const padded = extra > 0 ? concat([x, zeros([B, extra])], 1) : x;
    const [C, Lr] = this.bottleneck;
    const features = this.encoder.forward(padded.reshape([B, 1, this.paddedLength])).reshape([B, C * Lr]);
    return this.toLatent.forward(features);                                          // [B, latent]
  }

  reconstruct(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const extra = this.paddedLength - L;
    const [C, Lr] = this.bottleneck;
    const code = this.latentCode(x);                                                 // [B, latent]
    const expanded = linear(code, this.fromLatent.weight, this.fromLatent.bias, 'relu').reshape([B, C, Lr]);
    const y = this.decoder.forward(expanded);
    const flat = y.reshape([B, this.paddedLength]);
    return extra > 0 ? flat.slice(1, 0, L) : flat;
  }

  loss(x: Tensor): Tensor {
    return mseLoss(this.reconstruct(x), x);
  }
}

/** The Conv1D kind's manifest schema, parameter shapes and constructor (see model-spec.ts). */
export const convSpec: ModelSpec<ConvArchitecture> = {
  kind: 'conv',
  architectureSchema: v.pipe(
    v.looseObject({
      ...kindAndLength('conv'),
      channels: layerSizes,
      kernel: v.pipe(positiveInt, v.check((k) => k % 2 === 1, 'expected an odd positive integer')),
      latent: positiveInt,
    }, 'expected an object'),
    // Each stage halves the (padded) length: more stages than the beat allows would pad a beat
    // to 2^stages samples, an allocation the weights alone do not reveal.
    v.forward(v.check((a) => 2 ** a.channels.length < 2 * a.length, 'expected fewer stages: 2^stages must stay below twice the beat length'), ['channels']),
  ),
  parameterShapes({ channels, kernel: k, length, latent }) {
    // Encoder stage i = Conv1d, ReLU, MaxPool at indices 3i..3i+2; decoder stage i = Upsample,
    // Conv1d, ReLU at 3i..3i+2, then the output Conv1d; a dense bottleneck between them.
    const factor = 2 ** channels.length;
    const reduced = Math.ceil(length / factor);
    const C = channels[channels.length - 1];
    const out: Record<string, number[]> = {};
    const conv = (name: string, inC: number, outC: number) => {
      out[`${name}.weight`] = [outC, inC, k];
      out[`${name}.bias`] = [outC];
    };
    let inC = 1;
    channels.forEach((c, i) => { conv(`encoder.${3 * i}`, inC, c); inC = c; });
    linearShapes(out, 'to_latent', C * reduced, latent);
    linearShapes(out, 'from_latent', latent, C * reduced);
    const back = [...channels].reverse().slice(1).concat([channels[0]]);
    back.forEach((c, i) => { conv(`decoder.${3 * i + 1}`, inC, c); inC = c; });
    conv(`decoder.${3 * back.length}`, inC, 1);
    return out;
  },
  create: (arch, seed) => new ConvAutoencoder(arch, seed),
  canSample: false,
};
