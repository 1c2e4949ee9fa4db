// Builds an autoencoder from its architecture description (the CLI's flags or a saved manifest).

import type { Architecture } from './autoencoder.ts';
import { Autoencoder } from './autoencoder.ts';
import { DenseAutoencoder, type DenseArchitecture } from './dense.ts';
import { VariationalAutoencoder, type VaeArchitecture } from './vae.ts';
import { LstmAutoencoder, type LstmArchitecture } from './lstm.ts';
import { ConvAutoencoder, type ConvArchitecture } from './conv.ts';

export const MODEL_KINDS = ['dense', 'vae', 'lstm', 'conv'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export function createAutoencoder(arch: Architecture, seed: number): Autoencoder {
  switch (arch.kind) {
    case 'dense': return new DenseAutoencoder(arch as DenseArchitecture, seed);
    case 'vae': return new VariationalAutoencoder(arch as VaeArchitecture, seed);
    case 'lstm': return new LstmAutoencoder(arch as LstmArchitecture, seed);
    case 'conv': return new ConvAutoencoder(arch as ConvArchitecture, seed);
    default: throw new Error(`unknown model kind "${arch.kind}" (known: ${MODEL_KINDS.join(', ')})`);
  }
}
