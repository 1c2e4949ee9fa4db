// The Adam update, written to match torch.optim.Adam (weight decay as L2 added to the gradient):
//   g ← g + λ·p;  m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
//   p ← p - lr · (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + eps)

import type { AdamHyper } from '../backend.ts';

export function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
                           h: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay } = h;
  const stepSize = lr / (1 - Math.pow(beta1, h.step));
  const invBc2Sqrt = 1 / Math.sqrt(1 - Math.pow(beta2, h.step));
  const oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + weightDecay * p[i];
    const mi = beta1 * m[i] + oneMinusB1 * gi;
    const vi = beta2 * v[i] + oneMinusB2 * gi * gi;
    m[i] = mi; v[i] = vi;
    p[i] -= (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
  }
}
