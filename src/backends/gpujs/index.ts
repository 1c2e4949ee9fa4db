// The optional gpu.js backend: the same kernels as backends/cpu, written as gpu.js kernels.
//
//   const backend = await createGpujsBackend({ mode: 'webasm' });
//   setBackend(backend);            // every following op runs its kernels through gpu.js
//   ...
//   setBackend(createCpuBackend()); // back to the default
//
// Modes (docs/design.md measured them): 'webasm' (WebAssembly SIMD, anywhere), 'cpu' (gpu.js's JavaScript
// kernels), 'headlessgl' (Node + the native `gl` package + an X display, e.g. xvfb-run),
// 'webgl2' / 'webgl' (browsers). A mode that cannot run here throws; it never falls back.
// 'auto' asks for the first available of headlessgl, webgl2, webgl, webasm (gpu.js's order);
// the backend's name then says which one it got, e.g. 'gpujs:webasm'.
//
// Notes for readers:
// - Every kernel is cached per (op, shape) with sizes baked in as constants, and has a 1-D
//   output: reusing a gpu.js kernel across argument sizes gave wrong results (docs/design.md).
// - The Backend interface passes Float32Arrays in and out, so each call uploads its inputs and
//   reads its result back; keeping intermediates on the device (gpu.js `pipeline: true`)
//   would need tensors that can live on the device, which this interface does not have.
// - Kernels run synchronously: webasm's worker threads and webgl2's non-blocking readback only
//   engage under gpu.js's async contract, and 'webgpu' (always async) cannot be used.
// - Full sums (the MSE loss, sum to a scalar) add chunks on the device and the last few
//   partial sums on the CPU in float64.

import type { AdamHyper, Backend, BinaryOp, MatmulLayout, UnaryOp } from '../backend.ts';
import { adamUpdate } from './adam.ts';
import { BinaryKernels } from './binary.ts';
import { KernelCache } from './kernel-cache.ts';
import { importGpuJs, resolveMode, type GpuJsModule, type GpujsMode } from './load.ts';
import { mseLoss, mseLossBackward } from './loss.ts';
import { matmul } from './matmul.ts';
import { SumKernels } from './reduce.ts';
import { unary } from './unary.ts';
import { unary as cpuUnary } from '../cpu/elementwise.ts';

// sin and cos run on the CPU kernel under gpu.js: WebGL's sin/cos (SwiftShader, Chromium 156)
// were 1.7e-4 relative off on [-6, 6], over the 1e-4 tolerance, with or without range reduction.
const CPU_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['sin', 'cos']);

export type { GpujsMode } from './load.ts';

export interface GpujsBackendOptions {
  mode: GpujsMode | 'auto';
  /**
   * The gpu.js module itself, for pages that load gpu.js's browser build with a script tag
   * (`window.GPU`). Left out, it is loaded with a dynamic import('gpu.js').
   */
  gpujs?: GpuJsModule;
}

export interface GpujsBackend extends Backend {
  readonly mode: GpujsMode;
  /** How many kernels have been compiled so far (one per op and shape). */
  readonly kernelCount: number;
  /** Frees gpu.js's contexts and kernels. The backend must not be used afterwards. */
  destroy(): void;
}

export async function createGpujsBackend(options: GpujsBackendOptions): Promise<GpujsBackend> {
  const gpujs = options.gpujs ?? await importGpuJs();
  const mode = resolveMode(gpujs, options.mode);
  const gpu = new gpujs.GPU({ mode });
  const cache = new KernelCache(gpu, gpujs, mode);
  const binaryKernels = new BinaryKernels(cache);
  const sums = new SumKernels(cache);

  return {
    name: `gpujs:${mode}`,
    mode,
    get kernelCount() { return cache.size; },
    destroy: () => gpu.destroy(),
    matmul: (a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number,
             n: number, layout: MatmulLayout, accumulate: boolean) =>
      matmul(cache, a, b, out, m, k, n, layout, accumulate),
    unary: (op: UnaryOp, x: Float32Array, out: Float32Array, alpha: number) =>
      CPU_UNARY.has(op) ? cpuUnary(op, x, out, alpha) : unary(cache, op, x, out, alpha),
    binary: (op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
             bShape: readonly number[], out: Float32Array, outShape: readonly number[]) =>
      binaryKernels.run(op, a, aShape, b, bShape, out, outShape),
    sumToShape: (x: Float32Array, xShape: readonly number[], out: Float32Array,
                 outShape: readonly number[]) => sums.sumToShape(x, xShape, out, outShape),
    mseLoss: (pred: Float32Array, target: Float32Array) => mseLoss(cache, pred, target),
    mseLossBackward: (pred: Float32Array, target: Float32Array, scale: number,
                      gPred: Float32Array) => mseLossBackward(cache, pred, target, scale, gPred),
    adamUpdate: (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
                 hyper: AdamHyper) => adamUpdate(cache, p, g, m, v, hyper),
  };
}
