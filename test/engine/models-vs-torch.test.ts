// Whole small models against PyTorch: the dense autoencoder (loss, gradients, parameters after
// 3 Adam steps) and the VAE loss with given noise (loss and gradients).

import { forEachBackend } from '../helpers/backends.ts';
import { describe, expect, it } from 'vitest';
import { Adam, linear, mseLoss, tensor, type Tensor } from '../../src/index.ts';
import { expectClose, reference } from '../helpers/reference.ts';

type Params = Record<string, Tensor>;
const load = (spec: Record<string, { shape: number[]; data: number[] }>): Params =>
  Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, tensor(v.data, v.shape, { requiresGrad: true })]));

forEachBackend(() => describe('dense autoencoder matches PyTorch', () => {
  const ref = reference.dense_autoencoder;
  it('loss, gradients, and parameters after 3 Adam steps', () => {
    const p = load(ref.init);
    const layers = ref.dims.length - 1;
    const x = tensor(ref.input.data, ref.input.shape);
    const forward = () => {
      let h = x;
      for (let i = 0; i < layers; i++) {
        h = linear(h, p[`${i}.weight`], p[`${i}.bias`]);
        if (i < layers - 1) h = h.relu(); // relu between layers, none on the output
      }
      return mseLoss(h, x);
    };
    const opt = new Adam(Object.values(p), { lr: ref.optimizer.lr, betas: ref.optimizer.betas, eps: ref.optimizer.eps });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const loss = forward();
      expectClose([loss.item()], [ref.losses_before_each_step[step]], `loss before step ${step}`);
      loss.backward();
      if (step === 0) {
        for (const [k, g] of Object.entries(ref.grads_at_step0 as Record<string, number[]>)) {
          expectClose(p[k].grad!.toFloat32Array(), g, `grad ${k} at step 0`);
        }
      }
      opt.step();
    }
    for (const [k, v] of Object.entries(ref.params_after_3_steps as Record<string, number[]>)) {
      expectClose(p[k].toFloat32Array(), v, `param ${k} after 3 steps`);
    }
  });
}));

forEachBackend(() => describe('VAE matches PyTorch', () => {
  const ref = reference.vae;
  it('recon + β·KL loss and gradients with the given noise', () => {
    const p = load(ref.params);
    const x = tensor(ref.input.data, ref.input.shape);
    const eps = tensor(ref.eps.data, ref.eps.shape);
    const batch = x.shape[0];
    const h = linear(x, p['enc.weight'], p['enc.bias']).relu();
    const mu = linear(h, p['mu.weight'], p['mu.bias']);
    const logvar = linear(h, p['logvar.weight'], p['logvar.bias']);
    const z = mu.add(eps.mul(logvar.mul(0.5).exp())); // reparameterisation: z = μ + ε·σ
    const recon = linear(linear(z, p['dec1.weight'], p['dec1.bias']).relu(), p['dec2.weight'], p['dec2.bias']);
    const reconLoss = recon.sub(x).square().sum().div(batch);
    // KL(q(z|x) || N(0, I)) = -½ Σ (1 + log σ² - μ² - σ²), per sample
    const kl = logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5 / batch);
    const loss = reconLoss.add(kl.mul(ref.beta));
    expectClose([reconLoss.item()], [ref.recon], 'recon');
    expectClose([kl.item()], [ref.kl], 'kl');
    expectClose([loss.item()], [ref.loss], 'loss');
    loss.backward();
    for (const [k, g] of Object.entries(ref.grads as Record<string, number[]>)) {
      expect(p[k].grad, k).not.toBeNull();
      expectClose(p[k].grad!.toFloat32Array(), g, `grad ${k}`);
    }
  });
}));
