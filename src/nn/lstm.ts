// torch.nn.LSTM (one layer, batch_first=True, zero initial state) as a module around the fused
// lstm op. Parameter names match PyTorch's state dict: weight_ih_l0, weight_hh_l0, bias_ih_l0,
// bias_hh_l0 (gates stacked i, f, g, o along the first axis).

import { lstm, lstmLastState, lstmRepeatedInput, lstmWithCell, type LstmResult } from '../engine/ops/lstm.ts';
import { drawSeed } from '../engine/random.ts';
import { randUniform, type Tensor } from '../engine/tensor.ts';
import { Module } from './module.ts';

/** Every weight and bias starts U(±1/√hidden), as in PyTorch. */
export class LSTM extends Module {
  readonly weightIh: Tensor;   // [4H, I]
  readonly weightHh: Tensor;   // [4H, H]
  readonly biasIh: Tensor;     // [4H]
  readonly biasHh: Tensor;     // [4H]

  constructor(readonly inputSize: number, readonly hiddenSize: number, options: { seed?: number | string } = {}) {
    super();
    const seed = options.seed ?? drawSeed();
    const bound = 1 / Math.sqrt(hiddenSize), G = 4 * hiddenSize;
    const init = (name: string, shape: number[]) =>
      this.registerParameter(name, randUniform(shape, `${seed}:${name}`, -bound, bound));
    this.weightIh = init('weight_ih_l0', [G, inputSize]);
    this.weightHh = init('weight_hh_l0', [G, hiddenSize]);
    this.biasIh = init('bias_ih_l0', [G]);
    this.biasHh = init('bias_hh_l0', [G]);
  }

  /** x [B, T, inputSize] → hidden states of every step [B, T, hiddenSize]. */
  forward(x: Tensor): Tensor {
    return lstm(x, this.weightIh, this.weightHh, this.biasIh, this.biasHh);
  }

  /** x [B, T, inputSize] → the last step's hidden state [B, hiddenSize] (forward(x)'s last step). */
  forwardLast(x: Tensor): Tensor {
    return lstmLastState(x, this.weightIh, this.weightHh, this.biasIh, this.biasHh);
  }

  /**
   * The same input z [B, inputSize] at each of `steps` steps → hidden states [B, steps, hiddenSize],
   * or [steps, B, hiddenSize] with `timeMajor`.
   */
  forwardRepeated(z: Tensor, steps: number, options: { timeMajor?: boolean } = {}): Tensor {
    return lstmRepeatedInput(z, steps, this.weightIh, this.weightHh, this.biasIh, this.biasHh, options);
  }

  /** Like forward, plus the final cell state [B, H] (a constant, no gradient). */
  forwardWithCell(x: Tensor): LstmResult {
    return lstmWithCell(x, this.weightIh, this.weightHh, this.biasIh, this.biasHh);
  }
}
