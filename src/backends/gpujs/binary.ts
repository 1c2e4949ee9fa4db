// out = a (op) b with NumPy broadcasting, one thread per output element.
//
// Fast paths, like the CPU kernel: same shape, scalar b, and b a row broadcast over the last
// axis (a bias). Every other pattern (a broadcast, size-1 middle axes, ...) reads both inputs
// through index tables from broadcast.ts: out[o] = a[ia[o]] (op) b[ib[o]].

import type { BinaryOp } from '../backend.ts';
import { broadcastIndex } from './broadcast.ts';
import { fit, type KernelCache, type KernelSpec } from './kernel-cache.ts';

const SYMBOL: Record<BinaryOp, string> = { add: '+', sub: '-', mul: '*', div: '/' };

type Pattern = 'same' | 'scalar' | 'row' | 'table';

/** How b (and a) are read, for each pattern. `last` is the length of the last axis. */
const READ: Record<Pattern, { a: string; b: string; args: string }> = {
  same: { a: 'a[o]', b: 'b[o]', args: 'a, b' },
  scalar: { a: 'a[o]', b: 'b[0]', args: 'a, b' },
  row: { a: 'a[o]', b: 'b[o - Math.floor((o + 0.5) / this.constants.last) * this.constants.last]', args: 'a, b' },
  table: { a: 'a[ia[o]]', b: 'b[ib[o]]', args: 'a, b, ia, ib' },
};

function binarySpec(op: BinaryOp, pattern: Pattern, n: number, last: number): KernelSpec {
  const r = READ[pattern];
  const argumentTypes: Record<string, 'Array'> = { a: 'Array', b: 'Array' };
  if (pattern === 'table') { argumentTypes.ia = 'Array'; argumentTypes.ib = 'Array'; }
  return {
    source: `function (${r.args}) {
      const o = this.thread.x;
      return ${r.a} ${SYMBOL[op]} ${r.b};
    }`,
    argumentTypes,
    outputLength: n,
    constants: pattern === 'row' ? { last } : undefined,
  };
}

export class BinaryKernels {
  /** Index tables per (aShape, bShape) pair, built once. */
  private readonly tables = new Map<string, { ia: Float32Array; ib: Float32Array }>();

  constructor(private readonly cache: KernelCache) {}

  run(op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
      bShape: readonly number[], out: Float32Array, outShape: readonly number[]): void {
    const n = out.length;
    if (n === 0) return;
    const last = outShape[outShape.length - 1] ?? 1;
    const na = size(aShape), nb = size(bShape);
    let pattern: Pattern;
    if (na === n && nb === n) pattern = 'same';
    else if (na === n && nb === 1) pattern = 'scalar';
    else if (na === n && nb === last && bShape[bShape.length - 1] === last) pattern = 'row';
    else pattern = 'table';

    const key = `binary:${op}:${pattern}:[${aShape}]:[${bShape}]:[${outShape}]`;
    const spec = () => binarySpec(op, pattern, n, last);
    const aa = fit(a, na), bb = fit(b, nb);
    if (pattern !== 'table') {
      out.set(this.cache.run(key, spec, aa, bb));
      return;
    }
    const t = this.table(aShape, bShape, outShape);
    out.set(this.cache.run(key, spec, aa, bb, t.ia, t.ib));
  }

  private table(aShape: readonly number[], bShape: readonly number[],
                outShape: readonly number[]): { ia: Float32Array; ib: Float32Array } {
    const key = `[${aShape}]:[${bShape}]:[${outShape}]`;
    let t = this.tables.get(key);
    if (!t) {
      t = { ia: broadcastIndex(aShape, outShape), ib: broadcastIndex(bShape, outShape) };
      this.tables.set(key, t);
    }
    return t;
  }
}

function size(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}
