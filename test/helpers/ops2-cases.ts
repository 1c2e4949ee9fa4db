// The cases of ../shared/fixtures/torch-reference-ops2.json (issue 27's ops against PyTorch 1.13)
// and how each maps onto cardiograd's API; shared by the cpu/wasm test
// (test/engine/ops2-vs-torch.test.ts) and the gpujs one (test/backends/gpujs-ops2.test.ts).

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Adam, batchNorm1d, bceWithLogits, layerNorm, clamp, crossEntropy, gelu, l1Loss, Linear, logSoftmax,
  smoothL1Loss, softmax, tensor, type Tensor } from '../../src/index.ts';
import { expectClose, SHARED_DIR, toTensor, type RefOp } from './reference.ts';

export const OPS2 = JSON.parse(readFileSync(`${SHARED_DIR}fixtures/torch-reference-ops2.json`, 'utf8'));

type Attrs = Record<string, any>;
// Each case maps the fixture's inputs (all requiring grad) and attrs to the op's output.
export const OPS2_CASES: Record<string, (xs: Tensor[], attrs: Attrs) => Tensor> = {
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

/** Runs fixture case `name` forward and backward on the current backend; fails on a mismatch. */
export function checkOps2Case(name: string): void {
  const ref = (OPS2.ops as RefOp[]).find((o) => o.name === name);
  if (!ref) throw new Error(`no op "${name}" in torch-reference-ops2.json`);
  const xs = ref.inputs.map((i) => toTensor(i));
  const out = OPS2_CASES[name](xs, ref.attrs);
  expectClose(out.shape, ref.output.shape, `${name} shape`, 0, 0);
  expectClose(out.toFloat32Array(), ref.output.data, `${name} forward`);
  out.backward(toTensor(ref.upstream, false));
  ref.grads.forEach((g, k) => expectClose(xs[k].grad!.toFloat32Array(), g.data, `${name} grad ${k}`));
}

/** The fixture's MLP classifier (12 -> 8 -> relu -> 4), 3 Adam steps with cross-entropy, on the current backend. */
export function checkMlpClassifier(): void {
  const fixture = OPS2.mlp_classifier;
  const [inF, hidden, classes] = fixture.dims as number[];
  const layers = [new Linear(inF, hidden, { seed: 0 }), new Linear(hidden, classes, { seed: 0 })];
  layers.forEach((l, i) => {
    l.weight.data.set(fixture.init[`${i}.weight`].data);
    l.bias!.data.set(fixture.init[`${i}.bias`].data);
  });
  const params = layers.flatMap((l) => [l.weight, l.bias!]);
  const { lr, betas, eps } = fixture.optimizer;
  const opt = new Adam(params, { lr, betas, eps });
  const x = tensor(fixture.input.data, fixture.input.shape);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    const loss = crossEntropy(layers[1].forward(layers[0].forward(x).relu()), fixture.target);
    losses.push(loss.item());
    loss.backward();
    opt.step();
  }
  expect(losses).toHaveLength(3);
  expectClose(losses, fixture.losses_before_each_step, 'losses');
  layers.forEach((l, i) => {
    expectClose(l.weight.data, fixture.params_after_3_steps[`${i}.weight`], `${i}.weight`);
    expectClose(l.bias!.data, fixture.params_after_3_steps[`${i}.bias`], `${i}.bias`);
  });
}
