// BatchNorm1d's running statistics are buffers under PyTorch's names: stateDict carries them,
// loadStateDict restores them, eval mode uses them, and after the same training batches they equal
// torch.nn.BatchNorm1d's (run at test time by test/fixtures/batchnorm_in_torch.py; Debian's python3-torch).

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, Linear, Sequential, createRng, decodeSafetensors, encodeSafetensors, tensor } from '../../src/index.ts';
import { REPO } from '../helpers/cli.ts';
import { expectClose } from '../helpers/reference.ts';

const rng = createRng('bn-state');
const batch = (shape: number[], shift: number) =>
  ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => shift + 3 * rng.normal()) });
const C = 3;
const trainBatches = [batch([5, C], 1), batch([4, C, 6], -2), batch([7, C], 0.5)];
const evalBatch = batch([4, C, 2], 0);
const weight = [0.5, 1.5, -1], bias = [0.1, 0, -0.3];

function trained(): BatchNorm1d {
  const bn = new BatchNorm1d(C);
  bn.weight.data.set(weight); bn.bias.data.set(bias);
  for (const b of trainBatches) bn.forward(tensor(b.data, b.shape));
  return bn;
}

describe('BatchNorm1d running statistics', () => {
  it('are in the state dict under PyTorch names and equal PyTorch after the same batches; eval uses them', () => {
    const bn = trained();
    const state = bn.stateDict();
    expect(Object.keys(state)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.parameters()).toHaveLength(2); // buffers are not trained
    const input = JSON.stringify({ channels: C, momentum: 0.1, weight, bias,
      train: trainBatches.map((b) => [b.shape, Array.from(b.data)]), eval: [evalBatch.shape, Array.from(evalBatch.data)] });
    const py = spawnSync('/usr/bin/python3', [path.join(REPO, 'test/fixtures/batchnorm_in_torch.py')], { input, encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const torch = JSON.parse(py.stdout);
    expect(Object.keys(state)).toEqual(torch.keys);
    for (const key of torch.keys) {
      expect(state[key].shape, key).toEqual(torch.state[key].shape);
      expectClose(state[key].data, torch.state[key].data, key, 1e-5, 1e-6);
    }
    expect(bn.numBatchesTracked).toBe(3);
    bn.eval();
    expectClose(bn.forward(tensor(evalBatch.data, evalBatch.shape)).data, torch.eval, 'eval output', 1e-5, 1e-6);
  });

  it('round-trip through stateDict and safetensors: a fresh module evaluates as the trained one', () => {
    const model = new Sequential(new Linear(C, C, { seed: 1 }), trained());
    const bytes = encodeSafetensors(model.stateDict());
    const fresh = new Sequential(new Linear(C, C, { seed: 2 }), new BatchNorm1d(C));
    expect(Object.keys(fresh.stateDict())).toContain('1.running_var');
    const x = tensor(evalBatch.data.slice(0, 4 * C), [4, C]);
    const before = Array.from(fresh.eval().forward(x).data);
    fresh.loadStateDict(decodeSafetensors(bytes).tensors);
    const want = Array.from(model.eval().forward(x).data);
    expect(Array.from(fresh.forward(x).data)).toEqual(want);
    expect(before).not.toEqual(want);
    expect((fresh.layers[1] as BatchNorm1d).numBatchesTracked).toBe(3);
    const { ['1.running_mean']: _dropped, ...partial } = model.stateDict();
    expect(() => fresh.loadStateDict(partial)).toThrow(/missing parameter "1.running_mean"/);
  });
});
