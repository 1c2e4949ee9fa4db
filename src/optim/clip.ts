// Gradient-norm clipping (torch.nn.utils.clip_grad_norm_): scales all gradients so that their
// global L2 norm is at most maxNorm. Returns the norm before clipping.

import type { Tensor } from '../engine/tensor.ts';

export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) if (p.grad) for (const g of p.grad.data) sq += g * g;
  const norm = Math.sqrt(sq);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) for (const p of params) if (p.grad) { const g = p.grad.data; for (let i = 0; i < g.length; i++) g[i] *= scale; }
  return norm;
}
