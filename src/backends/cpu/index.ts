// The CPU backend: the default. Every kernel is a plain loop over Float32Arrays.

import { registerDefaultBackend, type Backend } from '../backend.ts';
import { matmulBlocked } from './matmul.ts';
import { binary, sumToShape, unary, unaryBackward } from './elementwise.ts';
import { mseLoss, mseLossBackward } from './loss.ts';
import { adamUpdate } from './adam.ts';

export function createCpuBackend(): Backend {
  return {
    name: 'cpu',
    matmul: matmulBlocked,
    unary,
    unaryBackward,
    binary,
    sumToShape,
    mseLoss,
    mseLossBackward,
    adamUpdate,
  };
}

registerDefaultBackend(createCpuBackend);
