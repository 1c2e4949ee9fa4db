// The whole dense chain forward in wasm, for scoring: x [n, L] → Linear(+ReLU) → … → x̂ [n, L],
// then each beat's mean((x − x̂)²), without leaving linear memory between the layers. The
// per-op path (one linearForward per layer) copies every operand in and out and transposes W
// at each layer; here, per call, each W [out,in] is copied in and transposed once into
// [in, out16], or not transposed again when its bits equal those this chain transposed on its
// last call on this memory (same_bits on a kept copy; so a changed weight is always seen, and a
// call at batch 1 is not mostly a transpose), and then every block of up to BLOCK beats
// runs all the layers on activations that stay in memory: gemm with bias and ReLU fused at the
// store (score-module.wat gemm_bias_act; the core's gemm then bias_act where that module cannot
// compile), and sse per beat.
//   memory: Wᵀ_l [in_l, out16_l], bias_l [out16_l] (zero-padded), W_l as last transposed, staging for W, then the input
//   block X [m4, L] and two activation buffers [m4, max out16] used in turn.
// Padding rows and columns are never read into a kept value (SIMD lanes and rows never mix).
// twin: src/detect/scoring.ts reconstructionErrors on the cpu backend (Linear, ReLU, the error loop)

import type { Arena } from './arena.ts';
import { SCORE_KERNELS_WASM_BASE64 } from './kernels.generated.ts';
import { decodeBase64, type KernelExports, type WasmMemory } from './module.ts';

/** The exports of kernels/score-module.wat (pointers in bytes), on the core's memory. */
export interface ScoreKernelExports {
  scale_rows(x: number, rows: number, L: number, off: number, sc: number): void;
  /** The core's gemm (acc 0) with bias_act's epilogue done in registers. */
  gemm_bias_act(a: number, b: number, c: number, m: number, k: number, n: number,
                ars: number, acs: number, ldb: number, ldc: number, bias: number, relu: number): void;
  /** 1 when n floats at a and b have the same bits, else 0. */
  same_bits(a: number, b: number, n: number): number;
}

/** The score module instantiated on `memory` (the core instance's), or null where it cannot compile. */
export function instantiateScore(memory: WasmMemory): ScoreKernelExports | null {
  try {
    const module = new WebAssembly.Module(decodeBase64(SCORE_KERNELS_WASM_BASE64));
    return new WebAssembly.Instance(module, { core: { memory } }).exports as unknown as ScoreKernelExports;
  } catch {
    return null;
  }
}

/** Per-sample scaling applied on the way in: x' = (x − offset) / scale, in float64 (detect/scaler.ts). */
export interface ChainScaling { offset: Float64Array; scale: Float64Array }

/** One layer: y = x·Wᵀ + b, then ReLU (x > 0 ? x : 0) when relu. */
export interface ChainLayer { weight: Float32Array; bias: Float32Array | null; inF: number; outF: number; relu: boolean }

/** Beats per block: the activations of a block stay in cache. */
const BLOCK = 256;

/** Layer outputs padded to the score gemm's 16 columns (Wᵀ's padding columns hold whatever was there: the next layer reads inF columns, sse L). */
const pad16 = (n: number) => (n + 15) & ~15;

/**
 * Mean squared reconstruction error per beat [n] of the dense chain `layers` (first inF = last
 * outF = L) on beats [n, L], scaled first when `scaling` is given: by the score module's
 * scale_rows where `sk` is there, else by the same arithmetic in TypeScript.
 */
