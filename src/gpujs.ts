// cardiograd/gpujs: the optional gpu.js backend. gpu.js is an optional peer dependency, loaded
// with a dynamic import only when createGpujsBackend() is called (or passed in by a page).
//
//   import { setBackend } from 'cardiograd';
//   import { createGpujsBackend } from 'cardiograd/gpujs';
//   setBackend(await createGpujsBackend({ mode: 'webasm' }));

export { createGpujsBackend, type GpujsBackend, type GpujsBackendOptions, type GpujsMode } from './backends/gpujs/index.ts';
