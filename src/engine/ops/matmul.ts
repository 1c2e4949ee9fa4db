// Matrix product. a [..., m, k] · b [k, n] → [..., m, n] (leading axes of a fold into m).
// Backward uses the Aᵀ·B and A·Bᵀ kernels so no transpose is ever materialised:
//   dA = dC · Bᵀ   (layout 'nt'),   dB = Aᵀ · dC   (layout 'tn').

import { getBackend } from '../../backends/backend.ts';
import { formatShape } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank < 2 || b.rank !== 2) {
    throw new Error(`matmul needs a [..., m, k] and b [k, n], got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const k = a.shape[a.rank - 1], n = b.shape[1];
  if (b.shape[0] !== k) {
    throw new Error(`matmul: inner sizes differ: ${formatShape(a.shape)} · ${formatShape(b.shape)}`);
  }
  const m = a.size / k;
  const backend = getBackend();
  const out = new Float32Array(m * n);
  backend.matmul(a.data, b.data, out, m, k, n, 'nn', false);
  const shape = [...a.shape.slice(0, -1), n];
  return fromOp(out, shape, 'matmul', [a, b], (g) => {
    if (a.requiresGrad) backend.matmul(g, b.data, a.gradBuffer(), m, n, k, 'nt', true); // [m,n]·[k,n]ᵀ
    if (b.requiresGrad) backend.matmul(a.data, g, b.gradBuffer(), k, m, n, 'tn', true); // [m,k]ᵀ·[m,n]
  });
}
