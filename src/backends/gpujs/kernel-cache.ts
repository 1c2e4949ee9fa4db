// One compiled gpu.js kernel per (op, shape), kept in a Map.
//
// gpu.js kernels are specialised to their argument sizes: reusing one kernel with arrays of
// another length gave wrong results here (docs/design.md, "gpu.js"). So every key names the op and all the
// sizes involved, sizes are baked in as constants, and each output is 1-D.

import { expectedKernelClass, type GpuInstance, type GpuJsModule, type GpujsMode, type GpuKernel,
  type KernelArg, type KernelSettings } from './load.ts';

export interface KernelSpec {
  /** Kernel source text, e.g. 'function (x, alpha) { return x[this.thread.x] * alpha; }'. */
  source: string;
  /** Type of each parameter, in order: arrays or scalar floats. */
  argumentTypes: Record<string, 'Array' | 'Float'>;
  /** Length of the 1-D output. */
  outputLength: number;
  /** Sizes baked into the kernel, read as this.constants.name. */
  constants?: Record<string, number>;
  /** Longest loop inside the kernel (WebGL 1 unrolls loops up to a fixed bound). */
  maxLoop?: number;
}

/** x itself when it has exactly n elements, else its first n (gpu.js sizes textures by length). */
export function fit(x: Float32Array, n: number): Float32Array {
  if (x.length === n) return x;
  if (x.length < n) throw new Error(`gpujs backend: array of ${x.length} elements, expected ${n}`);
  return x.subarray(0, n);
}

export class KernelCache {
  private readonly kernels = new Map<string, GpuKernel>();
  private readonly checked = new Set<string>();

  constructor(private readonly gpu: GpuInstance, private readonly gpujs: GpuJsModule,
              private readonly mode: GpujsMode) {}

  get size(): number { return this.kernels.size; }

  /** Runs the kernel cached under `key` (building it with `spec()` the first time). */
  run(key: string, spec: () => KernelSpec, ...args: KernelArg[]): Float32Array {
    let kernel = this.kernels.get(key);
    let expectedLength = -1;
    if (!kernel) {
      const s = spec();
      const settings: KernelSettings = {
        output: [s.outputLength], argumentTypes: s.argumentTypes, constants: s.constants,
        precision: 'single', tactic: 'precision', loopMaxIterations: (s.maxLoop ?? 0) + 1,
      };
      kernel = this.gpu.createKernel(s.source, settings);
      this.kernels.set(key, kernel);
      expectedLength = s.outputLength;
    }
    const result = kernel(...args);
    if (!this.checked.has(key)) this.checkFirstRun(key, kernel, result, expectedLength);
    return result;
  }

  /** gpu.js may quietly run its cpu kernel instead of the one asked for: refuse that. */
  private checkFirstRun(key: string, kernel: GpuKernel, result: Float32Array, length: number): void {
    const wanted = expectedKernelClass(this.gpujs, this.mode);
    const built = kernel.kernel;
    if (!(built instanceof wanted) || built.fallbackReason) {
      throw new Error(`gpujs backend: kernel '${key}' did not run in mode '${this.mode}'` +
        (built.fallbackReason ? `: ${built.fallbackReason}` : ''));
    }
    if (!(result instanceof Float32Array) || (length >= 0 && result.length !== length)) {
      throw new Error(`gpujs backend: kernel '${key}' returned ${result?.constructor?.name} of ` +
        `length ${(result as { length?: number })?.length}, expected a Float32Array of ${length}`);
    }
    this.checked.add(key);
  }
}
