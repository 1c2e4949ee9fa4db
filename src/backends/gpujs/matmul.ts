// Matmul on gpu.js: C[m,n] = op(A)[m,k] · op(B)[k,n] (+ C when accumulating), row-major.
//
// One thread per output cell; the output is 1-D (length m·n), so each thread recovers its
// row i and column j from its flat index o. m, k, n are constants baked into each kernel.
// Floor((o + 0.5) / n) keeps the integer division exact on GPUs that divide in float
// (exact while m·n stays below about 8 million cells).

import type { MatmulLayout } from '../backend.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

/** Where A[i,p] and B[p,j] sit in memory for each layout (see backend.ts). */
const A_AT: Record<MatmulLayout, string> = {
  nn: 'a[i * this.constants.k + p]', // A stored [m,k]
  tn: 'a[p * this.constants.m + i]', // A stored [k,m], we use Aᵀ
  nt: 'a[i * this.constants.k + p]', // A stored [m,k]
};
const B_AT: Record<MatmulLayout, string> = {
  nn: 'b[p * this.constants.n + j]', // B stored [k,n]
  tn: 'b[p * this.constants.n + j]', // B stored [k,n]
  nt: 'b[j * this.constants.k + p]', // B stored [n,k], we use Bᵀ
};

function matmulSpec(m: number, k: number, n: number, layout: MatmulLayout,
                    accumulate: boolean): KernelSpec {
  // With accumulate, the old C comes in as a third argument and the kernel returns C + A·B.
  const source = `function (a, b${accumulate ? ', c' : ''}) {
    const o = this.thread.x;
    const i = Math.floor((o + 0.5) / this.constants.n);
    const j = o - i * this.constants.n;
    let sum = 0;
    for (let p = 0; p < this.constants.k; p++) {
      sum += ${A_AT[layout]} * ${B_AT[layout]};
    }
    return ${accumulate ? 'c[o] + sum' : 'sum'};
  }`;
  const argumentTypes: Record<string, 'Array'> = { a: 'Array', b: 'Array' };
  if (accumulate) argumentTypes.c = 'Array';
  return { source, argumentTypes, outputLength: m * n, constants: { m, k, n }, maxLoop: k };
}

export function matmul(cache: KernelCache, a: Float32Array, b: Float32Array, out: Float32Array,
                       m: number, k: number, n: number, layout: MatmulLayout,
                       accumulate: boolean): void {
  if (m * n === 0) return;
  if (k === 0) { if (!accumulate) out.fill(0); return; }
  const key = `matmul:${layout}:${m}x${k}x${n}:${accumulate ? 'acc' : 'set'}`;
  const spec = () => matmulSpec(m, k, n, layout, accumulate);
  const aa = fit(a, m * k), bb = fit(b, k * n), cc = fit(out, m * n);
  cc.set(accumulate ? cache.run(key, spec, aa, bb, cc) : cache.run(key, spec, aa, bb));
}
