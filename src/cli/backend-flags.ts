// --backend auto|cpu|wasm|gpujs and --gpu-mode for every command. auto (the default) is wasm
// wherever WebAssembly SIMD compiles, else cpu. gpu.js is imported only when asked for, and an
// unavailable backend or mode asked for by name is an error, never a silent switch to another one.

import { getBackend, setBackend } from '../backends/backend.ts';
import { createCpuBackend } from '../backends/cpu/index.ts';
import { createWasmBackend, wasmSupport } from '../backends/wasm/index.ts';
import { UserError, type OptionSpec } from './args.ts';

export const GPU_MODES = ['auto', 'webasm', 'headlessgl', 'webgl2', 'cpu'] as const;
export const BACKENDS = ['auto', 'cpu', 'wasm', 'gpujs'] as const;

export const BACKEND_OPTIONS: Record<string, OptionSpec> = {
  backend: { type: 'string', value: BACKENDS.join('|'), description: 'kernel backend (auto: wasm where WebAssembly SIMD compiles, else cpu)', default: 'auto' },
  'gpu-mode': { type: 'string', value: 'MODE', description: `gpu.js mode with --backend gpujs: ${GPU_MODES.join(', ')}`, default: 'auto' },
};

/** Installs the chosen backend and returns its name as printed to the user. */
export async function selectBackend(values: Record<string, string | boolean | undefined>,
                                    log: (msg: string) => void): Promise<string> {
  const backend = values.backend;
  if (backend === 'auto' || backend === undefined) {
    return getBackend().name;
  }
  if (backend === 'cpu') { setBackend(createCpuBackend()); return 'cpu'; }
  if (backend === 'wasm') {
    const support = wasmSupport();
    if (!support.ok) throw new UserError(`--backend wasm is not available here: ${support.reason}`);
    setBackend(createWasmBackend());
    log('backend: wasm');
    return 'wasm';
  }
  if (backend !== 'gpujs') throw new UserError(`--backend must be one of ${BACKENDS.join(', ')}; got "${backend}"`, 2);
  const mode = values['gpu-mode'];
  if (typeof mode !== 'string' || !(GPU_MODES as readonly string[]).includes(mode)) {
    throw new UserError(`--gpu-mode must be one of ${GPU_MODES.join(', ')}; got "${mode}"`, 2);
  }
  let gpujs;
  try {
    gpujs = await import('../backends/gpujs/index.ts');
  } catch (e) {
    throw new UserError(`--backend gpujs is not available: ${(e as Error).message}`);
  }
  try {
    const b = await gpujs.createGpujsBackend({ mode: mode as (typeof GPU_MODES)[number] });
    setBackend(b);
    log(`backend: ${b.name}`);
    return b.name;
  } catch (e) {
    throw new UserError(`gpu.js mode "${mode}" is not available here: ${(e as Error).message}`);
  }
}
