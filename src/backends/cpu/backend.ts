// The CPU backend: the readable reference and the fallback where WebAssembly SIMD is not
// available. Every kernel is a plain loop over Float32Arrays.

import type { Backend } from '../backend.ts';
import { matmulBlocked, matmulNaive } from './matmul.ts';
import { binary, sumToShape, unary } from './elementwise.ts';
import { mseLoss, mseLossBackward } from './loss.ts';
import { adamUpdate } from './adam.ts';

/** `matmul: 'naive'` swaps in the reference kernel: the baseline for end-to-end benchmarks. */
export function createCpuBackend(options: { matmul?: 'blocked' | 'naive' } = {}): Backend {
  const naive = options.matmul === 'naive';
  return {
    name: naive ? 'cpu-naive-matmul' : 'cpu',
    matmul: naive ? matmulNaive : matmulBlocked,
    unary,
    binary,
    sumToShape,
    mseLoss,
    mseLossBackward,
    adamUpdate,
  };
}
