// Loading gpu.js lazily and checking that the requested mode really exists here.
//
// gpu.js is an optionalDependency: the CPU engine never needs it, and nothing imports it
// statically. It compiles kernels from source text at run time (new Function on its cpu mode,
// shader compilers on GL), which is why it stays outside the engine's core.
//
// We describe the small part of gpu.js we use with local types, so the project type-checks
// whether or not the optional package is installed.

/** Modes this backend accepts. 'webgpu' is recognised only to explain why it cannot work. */
export type GpujsMode = 'cpu' | 'webasm' | 'headlessgl' | 'webgl2' | 'webgl';

/** What a kernel call accepts: flat arrays and scalar uniforms. */
export type KernelArg = Float32Array | number;

/** A compiled kernel: call it, get a fresh 1-D Float32Array back. */
export interface GpuKernel {
  (...args: KernelArg[]): Float32Array;
  /** The backend kernel gpu.js actually built (it may fall back to its cpu kernel; we check). */
  kernel: object & { fallbackReason?: string | null };
}

export interface KernelSettings {
  output: [number];
  constants?: Record<string, number>;
  argumentTypes: Record<string, 'Array' | 'Float'>;
  precision: 'single';
  tactic: 'precision';
  loopMaxIterations?: number;
}

export interface GpuInstance {
  createKernel(source: string, settings: KernelSettings): GpuKernel;
  destroy(): void;
}

type KernelClass = abstract new (...args: never[]) => object;

export interface GpuJsModule {
  GPU: {
    new (settings: { mode: string }): GpuInstance;
    readonly isWebAssemblySupported: boolean;
    readonly isHeadlessGLSupported: boolean;
    readonly isWebGL2Supported: boolean;
    readonly isWebGLSupported: boolean;
  };
  CPUKernel: KernelClass;
  WebAssemblyKernel: KernelClass;
  HeadlessGLKernel: KernelClass;
  WebGL2Kernel: KernelClass;
  WebGLKernel: KernelClass;
}

/** Imports the optional gpu.js package, or throws an error that says how to install it. */
export async function importGpuJs(): Promise<GpuJsModule> {
  // A variable specifier keeps TypeScript and bundlers from resolving the optional package.
  const specifier = 'gpu.js';
  let mod: Partial<GpuJsModule> & { default?: GpuJsModule };
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch (e) {
    throw new Error(
      `gpujs backend: the optional package gpu.js could not be loaded (${(e as Error).message}). ` +
      'It is an optionalDependency of cardiograd: run `npm install` without --omit=optional.');
  }
  // gpu.js is CommonJS: Node exposes its exports as named exports and as `default`.
  const gpujs = (mod.GPU ? mod : mod.default) as GpuJsModule | undefined;
  if (!gpujs?.GPU) throw new Error('gpujs backend: the gpu.js package has no GPU export');
  return gpujs;
}

/** The gpu.js kernel class each mode must end up running (its cpu fallback does not count). */
export function expectedKernelClass(gpujs: GpuJsModule, mode: GpujsMode): KernelClass {
  switch (mode) {
    case 'cpu': return gpujs.CPUKernel;
    case 'webasm': return gpujs.WebAssemblyKernel;
    case 'headlessgl': return gpujs.HeadlessGLKernel;
    case 'webgl2': return gpujs.WebGL2Kernel;
    case 'webgl': return gpujs.WebGLKernel;
  }
}

/** The order 'auto' tries, gpu.js's own: a GL context first, then WebAssembly. */
export const AUTO_ORDER: readonly GpujsMode[] = ['headlessgl', 'webgl2', 'webgl', 'webasm'];

/**
 * The mode to use for a request: the mode itself, checked; or for 'auto', the first mode in
 * AUTO_ORDER that is available here. A named mode that cannot run throws; it never falls back.
 */
export function resolveMode(gpujs: GpuJsModule, requested: string): GpujsMode {
  if (requested !== 'auto') {
    checkModeAvailable(gpujs, requested);
    return requested;
  }
  for (const mode of AUTO_ORDER) {
    try { checkModeAvailable(gpujs, mode); return mode; } catch { /* try the next one */ }
  }
  throw new Error(`gpujs backend: mode 'auto' found none of ${AUTO_ORDER.join(', ')} available`);
}

/** Throws a clear error when `mode` cannot run here. Never picks another mode instead. */
export function checkModeAvailable(gpujs: GpuJsModule, mode: string): asserts mode is GpujsMode {
  const { GPU } = gpujs;
  const why = (reason: string): never => {
    throw new Error(`gpujs backend: mode '${mode}' is not available: ${reason}`);
  };
  switch (mode) {
    case 'cpu':
      return;
    case 'webasm':
      if (!GPU.isWebAssemblySupported) why('this runtime has no WebAssembly (SIMD) support');
      return;
    case 'headlessgl':
      if (!GPU.isHeadlessGLSupported) {
        why('headless-gl could not create a context. It needs the optional native package `gl` ' +
            '(built by node-gyp: allowScripts in package.json, Debian packages libxi-dev ' +
            'libglu1-mesa-dev libglew-dev pkg-config) and an X display (run under `xvfb-run -a`).');
      }
      return;
    case 'webgl2':
      if (!GPU.isWebGL2Supported) why('no WebGL2 context here (it exists only in a browser)');
      return;
    case 'webgl':
      if (!GPU.isWebGLSupported) why('no WebGL context here (it exists only in a browser)');
      return;
    case 'webgpu':
      why('gpu.js webgpu kernels always return Promises, and the Backend interface is ' +
          'synchronous (Float32Array in, Float32Array out)');
      return;
    default:
      why("unknown mode; use one of 'webasm', 'cpu', 'headlessgl', 'webgl2', 'webgl'");
  }
}
