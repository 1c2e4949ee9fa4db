// Adam (Kingma & Ba 2015), the same update as torch.optim.Adam; the kernel lives in the backend.

import { getBackend } from '../backends/backend.ts';
import type { Tensor } from '../engine/tensor.ts';
import { Optimizer } from './optimizer.ts';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** L2 penalty added to the gradient, as torch.optim.Adam's weight_decay. */
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super(params);
    this.lr = options.lr ?? 1e-3;
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  step(): void {
    this.t++;
    const backend = getBackend();
    const hyper = { lr: this.lr, beta1: this.betas[0], beta2: this.betas[1], eps: this.eps,
                    weightDecay: this.weightDecay, step: this.t };
    this.params.forEach((p, i) => {
      if (p.grad) backend.adamUpdate(p.data, p.grad.data, this.m[i], this.v[i], hyper);
    });
  }
}
