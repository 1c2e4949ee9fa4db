// Reductions: sumToShape (out += x summed down to outShape) and the partial sums that the
// MSE loss and full sums use.
//
// A GPU thread cannot add into a shared total, so each output cell loops over the inputs
// that land in it ("gather"). A full sum is done in two stages: the device adds chunks of
// CHUNK elements (one thread per chunk), then the CPU adds the few partial sums in float64.

import { reductionIndex } from './broadcast.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

/** Elements each thread adds in a full sum. */
export const CHUNK = 256;

function partialSumSpec(n: number, squaredDiff: boolean): KernelSpec {
  // Thread t adds elements [t·CHUNK, (t+1)·CHUNK) of x, or of (x - y)² for the MSE loss.
  const term = squaredDiff ? '(x[i] - y[i]) * (x[i] - y[i])' : 'x[i]';
  return {
    source: `function (x${squaredDiff ? ', y' : ''}) {
      let sum = 0;
      for (let r = 0; r < ${CHUNK}; r++) {
        const i = this.thread.x * ${CHUNK} + r;
        if (i < this.constants.n) { sum += ${term}; }
      }
      return sum;
    }`,
    argumentTypes: squaredDiff ? { x: 'Array', y: 'Array' } : { x: 'Array' },
    outputLength: Math.ceil(n / CHUNK),
    constants: { n },
    maxLoop: CHUNK,
  };
}

/** Σ x[i] (or Σ (x[i] - y[i])² when y is given): partial sums on the device, total here. */
export function fullSum(cache: KernelCache, x: Float32Array, y?: Float32Array): number {
  const n = x.length;
  if (n === 0) return 0;
  const key = `sum:${y ? 'squaredDiff' : 'plain'}:${n}`;
  const spec = () => partialSumSpec(n, y !== undefined);
  const partial = y ? cache.run(key, spec, x, fit(y, n)) : cache.run(key, spec, x);
  let total = 0;
  for (let t = 0; t < partial.length; t++) total += partial[t];
  return total;
}

function addSpec(n: number): KernelSpec {
  return {
    source: 'function (x, out) { return out[this.thread.x] + x[this.thread.x]; }',
    argumentTypes: { x: 'Array', out: 'Array' }, outputLength: n,
  };
}

function columnSumSpec(rows: number, last: number): KernelSpec {
  // x [rows, last] -> out [last]: thread j adds column j (the bias gradient).
  return {
    source: `function (x, out) {
      const j = this.thread.x;
      let sum = 0;
      for (let i = 0; i < this.constants.rows; i++) { sum += x[i * this.constants.last + j]; }
      return out[j] + sum;
    }`,
    argumentTypes: { x: 'Array', out: 'Array' }, outputLength: last,
    constants: { rows, last }, maxLoop: rows,
  };
}

function tableSumSpec(outSize: number, count: number): KernelSpec {
  // table[o·count + r] = index in x of the r-th input of output cell o (see broadcast.ts).
  return {
    source: `function (x, table, out) {
      const o = this.thread.x;
      let sum = 0;
      for (let r = 0; r < this.constants.count; r++) { sum += x[table[o * this.constants.count + r]]; }
      return out[o] + sum;
    }`,
    argumentTypes: { x: 'Array', table: 'Array', out: 'Array' }, outputLength: outSize,
    constants: { count }, maxLoop: count,
  };
}

export class SumKernels {
  private readonly tables = new Map<string, { table: Float32Array; count: number }>();

  constructor(private readonly cache: KernelCache) {}

  /** out += x summed over the axes where outShape broadcasts up to xShape. */
  sumToShape(x: Float32Array, xShape: readonly number[], out: Float32Array,
             outShape: readonly number[]): void {
    const n = x.length, m = out.length;
    if (n === 0 || m === 0) return;
    const last = xShape[xShape.length - 1] ?? 1;
    if (m === n) {
      out.set(this.cache.run(`sum:add:${n}`, () => addSpec(n), x, out));
    } else if (m === 1) {
      out[0] += fullSum(this.cache, x);
    } else if (m === last && outShape[outShape.length - 1] === last) {
      const rows = n / last;
      out.set(this.cache.run(`sum:columns:${rows}x${last}`, () => columnSumSpec(rows, last), x, out));
    } else {
      const key = `[${xShape}]->[${outShape}]`;
      let t = this.tables.get(key);
      if (!t) { t = reductionIndex(xShape, outShape, m); this.tables.set(key, t); }
      const count = t.count;
      out.set(this.cache.run(`sum:table:${key}`, () => tableSumSpec(m, count), x, t.table, out));
    }
  }
}
