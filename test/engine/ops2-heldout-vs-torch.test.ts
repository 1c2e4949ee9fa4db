// Issue 27's ops against PyTorch on held-out shapes and seeds: cases not in
// torch-reference-ops2.json (3-D inputs, other dims, other betas and bounds, batch sizes), made
// here from fixed seeds and sent to test/fixtures/ops2_in_torch.py at test time (Debian's
// python3-torch, as test/io/pytorch-interop.test.ts). Forward and backward on every backend.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm1d, bceWithLogits, clamp, createRng, crossEntropy, gelu, l1Loss, layerNorm, logSoftmax, smoothL1Loss,
  softmax, tensor, type Tensor } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { REPO } from '../helpers/cli.ts';
import { expectClose, type RefArray } from '../helpers/reference.ts';

type Attrs = Record<string, any>;
interface Case { name: string; inputs: RefArray[]; attrs: Attrs; upstream: RefArray }
const OURS: Record<string, (xs: Tensor[], a: Attrs) => Tensor> = {
  sin: ([x]) => x.sin(),
  cos: ([x]) => x.cos(),
  gelu: ([x], a) => gelu(x, { approximate: a.approximate }),
  clamp: ([x], a) => clamp(x, a.min, a.max),
  softmax: ([x], a) => softmax(x, a.dim),
  log_softmax: ([x], a) => logSoftmax(x, a.dim),
  cross_entropy: ([x], a) => crossEntropy(x, a.target),
  bce_with_logits: ([x, t]) => bceWithLogits(x, t),
  l1_loss: ([p, y]) => l1Loss(p, y),
  smooth_l1_loss: ([p, y], a) => smoothL1Loss(p, y, { beta: a.beta }),
  layer_norm: ([x, w, b], a) => layerNorm(x, a.normalized_shape, w, b, { eps: a.eps }),
  batch_norm: ([x, w, b], a) => batchNorm1d(x, w, b, { training: true, eps: a.eps }),
  max: ([x], a) => x.max(a.dim, a.keepdim),
  min: ([x], a) => x.min(a.dim, a.keepdim),
};

const rng = createRng('ops2-heldout');
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
const arr = (shape: number[], lo = -3, hi = 3): RefArray =>
  ({ shape, data: Array.from({ length: size(shape) }, () => Math.fround(lo + (hi - lo) * rng.uniform())) });
const dims = (n: number) => Array.from({ length: n }, () => 2 + rng.int(4)); // 2..5 each
/** Distinct values 0.05 apart, shuffled: max/min have no ties (PyTorch's tie rule is not the point here). */
const distinct = (shape: number[]): RefArray => {
  const v = Array.from({ length: size(shape) }, (_, i) => Math.fround(0.05 * i - 1));
  for (let i = v.length - 1; i > 0; i--) { const j = rng.int(i + 1); [v[i], v[j]] = [v[j], v[i]]; }
  return { shape, data: v };
};

function makeCases(): Case[] {
  const cases: Omit<Case, 'upstream'>[] = [];
  for (let k = 0; k < 2; k++) {
    const s3 = dims(3), [n, c] = dims(2), bn = [2 + rng.int(4), 2 + rng.int(3), 1 + rng.int(4)];
    cases.push(
      { name: 'sin', inputs: [arr(s3, -6, 6)], attrs: {} },
      { name: 'cos', inputs: [arr(s3, -6, 6)], attrs: {} },
      { name: 'gelu', inputs: [arr(s3)], attrs: { approximate: 'none' } },
      { name: 'gelu', inputs: [arr(s3)], attrs: { approximate: 'tanh' } },
      { name: 'clamp', inputs: [arr(s3)], attrs: { min: -1 - k, max: 0.25 + k } },
      { name: 'softmax', inputs: [arr(s3, -5, 5)], attrs: { dim: k === 0 ? 0 : 2 } },
      { name: 'log_softmax', inputs: [arr(s3, -5, 5)], attrs: { dim: k === 0 ? -1 : 1 } },
      { name: 'cross_entropy', inputs: [arr([n, c], -4, 4)], attrs: { target: Array.from({ length: n }, () => rng.int(c)) } },
      { name: 'bce_with_logits', inputs: [arr(s3, -6, 6), arr(s3, 0, 1)], attrs: {} },
      { name: 'l1_loss', inputs: [arr(s3), arr(s3)], attrs: {} },
      { name: 'smooth_l1_loss', inputs: [arr(s3), arr(s3)], attrs: { beta: k === 0 ? 0.5 : 2 } },
      { name: 'layer_norm', inputs: [arr(s3), arr(s3.slice(1)), arr(s3.slice(1))], attrs: { normalized_shape: s3.slice(1), eps: 1e-5 } },
      { name: 'batch_norm', inputs: [arr(bn), arr([bn[1]]), arr([bn[1]])], attrs: { eps: 1e-5 } },
      { name: 'max', inputs: [distinct(s3)], attrs: { dim: k === 0 ? 0 : 2, keepdim: k === 1 } },
      { name: 'min', inputs: [distinct(s3)], attrs: { dim: 1, keepdim: k === 0 } },
    );
  }
  // The upstream gradient has the output's shape: run our op once (cpu) to learn it.
  return cases.map((c) => {
    const out = OURS[c.name](c.inputs.map((i) => tensor(i.data, i.shape)), c.attrs);
    return { ...c, upstream: arr([...out.shape], -1, 1) };
  });
}

const NO_GRAD: Record<string, number[]> = { bce_with_logits: [1] }; // the target: PyTorch gives none we compare
const cases = makeCases();
let torch: { output: RefArray; grads: RefArray[] }[] = [];

beforeAll(() => {
  const py = spawnSync('/usr/bin/python3', [path.join(REPO, 'test/fixtures/ops2_in_torch.py')],
    { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (py.status !== 0) throw new Error(`ops2_in_torch.py failed (${py.status}): ${py.stderr}`);
  torch = JSON.parse(py.stdout);
}, 60_000);

forEachBackend(() => describe('issue-27 ops on held-out shapes match PyTorch forward and backward', () => {
  cases.forEach((c, idx) => {
    const label = `${c.name} ${c.inputs.map((i) => `[${i.shape}]`).join(' ')} ${JSON.stringify(c.attrs).slice(0, 60)}`;
    it(label, () => {
      expect(torch).toHaveLength(cases.length);
      const ref = torch[idx];
      const xs = c.inputs.map((i, k) => tensor(i.data, i.shape, { requiresGrad: !NO_GRAD[c.name]?.includes(k) }));
      const out = OURS[c.name](xs, c.attrs);
      expect([...out.shape], `${label} shape`).toEqual(ref.output.shape);
      expectClose(out.data, ref.output.data, `${label} forward`);
      out.backward(tensor(c.upstream.data, c.upstream.shape));
      xs.forEach((x, k) => { if (x.requiresGrad) expectClose(x.grad!.data, ref.grads[k].data, `${label} grad ${k}`); });
    });
  });
}));
