// The default-backend registration (a side-effect module: the entry points import it).
// Default: the wasm backend wherever WebAssembly SIMD compiles, otherwise the cpu backend's
// TypeScript kernels. `--backend` (src/cli/backend-flags.ts) or setBackend() choose explicitly.

import { registerDefaultBackend, type Backend } from '../backend.ts';
import { createCpuBackend } from './backend.ts';
import { createWasmBackend, wasmSupport } from '../wasm/index.ts';

export { createCpuBackend } from './backend.ts';

/** wasm where it compiles, else cpu (never an error: the cpu kernels run everywhere). */
export function createDefaultBackend(): Backend {
  return wasmSupport().ok ? createWasmBackend() : createCpuBackend();
}

registerDefaultBackend(createDefaultBackend);
