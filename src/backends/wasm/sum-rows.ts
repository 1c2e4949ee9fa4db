// sumToShape's bias-gradient case, out [C] += Σ_rows x [rows, C], on the col_sum kernel (conv
// module) for arrays large enough that the copy in pays (the LSTM's gate biases: [T·B, 4H]; the
// conv bias gradients when a backend composes them);
// everything else, and every shape where the conv module is missing, on the TS kernel (the twin:
// src/backends/cpu/elementwise.ts sumToShape, which adds the rows in the same order in f32).

import { sumToShape } from '../cpu/elementwise.ts';
import type { Arena } from './arena.ts';
import type { ConvKernelExports } from './module.ts';

/** Below this many values the TS loop is as fast as copying in (measured at load 4.6: even at 128, 2x at 256, 6x at 2,048). */
export const WASM_SUM_ROWS_MIN = 256;

export function wasmSumToShape(kc: ConvKernelExports | null, arena: Arena, x: Float32Array, xShape: readonly number[],
                               out: Float32Array, outShape: readonly number[]): void {
  const n = x.length, C = xShape[xShape.length - 1] ?? 1;
  // C = 1 and out as large as x are the twin's other cases (a sum in f64, a plain add).
  if (!kc || n < WASM_SUM_ROWS_MIN || C === 1 || out.length === n || out.length !== C || outShape[outShape.length - 1] !== C) {
    sumToShape(x, xShape, out, outShape);
    return;
  }
  const C4 = (C + 3) & ~3;
  arena.reset();
  const xAt = arena.take(n + 4), oAt = arena.take(C4);       // + slack: the last row is read up to C4
  arena.commit();
  const f32 = arena.f32;
  f32.set(x, xAt);
  f32.set(out.subarray(0, C), oAt);
  kc.col_sum(xAt * 4, n / C, C4, C * 4, oAt * 4);
  out.set(f32.subarray(oAt, oAt + C));
}
