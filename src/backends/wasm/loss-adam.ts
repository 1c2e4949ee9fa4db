// MSE forward/backward and the Adam update on f32x4, operands copied in and results out.

import type { AdamHyper } from '../backend.ts';
import type { Arena } from './arena.ts';
import type { KernelExports } from './module.ts';

/** mean((pred − target)²), summed in f64 like the TS twin (only the order of the sum differs). */
export function wasmMseLoss(kx: KernelExports, arena: Arena, pred: Float32Array, target: Float32Array): number {
  const n = pred.length;
  arena.reset();
  const p = arena.take(n), t = arena.take(n);
  arena.commit();
  arena.f32.set(pred, p); arena.f32.set(target, t);
  return kx.sse(p * 4, t * 4, n) / n;
}

/** gPred += scale · 2(pred − target)/n (the factor rounded to f32, the arithmetic in f32). */
export function wasmMseLossBackward(kx: KernelExports, arena: Arena, pred: Float32Array, target: Float32Array,
                                    scale: number, gPred: Float32Array): void {
  const n = pred.length;
  arena.reset();
  const p = arena.take(n), t = arena.take(n), g = arena.take(n);
  arena.commit();
  const f32 = arena.f32;
  f32.set(pred, p); f32.set(target, t); f32.set(gPred, g);
  kx.mse_backward(p * 4, t * 4, g * 4, (n + 3) & ~3, (2 * scale) / n);
  gPred.set(f32.subarray(g, g + n));
}

/** torch.optim.Adam's step in f32 (the TS twin rounds the same formula from f64). */
export function wasmAdamUpdate(kx: KernelExports, arena: Arena, param: Float32Array, grad: Float32Array,
                               m: Float32Array, v: Float32Array, h: AdamHyper): void {
  const n = param.length;
  arena.reset();
  const pAt = arena.take(n), gAt = arena.take(n), mAt = arena.take(n), vAt = arena.take(n);
  arena.commit();
  const f32 = arena.f32;
  f32.set(param, pAt); f32.set(grad, gAt); f32.set(m, mAt); f32.set(v, vAt);
  const stepSize = h.lr / (1 - Math.pow(h.beta1, h.step));
  const invBc2Sqrt = 1 / Math.sqrt(1 - Math.pow(h.beta2, h.step));
  kx.adam(pAt * 4, gAt * 4, mAt * 4, vAt * 4, (n + 3) & ~3, h.beta1, h.beta2, h.weightDecay, stepSize, invBc2Sqrt, h.eps);
  param.set(f32.subarray(pAt, pAt + n)); m.set(f32.subarray(mAt, mAt + n)); v.set(f32.subarray(vAt, vAt + n));
}
