// Basic layers: Linear, Sequential and activation modules.

import { linear } from '../engine/ops/nn.ts';
import { drawSeed } from '../engine/random.ts';
import { randUniform, type Tensor } from '../engine/tensor.ts';
import { Module } from './module.ts';

/**
 * y = x · Wᵀ + b with weight [out, in], bias [out]. Initialised like torch.nn.Linear:
 * kaiming_uniform(a=√5) reduces to U(-1/√in, 1/√in) for the weight, and the same for the bias.
 * Without `seed` the layer draws one from the global generator (manualSeed).
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number,
              options: { bias?: boolean; seed?: number | string } = {}) {
    super();
    const seed = options.seed ?? drawSeed();
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight',
      randUniform([outFeatures, inFeatures], `${seed}:weight`, -bound, bound));
    this.bias = options.bias === false ? null
      : this.registerParameter('bias', randUniform([outFeatures], `${seed}:bias`, -bound, bound));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** Runs modules in order; children are named 0, 1, 2... as in torch.nn.Sequential. */
/** A layer with a fused forward-then-ReLU (Sequential runs `layer, ReLU` as one op through it). */
interface FusesRelu { forwardRelu(x: Tensor): Tensor }
const hasFusedRelu = (m: Module): m is Module & FusesRelu => typeof (m as Partial<FusesRelu>).forwardRelu === 'function';
/** A layer that can also take an upsampling in front (Sequential runs `Upsample1d, layer[, ReLU]` through it). */
interface FusesUpsample { forwardFused(x: Tensor, fused: { upsample?: number; relu?: boolean }): Tensor }
const hasFusedUpsample = (m: Module | undefined): m is Module & FusesUpsample =>
  typeof (m as Partial<FusesUpsample> | undefined)?.forwardFused === 'function';
/** A layer with a fused forward → ReLU → max-pool by 2 (Sequential runs `layer, ReLU, MaxPool1d(2)` through it). */
interface FusesReluPool { forwardReluPool(x: Tensor): Tensor }
const hasFusedReluPool = (m: Module): m is Module & FusesReluPool => typeof (m as Partial<FusesReluPool>).forwardReluPool === 'function';
const poolsPairs = (m: Module | undefined): boolean => (m as { poolsPairs?: boolean } | undefined)?.poolsPairs === true;
/** Duck-typed, so this file needs no import of the conv layers (a dense-only bundle leaves them out). */
const upsampleScale = (m: Module): number | undefined => (m as { upsampleScale?: number }).upsampleScale;

export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const m = this.layers[i], next = this.layers[i + 1];
      if (m instanceof Linear && next instanceof ReLU) {
        // Peephole fusion: Linear then ReLU runs as one fused op (same result, less memory
        // traffic); the ReLU keeps its own index so state-dict keys still match PyTorch.
        h = linear(h, m.weight, m.bias, 'relu');
        i++;
      } else if (upsampleScale(m) !== undefined && hasFusedUpsample(next)) {
        const relu = this.layers[i + 2] instanceof ReLU;   // Upsample1d, Conv1d[, ReLU] as one op
        h = next.forwardFused(h, { upsample: upsampleScale(m), relu });
        i += relu ? 2 : 1;
      } else if (next instanceof ReLU && poolsPairs(this.layers[i + 2]) && hasFusedReluPool(m)) {
        h = m.forwardReluPool(h);              // Conv1d, ReLU, MaxPool1d(2) as one op
        i += 2;
      } else if (next instanceof ReLU && hasFusedRelu(m)) {
        h = m.forwardRelu(h);                  // the same fusion for layers that offer it (Conv1d)
        i++;
      } else {
        h = m.forward(h);
      }
    }
    return h;
  }
}

export class ReLU extends Module { forward(x: Tensor): Tensor { return x.relu(); } }
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return x.sigmoid(); } }
export class Tanh extends Module { forward(x: Tensor): Tensor { return x.tanh(); } }
export class LeakyReLU extends Module {
  constructor(readonly slope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return x.leakyRelu(this.slope); }
}
