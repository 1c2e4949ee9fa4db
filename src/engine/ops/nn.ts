// Neural-network functions: linear and the MSE loss.

import { getCompleteBackend } from '../../backends/backend.ts';
import { formatShape, sameShape } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

/**
 * y = act(x · Wᵀ + b), PyTorch's layout: x [..., in], weight [out, in], bias [out] → y [..., out].
 * `activation: 'relu'` fuses the ReLU into the same op (one pass for bias + ReLU forward, the
 * ReLU mask applied to the incoming gradient once); the result equals linear(...).relu().
 * Backward with z = x·Wᵀ + b and dz = dy (· 1[z > 0] for ReLU; y > 0 exactly where z > 0, so the
 * output is the mask):
 *   dx = dz · W ('nn'),  dW = dzᵀ · x ('tn'),  db = Σ_rows dz.
 * Kernels: backend.linearForward / linearBackward (wasm fuses them; elsewhere they are the
 * composition of matmul, bias add and ReLU in src/backends/composed/linear.ts).
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null,
                       activation: 'none' | 'relu' = 'none'): Tensor {
  const inF = x.shape[x.rank - 1], outF = weight.shape[0];
  if (weight.rank !== 2 || weight.shape[1] !== inF || (bias && (bias.rank !== 1 || bias.shape[0] !== outF))) {
    throw new Error(`linear: x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}` +
      `${bias ? `, bias ${formatShape(bias.shape)}` : ''} do not fit (weight is [out, in])`);
  }
  const rows = x.size / inF;
  const backend = getCompleteBackend();
  const y = new Float32Array(rows * outF);
  backend.linearForward(x.data, weight.data, bias ? bias.data : null, y, rows, inF, outF, activation === 'relu');
  const shape = [...x.shape.slice(0, -1), outF];
  const parents = bias ? [x, weight, bias] : [x, weight];
  return fromOp(y, shape, activation === 'relu' ? 'linearRelu' : 'linear', parents, (gy) => {
    backend.linearBackward(x.data, weight.data, activation === 'relu' ? y : null, gy,
      x.requiresGrad ? x.gradBuffer() : null, weight.requiresGrad ? weight.gradBuffer() : null,
      bias?.requiresGrad ? bias.gradBuffer() : null, rows, inF, outF);
  });
}

/** mean((pred - target)²) over all elements; a scalar. Gradient 2(pred - target)/n each way. */
export function mseLoss(pred: Tensor, target: Tensor): Tensor {
  if (!sameShape(pred.shape, target.shape)) {
    throw new Error(`mseLoss: pred ${formatShape(pred.shape)} and target ${formatShape(target.shape)} differ`);
  }
  const backend = getCompleteBackend();
  const value = backend.mseLoss(pred.data, target.data);
  return fromOp(Float32Array.of(value), [], 'mseLoss', [pred, target], (g) => {
    if (pred.requiresGrad) backend.mseLossBackward(pred.data, target.data, g[0], pred.gradBuffer());
    if (target.requiresGrad) backend.mseLossBackward(target.data, pred.data, g[0], target.gradBuffer());
  });
}