export function denseChainErrors(kx: KernelExports, sk: ScoreKernelExports | null, arena: Arena, layers: readonly ChainLayer[],
                                 beats: Float32Array, n: number, L: number, scaling: ChainScaling | null): Float32Array {
  const errors = new Float32Array(n);
  if (n === 0) return errors;
  const rowsMax = Math.min(BLOCK, (n + 3) & ~3), m4Max = (rowsMax + 3) & ~3;
  const widest = Math.max(...layers.map((l) => pad16(l.outF)));
  // The weight regions come first and depend on the layer shapes only, so a call with the same
  // owner (these shapes) finds them where its last call left them, unless another layout came between.
  // Only with same_bits (sk) is anything kept: a call without it leaves the layout unowned.
  const kept = arena.reset(sk ? `dense-chain ${layers.map((l) => `${l.outF}x${l.inF}`).join(' ')}` : undefined);
  const wAt = layers.map((l) => arena.take(l.inF * pad16(l.outF)));
  const bAt = layers.map((l) => arena.take(pad16(l.outF)));
  const lastAt = layers.map((l) => arena.take(l.inF * l.outF)); // W_l [out, in] as last transposed
  const stageAt = arena.take(Math.max(...layers.map((l) => l.inF * l.outF)));
  const xAt = arena.take(m4Max * L + 4);
  const hAt = [arena.take(m4Max * widest), arena.take(m4Max * widest)];
  const offAt = arena.take(2 * L), scAt = arena.take(2 * L); // f64 [L] each
  arena.commit();
  const f32 = arena.f32;
  if (scaling && sk) {
    const f64 = new Float64Array(f32.buffer);
    f64.set(scaling.offset, offAt / 2);
    for (let t = 0; t < L; t++) f64[scAt / 2 + t] = 1 / scaling.scale[t];
  }
  layers.forEach((l, i) => {
    const o16 = pad16(l.outF), size = l.outF * l.inF;
    f32.set(l.weight.subarray(0, size), stageAt);
    if (!(kept && sk && sk.same_bits(stageAt * 4, lastAt[i] * 4, size))) {
      kx.transpose(stageAt * 4, l.outF, l.inF, wAt[i] * 4, o16 * 4); // [out,in] → [in, out16]
      if (sk) f32.copyWithin(lastAt[i], stageAt, stageAt + size);
    }
    f32.fill(0, bAt[i], bAt[i] + o16);
    if (l.bias) f32.set(l.bias.subarray(0, l.outF), bAt[i]);
  });
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const rows = Math.min(BLOCK, n - b0), m4 = (rows + 3) & ~3;
    const src = beats.subarray(b0 * L, (b0 + rows) * L);
    if (!scaling) f32.set(src, xAt);
    else if (sk) { f32.set(src, xAt); sk.scale_rows(xAt * 4, rows, L, offAt * 4, scAt * 4); }
    else scaleInTs(src, f32, xAt, L, scaling);
    let inAt = xAt, inStride = L;
    layers.forEach((l, i) => {
      const o16 = pad16(l.outF), outAt = hAt[i & 1];
      if (sk) sk.gemm_bias_act(inAt * 4, wAt[i] * 4, outAt * 4, m4, l.inF, o16, inStride * 4, 4, o16 * 4, o16 * 4, bAt[i] * 4, l.relu ? 1 : 0);
      else {
        kx.gemm(inAt * 4, wAt[i] * 4, outAt * 4, m4, l.inF, o16, inStride * 4, 4, o16 * 4, o16 * 4, 0);
        kx.bias_act(outAt * 4, rows, o16, o16 * 4, bAt[i] * 4, l.relu ? 1 : 0);
      }
      inAt = outAt; inStride = o16;
    });
    for (let r = 0; r < rows; r++) errors[b0 + r] = kx.sse((inAt + r * inStride) * 4, (xAt + r * L) * 4, L) / L;
  }
  return errors;
}

/** scale_rows' TS twin (a multiply by 1 / scale, as there), writing into dst at float index `at`. */
function scaleInTs(src: Float32Array, dst: Float32Array, at: number, L: number, { offset, scale }: ChainScaling): void {
  const inv = Float64Array.from(scale, (s) => 1 / s);
  for (let i = 0; i < src.length; i += L) {
    for (let t = 0; t < L; t++) dst[at + i + t] = (src[i + t] - offset[t]) * inv[t];
  }
}

/** same_bits' TS twin: a and b hold the same bits (NaN payloads and the sign of zero included). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length), y = new Int32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
