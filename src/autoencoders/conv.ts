// Conv1D autoencoder: convolution + max-pooling encoder, nearest-upsampling + convolution
// decoder. Each stage halves (or doubles) the time axis, so the beat is zero-padded at the end
// to a multiple of 2^stages and the reconstruction cropped back: any beat length works.
//   x [B, L] → [B, 1, L'] → (Conv1d k, 'same' padding → ReLU → MaxPool 2) per channel count
//   → (Upsample 2 → Conv1d → ReLU) mirrored → Conv1d to 1 channel → crop → [B, L]

import { mseLoss } from '../engine/ops/nn.ts';
import { concat } from '../engine/ops/layout.ts';
import { Tensor, zeros } from '../engine/tensor.ts';
import { Conv1d, MaxPool1d, Upsample1d } from '../nn/conv.ts';
import { ReLU, Sequential } from '../nn/layers.ts';
import type { Module } from '../nn/module.ts';
import { Autoencoder, type Architecture } from './autoencoder.ts';

export interface ConvArchitecture extends Architecture {
  kind: 'conv';
  /** Channels after each encoder stage, e.g. [16, 32]. */
  channels: number[];
  /** Odd kernel size; padding (kernel-1)/2 keeps lengths. */
  kernel: number;
}

export class ConvAutoencoder extends Autoencoder {
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  /** Input length after padding to a multiple of 2^stages. */
  readonly paddedLength: number;

  constructor(readonly architecture: ConvArchitecture, seed: number) {
    super();
    const { channels, kernel, length } = architecture;
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
    const dec: Module[] = [];
    const back = [...channels].reverse().slice(1).concat([channels[0]]); // e.g. [32,16] → [16, 16]
    back.forEach((c, i) => {
      dec.push(new Upsample1d(2), new Conv1d(inC, c, kernel, { padding: pad, seed: `${seed}:dec${i}` }), new ReLU());
      inC = c;
    });
    dec.push(new Conv1d(inC, 1, kernel, { padding: pad, seed: `${seed}:out` }));
    this.encoder = this.registerModule('encoder', new Sequential(...enc));
    this.decoder = this.registerModule('decoder', new Sequential(...dec));
  }

  reconstruct(x: Tensor): Tensor {
    const [B, L] = x.shape;
    const extra = this.paddedLength - L;
    const padded = extra > 0 ? concat([x, zeros([B, extra])], 1) : x;
    const y = this.decoder.forward(this.encoder.forward(padded.reshape([B, 1, this.paddedLength])));
    const flat = y.reshape([B, this.paddedLength]);
    return extra > 0 ? flat.slice(1, 0, L) : flat;
  }

  loss(x: Tensor): Tensor {
    return mseLoss(this.reconstruct(x), x);
  }
}
