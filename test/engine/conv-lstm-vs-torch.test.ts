// conv1d, conv_transpose1d, max_pool1d, nearest upsampling and the fused LSTM, forward and
// every input gradient, against PyTorch 1.13 (../shared/fixtures/torch-reference.json).

import { forEachBackend } from '../helpers/backends.ts';
import { describe, expect, it } from 'vitest';
import {
  Conv1d, ConvTranspose1d, LSTM, MaxPool1d, Upsample1d, conv1d, convTranspose1d, lstm, lstmWithCell, maxPool1d,
  tensor, upsampleNearest1d, type Module, type Tensor,
} from '../../src/index.ts';
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

forEachBackend(() => describe('conv, pooling and LSTM ops match PyTorch forward and backward', () => {
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
}));

describe('PyTorch semantics beyond the fixture', () => {
  it('maxPool1d sends a tie\'s gradient to the first maximum, and propagates NaN', () => {
    const x = tensor([[[1, 3, 3, 2, 5, 5]]], undefined, { requiresGrad: true });
    const y = maxPool1d(x, 3, 2);                        // windows [0..2], [2..4]
    expect(Array.from(y.data)).toEqual([3, 5]);
    y.backward(Float32Array.of(1, 10));
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 0, 10, 0]);
    expect(Number.isNaN(maxPool1d(tensor([[[1, NaN, 2, 0]]]), 2).data[0])).toBe(true);
  });

  it('upsampleNearest1d repeats each value scale times', () => {
    expect(Array.from(upsampleNearest1d(tensor([[[1, 2], [3, 4]]]), 3).data)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  });

  it('lstmWithCell hands back the last cell state; the last hidden state is o ⊙ tanh(c_T)', () => {
    const ref = refOp('lstm');
    const [x, wIh, wHh, bIh, bHh] = ref.inputs.map((a) => toTensor(a, false));
    const { output, finalCell } = lstmWithCell(x, wIh, wHh, bIh, bHh);
    const [B, T, H] = output.shape;
    expect(finalCell.shape).toEqual([B, H]);
    // |h_T| ≤ |tanh(c_T)| since o ∈ (0, 1), with matching signs.
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const h = output.data[(b * T + T - 1) * H + j], tc = Math.tanh(finalCell.data[b * H + j]);
        expect(Math.abs(h)).toBeLessThanOrEqual(Math.abs(tc) + 1e-7);
        expect(h * tc).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('layers: PyTorch shapes, parameter names and default init', () => {
  const bounded = (m: Module, bounds: Record<string, number>) => {
    for (const [name, t] of m.namedParameters()) {
      const bound = bounds[name];
      expect(bound, name).toBeDefined();
      let lo = Infinity, hi = -Infinity;
      for (const v of t.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      expect(lo, name).toBeGreaterThanOrEqual(-bound);
      expect(hi, name).toBeLessThanOrEqual(bound);
      if (t.size >= 64) expect(hi - lo, `${name} uses its range`).toBeGreaterThan(bound); // not all zeros
    }
  };

  it('Conv1d: weight [out, in, k], U(±1/√(in·k)); forward equals conv1d', () => {
    const m = new Conv1d(4, 8, 5, { stride: 2, padding: 2, seed: 1 });
    expect(m.namedParameters().map(([n, t]) => [n, [...t.shape]])).toEqual([['weight', [8, 4, 5]], ['bias', [8]]]);
    bounded(m, { weight: 1 / Math.sqrt(20), bias: 1 / Math.sqrt(20) });
    const x = tensor(Float32Array.from({ length: 2 * 4 * 9 }, (_, i) => Math.sin(i)), [2, 4, 9]);
    const y = m.forward(x);
    expect(y.shape).toEqual([2, 8, 5]);
    expect(Array.from(y.data)).toEqual(Array.from(conv1d(x, m.weight, m.bias, { stride: 2, padding: 2 }).data));
    expect(new Conv1d(4, 8, 5, { seed: 1 }).weight.data).toEqual(m.weight.data);   // same seed, same bits
    expect(new Conv1d(4, 8, 5, { seed: 2 }).weight.data).not.toEqual(m.weight.data);
    expect(new Conv1d(4, 8, 5, { bias: false, seed: 1 }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('ConvTranspose1d: weight [in, out, k], fan_in = out·k as PyTorch computes it', () => {
    const m = new ConvTranspose1d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, seed: 'ct' });
    expect(m.namedParameters().map(([n, t]) => [n, [...t.shape]])).toEqual([['weight', [4, 6, 3]], ['bias', [6]]]);
    bounded(m, { weight: 1 / Math.sqrt(18), bias: 1 / Math.sqrt(18) });
    expect(m.forward(tensor(new Float32Array(2 * 4 * 7), [2, 4, 7])).shape).toEqual([2, 6, 14]);
  });

  it('MaxPool1d and Upsample1d have no parameters and halve / double lengths', () => {
    const x = tensor(new Float32Array(3 * 2 * 10), [3, 2, 10]);
    expect(new MaxPool1d(2).forward(x).shape).toEqual([3, 2, 5]);
    expect(new MaxPool1d(3, 2).forward(x).shape).toEqual([3, 2, 4]);
    expect(new Upsample1d(2).forward(x).shape).toEqual([3, 2, 20]);
    expect(new MaxPool1d(2).parameterCount()).toBe(0);
  });

  it('LSTM: weight_ih_l0 [4H, I], weight_hh_l0 [4H, H], bias_ih_l0, bias_hh_l0, all U(±1/√H)', () => {
    const m = new LSTM(3, 16, { seed: 5 });
    expect(m.namedParameters().map(([n, t]) => [n, [...t.shape]])).toEqual([
      ['weight_ih_l0', [64, 3]], ['weight_hh_l0', [64, 16]], ['bias_ih_l0', [64]], ['bias_hh_l0', [64]],
    ]);
    const b = 1 / 4;
    bounded(m, { weight_ih_l0: b, weight_hh_l0: b, bias_ih_l0: b, bias_hh_l0: b });
    const ref = refOp('lstm');
    const small = new LSTM(3, 5, { seed: 0 });
    small.loadStateDict(Object.fromEntries(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
      .map((k, i) => [k, { shape: ref.inputs[i + 1].shape, data: Float32Array.from(ref.inputs[i + 1].data) }])));
    expectClose(small.forward(toTensor(ref.inputs[0], false)).data, ref.output.data, 'LSTM module forward');
  });
});
