// Stochastic gradient descent with optional momentum, as torch.optim.SGD:
//   b ← μ·b + g (b = g on the first step);  p ← p - lr·b.

import type { Tensor } from '../engine/tensor.ts';
import { Optimizer } from './optimizer.ts';

export class SGD extends Optimizer {
  private readonly buffers: (Float32Array | null)[];

  constructor(params: readonly Tensor[], readonly options: { lr: number; momentum?: number }) {
    super(params);
    this.buffers = params.map(() => null);
  }

  step(): void {
    const { lr, momentum = 0 } = this.options;
    this.params.forEach((p, idx) => {
      if (!p.grad) return;
      const g = p.grad.data;
      if (momentum === 0) { for (let i = 0; i < p.size; i++) p.data[i] -= lr * g[i]; return; }
      let b = this.buffers[idx];
      if (!b) { b = this.buffers[idx] = g.slice(); }
      else for (let i = 0; i < b.length; i++) b[i] = momentum * b[i] + g[i];
      for (let i = 0; i < p.size; i++) p.data[i] -= lr * b[i];
    });
  }
}
