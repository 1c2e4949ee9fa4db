// conv1d, conv_transpose1d, max_pool1d, nearest upsampling and the fused LSTM, forward and
// every input gradient, against PyTorch 1.13 (../shared/fixtures/torch-reference.json).

import { describe, expect, it } from 'vitest';
import { conv1d, convTranspose1d, lstm, maxPool1d, upsampleNearest1d, type Tensor } from '../../src/index.ts';
import { expectClose, refOp, toTensor } from '../helpers/reference.ts';

const num = (v: number | string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));

const cases: Record<string, (attrs: Record<string, number | string>) => (...xs: Tensor[]) => Tensor> = {
  conv1d_stride2_pad1: (a) => (x, w, b) => conv1d(x, w, b, { stride: num(a.stride, 1), padding: num(a.padding, 0) }),
  conv_transpose1d_stride2_pad1_outpad1: (a) => (x, w, b) => convTranspose1d(x, w, b,
    { stride: num(a.stride, 1), padding: num(a.padding, 0), outputPadding: num(a.output_padding, 0) }),
  max_pool1d_k2: (a) => (x) => maxPool1d(x, num(a.kernel, 2)),
  upsample_nearest2: (a) => (x) => upsampleNearest1d(x, num(a.scale, 2)),
  lstm: (a) => {
    expect(a.gate_order).toBe('i,f,g,o');
    return (x, wIh, wHh, bIh, bHh) => lstm(x, wIh, wHh, bIh, bHh);
  },
};

describe('conv, pooling and LSTM ops match PyTorch forward and backward', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const ref = refOp(name);
      const inputs = ref.inputs.map((a) => toTensor(a));
      const out = make(ref.attrs)(...inputs);
      expect(out.shape).toEqual(ref.output.shape);
      expectClose(out.toFloat32Array(), ref.output.data, `${name} forward`);
      out.backward(toTensor(ref.upstream, false));
      ref.grads.forEach((g, i) => {
        expectClose(inputs[i].grad!.toFloat32Array(), g.data, `${name} grad of input ${i}`);
      });
    });
  }
});
