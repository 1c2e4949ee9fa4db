// Loads ../shared/fixtures/torch-reference.json: PyTorch 1.13 outputs and gradients per op,
// a dense autoencoder and a VAE case. Tolerances follow the file's hint (rtol 1e-4, atol 1e-5).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { tensor, type Tensor } from '../../src/index.ts';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export interface RefArray { shape: number[]; data: number[] }
export interface RefOp {
  name: string;
  attrs: Record<string, number | string>;
  inputs: RefArray[];
  output: RefArray;
  upstream: RefArray;
  grads: RefArray[];
}

export const reference = JSON.parse(
  readFileSync(`${SHARED_DIR}fixtures/torch-reference.json`, 'utf8'),
) as { ops: RefOp[]; dense_autoencoder: any; vae: any };

export function refOp(name: string): RefOp {
  const op = reference.ops.find((o) => o.name === name);
  if (!op) throw new Error(`no op "${name}" in torch-reference.json`);
  return op;
}

export function toTensor(a: RefArray, requiresGrad = true): Tensor {
  return tensor(a.data, a.shape, { requiresGrad });
}

/** |actual - expected| <= atol + rtol·|expected| elementwise, with a readable failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>,
                            what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) { worst = i; worstExcess = excess; }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
