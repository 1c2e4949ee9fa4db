// End to end: a few Adam steps of Linear→ReLU→Linear on the gpujs backend give the same
// parameters as on the CPU backend (within 1e-4), for each gpu.js mode under test.

import { afterEach, describe, expect, it } from 'vitest';
import { Adam, createCpuBackend, Linear, mseLoss, randNormal, ReLU, Sequential, setBackend,
  type Backend } from '../../src/index.ts';
import { createGpujsBackend } from '../../src/backends/gpujs/index.ts';
import { expectClose } from '../helpers/reference.ts';
import { modesUnderTest } from './gpujs-setup.ts';

/** Trains a fresh seeded model for `steps` steps on `backend`; returns its parameters. */
function train(backend: Backend, steps: number): Float32Array[] {
  setBackend(backend);
  const model = new Sequential(new Linear(140, 32, { seed: 1 }), new ReLU(), new Linear(32, 140, { seed: 2 }));
  const opt = new Adam(model.parameters(), { lr: 1e-3, weightDecay: 1e-4 });
  const x = randNormal([16, 140], 3); // a batch of 16 "beats" of 140 samples
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    mseLoss(model.forward(x), x).backward();
    opt.step();
  }
  return model.parameters().map((p) => p.data.slice());
}

describe('training on gpujs matches training on the CPU', () => {
  afterEach(() => setBackend(createCpuBackend()));

  for (const mode of modesUnderTest()) {
    it(`gpujs:${mode}, 5 Adam steps of Linear→ReLU→Linear`, async () => {
      const want = train(createCpuBackend(), 5);
      const gpu = await createGpujsBackend({ mode });
      try {
        const got = train(gpu, 5);
        expect(gpu.kernelCount, 'the model really ran on gpu.js kernels').toBeGreaterThan(5);
        got.forEach((p, i) => expectClose(p, want[i], `${mode} parameter ${i}`, 1e-4, 1e-4));
      } finally {
        gpu.destroy();
      }
    });
  }
});
