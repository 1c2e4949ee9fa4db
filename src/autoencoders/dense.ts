// The classic dense autoencoder: L → h1 → h2 → … → code → … → h1 → L with ReLU, the decoder
// mirroring the encoder. Same layout as the reference PyTorch model, so a state dict with keys
// encoder.0.weight … decoder.4.bias loads into nn.Sequential encoder/decoder modules there.

import { mseLoss } from '../engine/ops/nn.ts';
import type { Tensor } from '../engine/tensor.ts';
import { Linear, ReLU, Sequential } from '../nn/layers.ts';
import type { Module } from '../nn/module.ts';
import * as v from 'valibot';
import { Autoencoder, type Architecture } from './autoencoder.ts';
import { kindAndLength, layerSizes, linearShapes, type ModelSpec } from './model-spec.ts';

export interface DenseArchitecture extends Architecture {
  kind: 'dense';
  /** Encoder layer sizes after the input, e.g. [64, 32, 16]; the last is the code size. */
  hidden: number[];
}

export class DenseAutoencoder extends Autoencoder {
  readonly encoder: Sequential;
  readonly decoder: Sequential;

  constructor(readonly architecture: DenseArchitecture, seed: number) {
    super();
    const sizes = [architecture.length, ...architecture.hidden]; // e.g. 140, 64, 32, 16
    const enc: Module[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      enc.push(new Linear(sizes[i], sizes[i + 1], { seed: `${seed}:enc${i}` }), new ReLU());
    }
    const back = [...sizes].reverse(); // 16, 32, 64, 140
    const dec: Module[] = [];
    for (let i = 0; i + 1 < back.length; i++) {
      dec.push(new Linear(back[i], back[i + 1], { seed: `${seed}:dec${i}` }));
      if (i + 2 < back.length) dec.push(new ReLU()); // no activation on the output
    }
    this.encoder = this.registerModule('encoder', new Sequential(...enc));
    this.decoder = this.registerModule('decoder', new Sequential(...dec));
  }

  reconstruct(x: Tensor): Tensor {
    return this.decoder.forward(this.latentCode(x));
  }

  latentCode(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }

  loss(x: Tensor): Tensor {
    return mseLoss(this.reconstruct(x), x);
  }
}

/** The dense kind's manifest schema, parameter shapes and constructor (see model-spec.ts). */
export const denseSpec: ModelSpec<DenseArchitecture> = {
  kind: 'dense',
  architectureSchema: v.looseObject({ ...kindAndLength('dense'), hidden: layerSizes }, 'expected an object'),
  parameterShapes(arch) {
    // Linear layers sit at even indices of each Sequential (a ReLU follows each but the last).
    const sizes = [arch.length, ...arch.hidden];
    const back = [...sizes].reverse();
    const out: Record<string, number[]> = {};
    for (let i = 0; i + 1 < sizes.length; i++) linearShapes(out, `encoder.${2 * i}`, sizes[i], sizes[i + 1]);
    for (let i = 0; i + 1 < back.length; i++) linearShapes(out, `decoder.${2 * i}`, back[i], back[i + 1]);
    return out;
  },
  create: (arch, seed) => new DenseAutoencoder(arch, seed),
  canSample: false,
};
