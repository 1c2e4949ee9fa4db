// A few seeded Adam steps of the default dense autoencoder on ECG5000's normal training beats,
// and a digest of the resulting weights (bit-exact comparison across processes).

import { Adam, Tensor, createRng } from '../../src/index.ts';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import type { Autoencoder } from '../../src/autoencoders/autoencoder.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { matrixOf } from '../../src/training/pipeline.ts';
import { selectRows } from '../../src/data/dataset.ts';

const TRAIN = new URL('../../../shared/data/ecg5000/ECG5000_TRAIN.txt', import.meta.url).pathname;

export function seededSteps(steps: number, kind: 'dense' | 'lstm' | 'conv' = 'dense', batch = 32): Autoencoder {
  const beats = matrixOf(selectRows(loadBeatFile(TRAIN), (label) => label === '1'));
  const model = createAutoencoder(defaultArchitecture(kind, beats.length), 7);
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const rng = createRng('wasm-steps');
  for (let s = 0; s < steps; s++) {
    const start = (s * batch) % (beats.n - batch);
    const x = beats.data.slice(start * beats.length, (start + batch) * beats.length);
    opt.zeroGrad();
    model.loss(new Tensor(x, [batch, beats.length]), { rng, epoch: 1 }).backward();
    opt.step();
  }
  return model;
}

export function weightDigest(model: Autoencoder): string {
  let h = 0x811c9dc5;
  for (const p of model.parameters()) {
    const bytes = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
