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

/** Adam's state between steps, for checkpoints: t and the moment buffers m, v (one per parameter). */
export interface AdamState { step: number; m: Float32Array[]; v: Float32Array[] }

export class Adam extends Optimizer {
  /** Learning rate of the next step (a schedule may change it between epochs). */
  lr: number;
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

  /** The optimizer's moving state (copies): step count and the first/second moments per parameter. */
  exportState(): AdamState {
    return { step: this.t, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  /** Continues from an exported state; sizes must match the parameters, values must be finite. */
  loadState(s: AdamState): void {
    if (!Number.isSafeInteger(s.step) || s.step < 0) throw new Error(`Adam state: step must be a non-negative integer, got ${s.step}`);
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) {
      throw new Error(`Adam state holds ${s.m.length} moment tensors, the optimizer has ${this.m.length} parameters`);
    }
    for (const [name, src, dst] of [['m', s.m, this.m], ['v', s.v, this.v]] as const) {
      src.forEach((a, i) => {
        if (a.length !== dst[i].length) throw new Error(`Adam state: ${name}[${i}] has ${a.length} values, parameter ${i} has ${dst[i].length}`);
        if (!a.every(Number.isFinite)) throw new Error(`Adam state: ${name}[${i}] holds a non-finite value`);
      });
    }
    this.t = s.step;
    s.m.forEach((a, i) => this.m[i].set(a));
    s.v.forEach((a, i) => this.v[i].set(a));
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
