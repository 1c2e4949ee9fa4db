// Compiling the kernel module, and the one question the default backend asks: does WebAssembly
// SIMD work here? The bytes ship inside kernels.generated.ts (no fetch, no fs). The core module is
// 4,073 bytes, under the 4,096 that Chromium allows for a synchronous compile on the main thread, but a
// page should still prefer `initWasmBackend()` (async compile) and a strict CSP without
// 'wasm-unsafe-eval' makes both fail: then the cpu backend runs. The direct conv1d kernels are
// a second module (2.9 kB, importing the core's memory) compiled beside it; where only it cannot
// compile (a host that provides the core module and forbids compiling bytes), conv1d keeps the
// core module's im2row + gemm path: the same sums up to rounding.

import { CONV_KERNELS_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.generated.ts';
import { reselectDefaultBackend } from '../backend.ts';

// WebAssembly's objects typed by what this code uses: the package's .d.ts files then need no
// `WebAssembly` namespace, which a Node-only tsconfig (lib ES20xx + @types/node) does not have.
/** A WebAssembly.Memory. */
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
/** A compiled WebAssembly.Module. */
export type WasmModule = object;

/** The exports of kernels/*.wat (pointers and strides in bytes). */
export interface KernelExports {
  memory: WasmMemory;
  gemm(a: number, b: number, c: number, m: number, k: number, n: number,
       ars: number, acs: number, ldb: number, ldc: number, acc: number): void;
  transpose(src: number, rows: number, cols: number, dst: number, ldd: number): void;
  bias_act(c: number, rows: number, n8: number, ldc: number, bias: number, relu: number): void;
  im2row(x: number, N: number, C: number, L: number, K: number, s: number, p: number, Lout: number, rows: number, ldr: number): void;
  row2im(rows: number, N: number, C: number, L: number, K: number, s: number, p: number, Lout: number, dx: number, ldr: number): void;
  sse(p: number, t: number, n: number): number;
  mse_backward(p: number, t: number, g: number, n: number, k: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, b1: number, b2: number,
       wd: number, step: number, ib2: number, eps: number): void;
  /** op 0: sigmoid, 1: tanh, 2: exp (n a multiple of 4); for the tests of the LSTM's activations. */
  activation(x: number, out: number, n: number, op: number): void;
  lstm_forward(gates: number, wt: number, cs: number, tc: number, hs: number,
               T: number, b4: number, H: number, hp: number): void;
  lstm_backward(gy: number, gates: number, cs: number, tc: number, whh: number, da: number,
                dh: number, dc: number, T: number, b4: number, hp: number): void;
}

/** The exports of kernels/conv-module.wat (pointers and strides in bytes), on the core's memory. */
export interface ConvKernelExports {
  conv_direct(x: number, xsn: number, lx: number, cin: number, w: number, bias: number,
              y: number, ysn: number, ly: number, cout: number, K: number, T: number, N: number, relu: number): void;
  conv_wgrad(x: number, xsn: number, lx: number, cin: number, g: number, gsn: number, lg: number,
             cout: number, K2: number, T: number, N: number, dw: number): void;
  relu_mask(g: number, y: number, n: number): void;
  /** out[j] += Σ_rows g[r, j] for j < n, rows in order (n a multiple of 4, ld in bytes). */
  col_sum(g: number, rows: number, n: number, ld: number, out: number): void;
  /** Rows of `bytes` at p moved in place from row stride `from` to `to` (all in bytes). */
  restride(p: number, rows: number, from: number, to: number, bytes: number): void;
  /** Max-pool by 2 of rows (P a multiple of 4): y the pair maxima, s the picks (1: the second). */
  max_pool2(x: number, lx: number, rows: number, P: number, y: number, s: number, ly: number): void;
  /** The pool's backward through its ReLU: dy to each pair's pick where y > 0, into rows lg bytes apart. */
  unpool2(dy: number, y: number, s: number, ld: number, rows: number, P: number, g: number, lg: number): void;
  /** out[r, 2i] = a[r, i], out[r, 2i + 1] = b[r, i] (i < P, a multiple of 4; strides in bytes). */
  zip2(a: number, b: number, ld: number, rows: number, P: number, out: number, lo: number): void;
  /** a[r, i] = src[r, 2i], b[r, i] = src[r, 2i + 1] (i < P, a multiple of 4; strides in bytes). */
  unzip2(src: number, ls: number, rows: number, P: number, a: number, b: number, la: number): void;
  /** Packed rows of lb bytes at base laid out in place as rows of lxb bytes, data at byte pb, zeros around. */
  pad_rows(base: number, rows: number, lb: number, lxb: number, pb: number): void;
}

export type WasmSupport = { ok: true; module: WasmModule } | { ok: false; reason: string };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 to bytes, without atob (a Web API that plain ECMAScript engines lack). */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const digits = b64.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((digits.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = BASE64.indexOf(digits[i]);
    if (d < 0) throw new Error(`kernel bytes: '${digits[i]}' at ${i} is not a base64 digit`);
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  return out;
}

export function kernelBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(KERNELS_WASM_BASE64);
}

let cached: WasmSupport | null = null;
let convCached: WasmModule | null | undefined;

/** The conv module compiled (synchronously, once), or null where compiling bytes is refused. */
function convModule(): WasmModule | null {
  if (convCached !== undefined) return convCached;
  try {
    return (convCached = new WebAssembly.Module(decodeBase64(CONV_KERNELS_WASM_BASE64)));
  } catch {
    return (convCached = null);
  }
}

/** Why WebAssembly SIMD cannot run here (no WebAssembly, or the f32x4 kernels do not validate), or null. */
function unsupported(bytes: Uint8Array<ArrayBuffer>): string | null {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wa !== 'object' || wa === null || typeof wa.Module !== 'function') return 'this runtime has no WebAssembly';
  if (!WebAssembly.validate(bytes)) return 'this runtime does not support WebAssembly SIMD (the f32x4 kernels do not validate)';
  return null;
}

