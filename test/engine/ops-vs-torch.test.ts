// Every op forward and backward against PyTorch 1.13 (../shared/fixtures/torch-reference.json).

import { forEachBackend } from '../helpers/backends.ts';
import { describe, it } from 'vitest';
import { linear, mseLoss, type Tensor } from '../../src/index.ts';
import { expectClose, refOp, toTensor } from '../helpers/reference.ts';

const cases: Record<string, (...xs: Tensor[]) => Tensor> = {
  matmul: (a, b) => a.matmul(b),
  add_broadcast_row: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  exp: (x) => x.exp(),
  log: (x) => x.log(),
  softplus: (x) => x.softplus(),
  sum_all: (x) => x.sum(),
  sum_axis0: (x) => x.sum(0),
  mean_axis1: (x) => x.mean(1),
  mse_loss: (a, b) => mseLoss(a, b),
  linear: (x, w, b) => linear(x, w, b),
};

forEachBackend(() => describe('ops match PyTorch forward and backward', () => {
  for (const [name, f] of Object.entries(cases)) {
    it(name, () => {
      const ref = refOp(name);
      const inputs = ref.inputs.map((a) => toTensor(a));
      const out = f(...inputs);
      expectClose(out.shape, ref.output.shape, `${name} output shape`, 0, 0);
      expectClose(out.toFloat32Array(), ref.output.data, `${name} forward`);
      out.backward(toTensor(ref.upstream, false));
      ref.grads.forEach((g, i) => {
        expectClose(inputs[i].grad!.toFloat32Array(), g.data, `${name} grad of input ${i}`);
      });
    });
  }
}));
