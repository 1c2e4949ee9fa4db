// The fixture's MLP classifier (12 -> 8 -> relu -> 4) trained 3 Adam steps with cross-entropy:
// losses before each step and the final weights against PyTorch 1.13, on every backend.

import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { Adam, crossEntropy, Linear, tensor } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { expectClose, SHARED_DIR } from '../helpers/reference.ts';

const fixture = JSON.parse(readFileSync(`${SHARED_DIR}fixtures/torch-reference-ops2.json`, 'utf8')).mlp_classifier;

forEachBackend(() => describe('MLP classifier matches PyTorch over 3 Adam steps', () => {
  it('losses and weights', () => {
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
    expectClose(losses, fixture.losses_before_each_step, 'losses');
    layers.forEach((l, i) => {
      expectClose(l.weight.data, fixture.params_after_3_steps[`${i}.weight`], `${i}.weight`);
      expectClose(l.bias!.data, fixture.params_after_3_steps[`${i}.bias`], `${i}.bias`);
    });
  });
}));
