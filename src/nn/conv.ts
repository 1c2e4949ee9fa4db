// Convolution-family layers over x [N, C, L]: Conv1d, ConvTranspose1d, MaxPool1d, Upsample1d.

import { conv1d, conv1dReluPool, convTranspose1d } from '../engine/ops/conv.ts';
import { maxPool1d, upsampleNearest1d } from '../engine/ops/pool.ts';
import { drawSeed } from '../engine/random.ts';
import { randUniform, type Tensor } from '../engine/tensor.ts';
import { Module } from './module.ts';
// The wasm backend's conv1d kernels, attached where a Conv1D layer can be built (a side-effect import).
import '../backends/wasm/conv-methods.ts';

/**
 * torch.nn.Conv1d: weight [out, in, kernel], bias [out]. PyTorch's default init,
 * kaiming_uniform(a=√5), reduces to U(±1/√fan_in) with fan_in = in·kernel; the bias the same.
 */
export class Conv1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number,
              options: { stride?: number; padding?: number; bias?: boolean; seed?: number | string } = {}) {
    super();
    const seed = options.seed ?? drawSeed();
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    const bound = 1 / Math.sqrt(inChannels * kernelSize);
    this.weight = this.registerParameter('weight',
      randUniform([outChannels, inChannels, kernelSize], `${seed}:weight`, -bound, bound));
    this.bias = options.bias === false ? null
      : this.registerParameter('bias', randUniform([outChannels], `${seed}:bias`, -bound, bound));
  }

  /** x [N, in, L] → [N, out, ⌊(L + 2p − k)/s⌋ + 1]. */
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  /** relu(forward(x)) as one op (Sequential's Conv1d → ReLU peephole): same values, fewer passes. */
  forwardRelu(x: Tensor): Tensor {
    return this.forwardFused(x, { relu: true });
  }

  /** maxPool1d(relu(forward(x)), 2) as one op (Sequential's Conv1d → ReLU → MaxPool1d(2) peephole). */
  forwardReluPool(x: Tensor): Tensor {
    return conv1dReluPool(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  /** forward(upsampleNearest(x, upsample)), then ReLU if asked, as one op (Sequential's peepholes). */
  forwardFused(x: Tensor, fused: { upsample?: number; relu?: boolean }): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, ...fused });
  }
}

/**
 * torch.nn.ConvTranspose1d: weight [in, out, kernel], bias [out]. PyTorch computes fan_in from
 * the weight's dim 1, so fan_in = out·kernel here; init U(±1/√fan_in) for weight and bias.
 */
export class ConvTranspose1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number,
              options: { stride?: number; padding?: number; outputPadding?: number; bias?: boolean;
                         seed?: number | string } = {}) {
    super();
    const seed = options.seed ?? drawSeed();
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.outputPadding = options.outputPadding ?? 0;
    const bound = 1 / Math.sqrt(outChannels * kernelSize);
    this.weight = this.registerParameter('weight',
      randUniform([inChannels, outChannels, kernelSize], `${seed}:weight`, -bound, bound));
    this.bias = options.bias === false ? null
      : this.registerParameter('bias', randUniform([outChannels], `${seed}:bias`, -bound, bound));
  }

  /** x [N, in, L] → [N, out, (L − 1)·s − 2p + k + outputPadding]. */
  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias,
      { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding });
  }
}

/** torch.nn.MaxPool1d(kernel, stride = kernel), no padding, floor mode. No parameters. */
export class MaxPool1d extends Module {
  constructor(readonly kernelSize: number, readonly stride: number = kernelSize) { super(); }
  /** Whether a Conv1d → ReLU before this pool may run as one op (kernel = stride = 2; Sequential's peephole). */
  get poolsPairs(): boolean { return this.kernelSize === 2 && this.stride === 2; }
  forward(x: Tensor): Tensor { return maxPool1d(x, this.kernelSize, this.stride); }
}

/** torch.nn.Upsample(scale_factor=scale, mode='nearest') on [N, C, L], integer scale. No parameters. */
export class Upsample1d extends Module {
  constructor(readonly scale: number) { super(); }
  /** The factor a following layer may fuse into its input (Sequential's peephole). */
  get upsampleScale(): number { return this.scale; }
  forward(x: Tensor): Tensor { return upsampleNearest1d(x, this.scale); }
}
