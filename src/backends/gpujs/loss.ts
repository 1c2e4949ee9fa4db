// Mean squared error. Forward: the device computes partial sums of (pred - target)² (see
// reduce.ts) and the CPU adds them in float64 and divides by n. Backward: elementwise.

import { fullSum } from './reduce.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

/** mean((pred - target)²). */
export function mseLoss(cache: KernelCache, pred: Float32Array, target: Float32Array): number {
  return fullSum(cache, pred, fit(target, pred.length)) / pred.length;
}

function mseBackwardSpec(n: number): KernelSpec {
  return {
    source: `function (pred, target, g, k) {
      const o = this.thread.x;
      return g[o] + k * (pred[o] - target[o]);
    }`,
    argumentTypes: { pred: 'Array', target: 'Array', g: 'Array', k: 'Float' },
    outputLength: n,
  };
}

/** gPred += scale · 2(pred - target)/n. */
export function mseLossBackward(cache: KernelCache, pred: Float32Array, target: Float32Array,
                                scale: number, gPred: Float32Array): void {
  const n = pred.length;
  if (n === 0) return;
  const k = (2 * scale) / n;
  gPred.set(cache.run(`mseBackward:${n}`, () => mseBackwardSpec(n), pred, fit(target, n),
    fit(gPred, n), k));
}
