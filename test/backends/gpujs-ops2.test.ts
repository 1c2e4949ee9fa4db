// Issue 27's ops against PyTorch 1.13 (every case of torch-reference-ops2.json and its MLP
// classifier) on the gpujs backend, for each gpu.js mode under test (gpujs-setup.ts).
// Which of them run gpu.js kernels: gelu (both forms) and the compositions over the backend's
// unary/binary/reduce calls (mean, softmax, logSoftmax, and crossEntropy through logSoftmax).
// sin and cos go to the CPU kernel inside the gpujs backend (WebGL's were 1.7e-4 off, see
// src/backends/gpujs/index.ts); the fused ops (clamp, bceWithLogits, l1/smoothL1, layerNorm,
// batchNorm1d, max) compute in the engine's own TypeScript loops on every backend.
// docs/backends.md lists the same; USES_GPU_KERNELS holds the test to it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend, setBackend } from '../../src/index.ts';
import { createGpujsBackend, type GpujsBackend } from '../../src/backends/gpujs/index.ts';
import { checkMlpClassifier, checkOps2Case, OPS2_CASES } from '../helpers/ops2-cases.ts';
import { modesUnderTest } from './gpujs-setup.ts';

// Cases whose forward or backward must reach a gpu.js kernel (on a fresh backend); the rest are
// engine loops, which need none. Checked so the docs table cannot drift from the code.
const USES_GPU_KERNELS = new Set(['gelu_erf', 'gelu_tanh', 'mean_all', 'softmax_dim1', 'log_softmax_dim1',
  'cross_entropy_mean']);

for (const mode of modesUnderTest()) {
  describe(`gpujs:${mode}: ops2 match PyTorch forward and backward`, () => {
    let gpu: GpujsBackend;
    beforeAll(async () => { gpu = await createGpujsBackend({ mode }); });
    afterAll(() => { setBackend(createCpuBackend()); gpu?.destroy(); });

    for (const name of Object.keys(OPS2_CASES)) {
      it(name, async () => {
        const fresh = await createGpujsBackend({ mode });
        try {
          setBackend(fresh);
          checkOps2Case(name);
          expect(fresh.kernelCount > 0, `${name} ran gpu.js kernels`).toBe(USES_GPU_KERNELS.has(name));
        } finally {
          setBackend(gpu);
          fresh.destroy();
        }
      });
    }

    it('MLP classifier, 3 Adam steps with cross-entropy', () => {
      setBackend(gpu);
      checkMlpClassifier();
      expect(gpu.kernelCount).toBeGreaterThan(3);
    });
  });
}
