// The VAE's fused ops (src/autoencoders/vae-ops.ts) against the composition they replace and
// against PyTorch's numbers for the same small VAE (test/fixtures), on both kernel backends.

import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { expectClose, reference } from '../helpers/reference.ts';
import { createRng, linear, tensor, Tensor } from '../../src/index.ts';
import { reparameterize, vaeObjective } from '../../src/autoencoders/vae-ops.ts';

type Params = Record<string, Tensor>;
const load = (spec: Record<string, { shape: number[]; data: number[] }>): Params =>
  Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, tensor(v.data, v.shape, { requiresGrad: true })]));

/** Odd-shaped leaf tensors with seeded values (requiresGrad). */
function leaf(shape: number[], seed: string, scale = 1): Tensor {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: shape[0] * shape[1] }, () => scale * rng.normal());
  return new Tensor(data, shape, true);
}

forEachBackend(() => describe('VAE fused ops', () => {
  it('match the composed ops: value and every gradient (odd shapes, β 0.37, per 5)', () => {
    const [B, L, Z] = [5, 13, 3];
    const weight = 0.37, per = B;
    const run = (fused: boolean) => {
      const x = leaf([B, L], 'x'), w = leaf([L, Z], 'w', 0.5), mu = leaf([B, Z], 'mu'), logvar = leaf([B, Z], 'lv', 0.5);
      const eps = leaf([B, Z], 'eps').data;
      const z = fused ? reparameterize(mu, logvar, eps) : mu.add(new Tensor(eps, mu.shape).mul(logvar.mul(0.5).exp()));
      const recon = z.matmul(w.transpose());
      const loss = fused ? vaeObjective(recon, x, mu, logvar, weight, per)
        : recon.sub(x).square().sum().div(per)
          .add(logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5 / per).mul(weight));
      loss.backward();
      return { z: z.data.slice(), loss: loss.item(), grads: [w, mu, logvar].map((t) => t.grad!.data.slice()) };
    };
    const fused = run(true), composed = run(false);
    expect(Array.from(fused.z)).toEqual(Array.from(composed.z)); // the sample is bit-identical
    expect(fused.loss).toBeCloseTo(composed.loss, 4);
    fused.grads.forEach((g, k) => expectClose(g, Array.from(composed.grads[k]), `grad ${k}`));
  });

  it('match PyTorch: loss and gradients of the reference VAE with its noise', () => {
    const ref = reference.vae;
    const p = load(ref.params);
    const x = tensor(ref.input.data, ref.input.shape);
    const h = linear(x, p['enc.weight'], p['enc.bias']).relu();
    const mu = linear(h, p['mu.weight'], p['mu.bias']);
    const logvar = linear(h, p['logvar.weight'], p['logvar.bias']);
    const z = reparameterize(mu, logvar, Float32Array.from(ref.eps.data));
    const recon = linear(linear(z, p['dec1.weight'], p['dec1.bias']).relu(), p['dec2.weight'], p['dec2.bias']);
    const loss = vaeObjective(recon, x, mu, logvar, ref.beta, x.shape[0]);
    expectClose([loss.item()], [ref.loss], 'loss');
    loss.backward();
    for (const [k, g] of Object.entries(ref.grads as Record<string, number[]>)) expectClose(p[k].grad!.toFloat32Array(), g, `grad ${k}`);
  });

  it('refuse shapes that do not match', () => {
    const a = leaf([2, 3], 'a'), b = leaf([3, 2], 'b');
    expect(() => reparameterize(a, b, new Float32Array(6))).toThrow(/reparameterize: mu \[2, 3\]/);
    expect(() => vaeObjective(a, b, a, a, 1, 2)).toThrow(/vaeObjective: recon \[2, 3\] vs x \[3, 2\]/);
  });
}));
