// softmax and logSoftmax along one dim, built on the stable logSumExp (max-shifted), so large logits do not overflow.

import { exp, sub } from './elementwise.ts';
import { logSumExp } from './reduce.ts';
import type { Tensor } from '../tensor.ts';

/** log softmax(x) = x - log Σ exp(x) along `dim`; gradient flows through sub and logSumExp. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return sub(x, logSumExp(x, dim, true));
}

/** softmax(x) = exp(log softmax(x)); same shape as x, each slice along `dim` sums to 1. */
export function softmax(x: Tensor, dim: number): Tensor {
  return exp(logSoftmax(x, dim));
}