const blocked = (e: unknown): WasmSupport =>
  ({ ok: false, reason: `WebAssembly compilation is blocked here (${(e as Error).message}); a page needs CSP 'wasm-unsafe-eval'` });

/** Synchronous check + compile (Node, workers, small modules on a page); cached. */
export function wasmSupport(): WasmSupport {
  if (cached) return cached;
  const bytes = kernelBytes();
  const why = unsupported(bytes);
  if (why) return (cached = { ok: false, reason: why });
  try {
    return (cached = { ok: true, module: new WebAssembly.Module(bytes) });
  } catch (e) {
    // Not cached: wasmSupportAsync may still compile (a page's main thread refuses synchronous
    // compiles of modules over 4 KB whatever its CSP says).
    return blocked(e);
  }
}

/** Asynchronous compile, for browser main threads; fills the same cache. */
export async function wasmSupportAsync(): Promise<WasmSupport> {
  if (cached) return cached;
  const bytes = kernelBytes();
  const why = unsupported(bytes);
  if (why) return (cached = { ok: false, reason: why });
  try {
    const module = await WebAssembly.compile(bytes);
    if (convCached === undefined) {
      try { convCached = await WebAssembly.compile(decodeBase64(CONV_KERNELS_WASM_BASE64)); } catch { convCached = null; }
    }
    return (cached = { ok: true, module });
  } catch (e) {
    return (cached = blocked(e));
  }
}

/**
 * Use `module`, a WebAssembly.Module of the package's kernels.wasm compiled by the host (workerd
 * imports .wasm files as modules; a strict CSP may allow only that), instead of compiling bytes.
 * Checked by instantiating it once; the default backend is chosen again with it.
 */
export function provideWasmModule(module: WasmModule): void {
  try {
    instantiate(module);
  } catch (e) {
    throw new Error(`wasmModule is not a WebAssembly.Module of cardiograd's kernels: ${(e as Error).message}`);
  }
  cached = { ok: true, module };
  reselectDefaultBackend();
}

export function instantiate(module: WasmModule): KernelExports {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wa !== 'object' || wa === null) throw new Error('this runtime has no WebAssembly');
  const exports = new WebAssembly.Instance(module as WebAssembly.Module, {}).exports as Partial<KernelExports>;
  if (typeof exports.gemm !== 'function' || typeof exports.memory !== 'object') throw new Error('it exports no gemm kernel');
  return exports as KernelExports;
}

/** The conv module instantiated on `memory` (the core instance's), or null where it cannot compile. */
export function instantiateConv(memory: WasmMemory): ConvKernelExports | null {
  const module = convModule();
  if (!module) return null;
  const exports = new WebAssembly.Instance(module as WebAssembly.Module, { core: { memory } }).exports as Partial<ConvKernelExports>;
  if (typeof exports.conv_direct !== 'function' || typeof exports.conv_wgrad !== 'function') throw new Error('the conv module exports no conv_direct kernel');
  return exports as ConvKernelExports;
}
