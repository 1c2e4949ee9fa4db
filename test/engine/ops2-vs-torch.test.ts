// The ops of issue 27 forward and backward against PyTorch 1.13 (../shared/fixtures/torch-reference-ops2.json),
// on every backend, at the file's tolerance (rtol 1e-4, atol 1e-5).

import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { batchNorm1d, bceWithLogits, layerNorm, clamp, crossEntropy, gelu, l1Loss, logSoftmax, smoothL1Loss, softmax, tensor,
  type Tensor } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { expectClose, SHARED_DIR, toTensor, type RefOp } from '../helpers/reference.ts';

const ops2 = JSON.parse(readFileSync(`${SHARED_DIR}fixtures/torch-reference-ops2.json`, 'utf8')) as { ops: RefOp[] };
const refOp = (name: string) => {
  const op = ops2.ops.find((o) => o.name === name);
  if (!op) throw new Error(`no op "${name}" in torch-reference-ops2.json`);
  return op;
};

type Attrs = Record<string, any>;
// Each case maps the fixture's inputs (all requiring grad) and attrs to the op's output.
const cases: Record<string, (xs: Tensor[], attrs: Attrs) => Tensor> = {
  sin: ([x]) => x.sin(),
  cos: ([x]) => x.cos(),
  gelu_erf: ([x]) => gelu(x),
  gelu_tanh: ([x]) => gelu(x, { approximate: 'tanh' }),
  clamp: ([x]) => clamp(x, -0.5, 0.5),
  mean_all: ([x]) => x.mean(),
  softmax_dim1: ([x], a) => softmax(x, a.dim),
  log_softmax_dim1: ([x], a) => logSoftmax(x, a.dim),
  cross_entropy_mean: ([x], a) => crossEntropy(x, a.target),
  bce_with_logits_mean: ([x], a) => bceWithLogits(x, tensor(a.target, x.shape)),
  l1_loss: ([a, y]) => l1Loss(a, y),
  smooth_l1_loss_beta1: ([a, y], at) => smoothL1Loss(a, y, { beta: at.beta }),
  layer_norm: ([x, w, b], a) => layerNorm(x, a.normalized_shape, w, b, { eps: a.eps }),
  batch_norm1d_train: ([x, w, b], a) => batchNorm1d(x, w, b, { training: a.training, eps: a.eps }),
  max_dim1: ([x], a) => x.max(a.dim),
};

forEachBackend(() => describe('ops2 match PyTorch forward and backward', () => {
  for (const [name, f] of Object.entries(cases)) {
    it(name, () => {
      const ref = refOp(name);
      const xs = ref.inputs.map((i) => toTensor(i));
      const out = f(xs, ref.attrs);
      expectClose(out.shape, ref.output.shape, `${name} shape`, 0, 0);
      expectClose(out.toFloat32Array(), ref.output.data, `${name} forward`);
      out.backward(toTensor(ref.upstream, false));
      ref.grads.forEach((g, k) => expectClose(xs[k].grad!.toFloat32Array(), g.data, `${name} grad ${k}`));
    });
  }
}));
