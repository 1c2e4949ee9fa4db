// Shared optimizer plumbing: the parameter list and zeroGrad.

import type { Tensor } from '../engine/tensor.ts';

export abstract class Optimizer {
  constructor(readonly params: readonly Tensor[]) {
    if (params.length === 0) throw new Error('optimizer got an empty parameter list');
  }

  /** Zeroes gradient buffers in place (keeps them allocated: no garbage per step). */
  zeroGrad(): void {
    for (const p of this.params) p.grad?.data.fill(0);
  }

  abstract step(): void;
}
