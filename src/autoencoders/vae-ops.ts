// The VAE's sampling and objective as two ops instead of ~15 small ones. Measured (bench profile,
// batch 32): the composed chain (add, mul, exp, sub, square, sum, div, ...) cost more in tape and
// allocation glue than the two encoder layers it sits between. The composition they replace is
// written out in the comments and in test/nn/vae-ops.test.ts, which checks both against each other
// and against PyTorch's numbers (test/fixtures).

import { getCompleteBackend } from '../backends/backend.ts';
import { formatShape, sameShape } from '../engine/shape.ts';
import { fromOp, type Tensor } from '../engine/tensor.ts';

/**
 * z = μ + ε·exp(½·log σ²) [B, z], the reparameterisation trick; ε is given (the caller's noise).
 * Forward rounds like mu.add(eps.mul(logvar.mul(0.5).exp())) step by step, so a sampled score
 * is bit-identical to the composed ops. Backward: dμ += dz, dlog σ² += dz·ε·σ·½.
 */
export function reparameterize(mu: Tensor, logvar: Tensor, eps: Float32Array): Tensor {
  const n = mu.size;
  if (!sameShape(mu.shape, logvar.shape) || eps.length !== n) {
    throw new Error(`reparameterize: mu ${formatShape(mu.shape)}, logvar ${formatShape(logvar.shape)} and ${eps.length} noise values do not match`);
  }
  const sigma = new Float32Array(n), z = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sigma[i] = Math.exp(Math.fround(0.5 * logvar.data[i]));
    z[i] = mu.data[i] + Math.fround(eps[i] * sigma[i]);
  }
  return fromOp(z, mu.shape, 'reparameterize', [mu, logvar], (gz) => {
    if (mu.requiresGrad) { const g = mu.gradBuffer(); for (let i = 0; i < n; i++) g[i] += gz[i]; }
    if (logvar.requiresGrad) {
      const g = logvar.gradBuffer();
      for (let i = 0; i < n; i++) g[i] += Math.fround(Math.fround(gz[i] * eps[i]) * sigma[i]) * 0.5;
    }
  });
}

/**
 * The VAE objective as one scalar op, summed in f64 and divided by `per`:
 *   ( Σ (x̂ − x)²  −  weight·½ Σ (1 + log σ² − μ² − σ²) ) / per
 * i.e. recon.sub(x).square().sum().div(per) + weight·logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5/per).
 * The squared error runs on the backend's MSE kernel (wasm: f32x4 in f64 lanes). Backward:
 *   dx̂ += g·2(x̂ − x)/per,  dμ += g·weight·μ/per,  dlog σ² += g·weight·½(σ² − 1)/per.
 */
export function vaeObjective(recon: Tensor, x: Tensor, mu: Tensor, logvar: Tensor, weight: number, per: number): Tensor {
  if (!sameShape(recon.shape, x.shape) || !sameShape(mu.shape, logvar.shape)) {
    throw new Error(`vaeObjective: recon ${formatShape(recon.shape)} vs x ${formatShape(x.shape)}, ` +
      `mu ${formatShape(mu.shape)} vs logvar ${formatShape(logvar.shape)} must match`);
  }
  const backend = getCompleteBackend();
  const n = recon.size;
  const sse = backend.mseLoss(recon.data, x.data) * n;
  let klSum = 0;
  for (let i = 0; i < mu.size; i++) {
    const lv = logvar.data[i], m = mu.data[i];
    klSum += 1 + lv - m * m - Math.exp(lv);
  }
  const value = (sse - 0.5 * weight * klSum) / per;
  return fromOp(Float32Array.of(value), [], 'vaeObjective', [recon, x, mu, logvar], (g) => {
    const scale = (g[0] * n) / per; // mseLossBackward adds scale·2(p − t)/n
    if (recon.requiresGrad) backend.mseLossBackward(recon.data, x.data, scale, recon.gradBuffer());
    if (x.requiresGrad) backend.mseLossBackward(x.data, recon.data, scale, x.gradBuffer());
    const c = (g[0] * weight) / per;
    if (mu.requiresGrad) { const gm = mu.gradBuffer(); for (let i = 0; i < mu.size; i++) gm[i] += c * mu.data[i]; }
    if (logvar.requiresGrad) {
      const gl = logvar.gradBuffer();
      for (let i = 0; i < logvar.size; i++) gl[i] += c * 0.5 * (Math.exp(logvar.data[i]) - 1);
    }
  });
}
