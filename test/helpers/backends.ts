// Runs a block of tests once per kernel backend (cpu: the TS reference kernels; wasm: the
// WebAssembly SIMD kernels), switching the global backend around each block.

import { afterAll, beforeAll, describe } from 'vitest';
import { getBackend, setBackend, type Backend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import '../../src/backends/wasm/conv-methods.ts'; // the wasm backend's conv1d kernels (else composed on its matmul)

export const TEST_BACKENDS = { cpu: createCpuBackend, wasm: createWasmBackend } as const;
export type TestBackendName = keyof typeof TEST_BACKENDS;

export function forEachBackend(body: (name: TestBackendName) => void): void {
  for (const name of Object.keys(TEST_BACKENDS) as TestBackendName[]) {
    describe(`[${name} backend]`, () => {
      let before: Backend;
      beforeAll(() => { before = getBackend(); setBackend(TEST_BACKENDS[name]()); });
      afterAll(() => setBackend(before));
      body(name);
    });
  }
}
