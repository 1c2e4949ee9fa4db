// The new unary ops forward and backward against PyTorch 1.13 (../shared/fixtures/torch-reference-ops2.json),
// on every backend, at the file's tolerance (rtol 1e-4, atol 1e-5).

import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { clamp, gelu, type Tensor } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { expectClose, SHARED_DIR, toTensor, type RefOp } from '../helpers/reference.ts';

const ops2 = JSON.parse(readFileSync(`${SHARED_DIR}fixtures/torch-reference-ops2.json`, 'utf8')) as { ops: RefOp[] };
const refOp = (name: string) => ops2.ops.find((o) => o.name === name)!;

const cases: Record<string, (x: Tensor) => Tensor> = {
  sin: (x) => x.sin(),
  cos: (x) => x.cos(),
  gelu_erf: (x) => gelu(x),
  gelu_tanh: (x) => gelu(x, { approximate: 'tanh' }),
  clamp: (x) => clamp(x, -0.5, 0.5),
  mean_all: (x) => x.mean(),
};

forEachBackend(() => describe('ops2 match PyTorch forward and backward', () => {
  for (const [name, f] of Object.entries(cases)) {
    it(name, () => {
      const ref = refOp(name);
      const x = toTensor(ref.inputs[0]);
      const out = f(x);
      expectClose(out.shape, ref.output.shape, `${name} shape`, 0, 0);
      expectClose(out.toFloat32Array(), ref.output.data, `${name} forward`);
      out.backward(toTensor(ref.upstream, false));
      expectClose(x.grad!.toFloat32Array(), ref.grads[0].data, `${name} grad`);
    });
  }
}));
