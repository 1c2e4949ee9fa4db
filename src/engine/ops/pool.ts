// 1-D max pooling and nearest-neighbour upsampling over the last axis of x [N, C, L].

import { pairMax } from '../../backends/composed/conv-pool.ts';
import { formatShape } from '../shape.ts';
import { fromOp, type Tensor } from '../tensor.ts';

/**
 * torch.nn.functional.max_pool1d (no padding, floor mode): x [N, C, L] → y [N, C, Lout],
 * Lout = ⌊(L − kernel)/stride⌋ + 1,  y[n,c,t] = max_{k<kernel} x[n,c,t·stride + k].
 * The forward remembers each window's argmax (the first one on ties, like PyTorch; a NaN wins
 * and propagates); backward sends dy[n,c,t] to exactly that input.
 */
export function maxPool1d(x: Tensor, kernel: number, stride: number = kernel): Tensor {
  if (!Number.isInteger(kernel) || kernel < 1 || !Number.isInteger(stride) || stride < 1) {
    throw new Error(`maxPool1d: kernel and stride must be positive integers, got ${kernel} and ${stride}`);
  }
  if (x.rank !== 3) throw new Error(`maxPool1d needs x [N, C, L], got ${formatShape(x.shape)}`);
  const [N, C, L] = x.shape;
  const Lout = Math.floor((L - kernel) / stride) + 1;
  if (Lout < 1) throw new Error(`maxPool1d: length ${L} is shorter than kernel ${kernel}`);
  const rows = N * C;
  const y = new Float32Array(rows * Lout);
  const argmax = new Int32Array(rows * Lout);          // flat index into x of each window's max
  const xd = x.data;
  if (kernel === 2 && stride === 2) pairMax(xd, rows, L, Lout, y, argmax);   // branch-free, same picks
  else for (let r = 0; r < rows; r++) {
    for (let t = 0; t < Lout; t++) {
      let best = r * L + t * stride, bestV = xd[best];
      for (let i = best + 1, end = best + kernel; i < end; i++) {
        const v = xd[i];
        if (v > bestV || v !== v) { bestV = v; best = i; if (v !== v) break; }
      }
      y[r * Lout + t] = bestV;
      argmax[r * Lout + t] = best;
    }
  }
  return fromOp(y, [N, C, Lout], 'maxPool1d', [x], (gy) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < gy.length; o++) dx[argmax[o]] += gy[o];
  });
}

/**
 * torch.nn.functional.interpolate(mode='nearest') with an integer scale: x [N, C, L] → y [N, C, L·scale],
 * y[n,c,t] = x[n,c,⌊t/scale⌋]. Backward: dx[n,c,j] = Σ_{r<scale} dy[n,c,j·scale + r].
 */
export function upsampleNearest1d(x: Tensor, scale: number): Tensor {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`upsampleNearest1d: scale must be a positive integer, got ${scale}`);
  if (x.rank !== 3) throw new Error(`upsampleNearest1d needs x [N, C, L], got ${formatShape(x.shape)}`);
  const [N, C, L] = x.shape;
  const xd = x.data;
  const y = new Float32Array(xd.length * scale);
  for (let j = 0, o = 0; j < xd.length; j++) {
    const v = xd[j];
    for (let r = 0; r < scale; r++) y[o++] = v;
  }
  return fromOp(y, [N, C, L * scale], 'upsampleNearest1d', [x], (gy) => {
    const dx = x.gradBuffer();
    for (let j = 0, o = 0; j < dx.length; j++) {
      let s = 0;
      for (let r = 0; r < scale; r++) s += gy[o++];
      dx[j] += s;
    }
  });
}
