// The wasm backend: WebAssembly SIMD (f32x4) kernels where they pay, the cpu backend's
// TypeScript kernels (the readable reference, see ../cpu/) everywhere else.
//
//   kernel             runs in            why
//   matmul nn/tn/nt    wasm (kernels/matmul.wat gemm, 4x8 tile)   the hot path: see docs/benchmarks.md
//   linearForward      wasm (gemm + bias_act)  x·Wᵀ + b (+ ReLU) before the copy out
//   linearBackward     wasm (two gemms; relu_mask, col_sum)   dx, dW, db in one call
//   mseLoss / backward wasm (sse, mse_backward)
//   adamUpdate         wasm (adam)
//   unary              TS (cpu)           memory-bound: copying in and out costs what SIMD saves
//                                         (wasm has no exp instruction; the LSTM's own is a polynomial)
//   binary             TS (cpu)           same: one pass over the data, no arithmetic to speed up
//   sumToShape         wasm (col_sum) for [rows, C] → [C] from 256 values (the LSTM's bias
//                      gradients), TS (cpu) otherwise
//   lstmForward/Backward  wasm (lstm_forward, lstm_backward)   the whole recurrence in one call:
//                      per-step matmul + gate math; σ/tanh via a polynomial eˣ (Cephes, ~2e-7)
//   conv1dForward/Backward  wasm, stride 1 and ≤ 64 channels: direct kernels (conv-direct.wat,
//                      a second module on the same memory) from the zero-padded input;
//                      otherwise (im2row, row2im, gemm), the batch's row matrix built in wasm
//   conv1d → ReLU → max-pool 2  wasm on the direct path (conv-pool.wat: max_pool2 on the conv's rows in
//                      linear memory, unpool2 into the backward's dy rows), else composed on the above
//   convTranspose1d, pooling, upsampling  TS, on this backend's matmul (not on a hot path here)
//
// The four conv1d methods are attached by ./conv-methods.ts when it is imported (src/nn/conv.ts
// does), so a page scoring dense models only carries no conv1d wrappers; until then they are the
// composed defaults (src/backends/complete.ts) on this backend's matmul.
//
// Sync creation (`createWasmBackend`, used by the default in Node and workers) compiles the
// module synchronously; browser pages should `await initWasmBackend()` first (async compile).

import type { Backend, CompleteBackend } from '../backend.ts';
import { binary, unary } from '../cpu/elementwise.ts';
import { Arena } from './arena.ts';
import { wasmAdamUpdate, wasmMseLoss, wasmMseLossBackward } from './loss-adam.ts';
import { wasmMatmul } from './matmul.ts';
import { wasmLinearBackward } from './linear.ts';
import { wasmSumToShape } from './sum-rows.ts';
import { completeBackend } from '../complete.ts';
import { wasmLstmBackward, wasmLstmForward } from './lstm.ts';
import { instantiate, instantiateConv, wasmSupport, wasmSupportAsync, type ConvKernelExports, type KernelExports, type WasmSupport } from './module.ts';

export { wasmSupport, type WasmSupport } from './module.ts';

/** The conv1d methods conv-methods.ts makes for one backend, on its instances and arena. */
export type WasmConvMethods = Pick<CompleteBackend, 'conv1dForward' | 'conv1dBackward' | 'conv1dReluPoolForward' | 'conv1dReluPoolBackward'>;
export type WasmConvFactory = (kx: KernelExports, kc: ConvKernelExports | null, arena: Arena, backend: CompleteBackend) => WasmConvMethods;

let convFactory: WasmConvFactory | null = null;

/** Called once by conv-methods.ts: every wasm backend, made before or after, runs conv1d on these. */
export function attachWasmConv(factory: WasmConvFactory): void {
  convFactory = factory;
}

/** Whether conv-methods.ts has been imported (else conv1d runs composed on the wasm matmul). */
export function wasmConvAttached(): boolean {
  return convFactory !== null;
}

function build(support: WasmSupport): Backend {
  if (!support.ok) throw new Error(`the wasm backend is not available: ${support.reason}`);
  const kx = instantiate(support.module);
  const kc = instantiateConv(kx.memory);
  const arena = new Arena(kx.memory, kc ? kc.restride : null);
  const backend = {
    name: 'wasm',
    matmul: (a, b, c, m, k, n, layout, acc) => wasmMatmul(kx, arena, a, b, c, m, k, n, layout, acc),
    linearForward: (x, w, bias, y, rows, inF, outF, relu) =>
      wasmMatmul(kx, arena, x, w, y, rows, inF, outF, 'nt', false, { bias, relu }),
    linearBackward: (x, w, reluOut, gy, dx, dw, db, rows, inF, outF) =>
      wasmLinearBackward(kx, kc, arena, x, w, reluOut, gy, dx, dw, db, rows, inF, outF),
    unary,
    binary,
    sumToShape: (x, xs, out, os) => wasmSumToShape(kc, arena, x, xs, out, os),
    mseLoss: (p, t) => wasmMseLoss(kx, arena, p, t),
    mseLossBackward: (p, t, s, g) => wasmMseLossBackward(kx, arena, p, t, s, g),
    adamUpdate: (p, g, m, v, h) => wasmAdamUpdate(kx, arena, p, g, m, v, h),
    lstmForward: (g, w, c, tc, h, T, B, H) => wasmLstmForward(kx, arena, g, w, c, tc, h, T, B, H),
    lstmBackward: (gy, g, c, tc, w, da, T, B, H) => wasmLstmBackward(kx, arena, gy, g, c, tc, w, da, T, B, H),
  } as CompleteBackend;
  // Without conv-methods.ts: the composed defaults on this backend (made before the dispatchers exist).
  const composed = completeBackend(backend);
  let conv: WasmConvMethods | null = null;
  const convs = (): WasmConvMethods => conv ?? (convFactory ? (conv = convFactory(kx, kc, arena, backend)) : composed);
  backend.conv1dForward = (x, w, b, y, g, relu) => convs().conv1dForward(x, w, b, y, g, relu);
  backend.conv1dBackward = (x, w, gy, dx, dw, db, g, reluOut) => convs().conv1dBackward(x, w, gy, dx, dw, db, g, reluOut);
  backend.conv1dReluPoolForward = (x, w, b, y, sel, g) => convs().conv1dReluPoolForward(x, w, b, y, sel, g);
  backend.conv1dReluPoolBackward = (x, w, gy, y, sel, dx, dw, db, g) => convs().conv1dReluPoolBackward(x, w, gy, y, sel, dx, dw, db, g);
  return backend;
}

/** A new wasm backend (own memory); throws, saying why, where WebAssembly SIMD cannot compile. */
export function createWasmBackend(): Backend {
  return build(wasmSupport());
}

/** Async variant for browser main threads: compiles without blocking, then creates the backend. */
export async function initWasmBackend(): Promise<Backend> {
  return build(await wasmSupportAsync());
}
