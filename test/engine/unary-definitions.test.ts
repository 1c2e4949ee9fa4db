// The unary ops are defined once (UNARY_OPS in src/engine/ops/elementwise.ts): the cpu backend's
// forward loops must equal those definitions bit for bit, and the gpu.js kernel strings must
// agree with them (gpu.js 'cpu' mode runs the strings as JavaScript), for every UnaryOp.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend, createRng, UNARY_OPS, type UnaryOp } from '../../src/index.ts';
import { createGpujsBackend, type GpujsBackend } from '../../src/backends/gpujs/index.ts';
import { expectClose } from '../helpers/reference.ts';

const ALPHA: Partial<Record<UnaryOp, number>> = { leakyRelu: 0.01, pow: 3 };
const positive = new Set<UnaryOp>(['log', 'sqrt']);
const ops = Object.keys(UNARY_OPS) as UnaryOp[];
const inputs = (op: UnaryOp) => {
  const rng = createRng(`defs-${op}`);
  return Float32Array.from({ length: 500 }, () => (positive.has(op) ? 0.1 + 3 * rng.uniform() : -6 + 12 * rng.uniform()));
};
const definition = (op: UnaryOp, x: Float32Array) =>
  x.map((v) => Math.fround(UNARY_OPS[op].forward(v, ALPHA[op] ?? 0)));

describe('unary definitions', () => {
  it('cpu forward kernels equal the definitions bit for bit', () => {
    const cpu = createCpuBackend();
    for (const op of ops) {
      const x = inputs(op), out = new Float32Array(x.length);
      cpu.unary(op, x, out, ALPHA[op] ?? 0);
      expect(Array.from(out), op).toEqual(Array.from(definition(op, x)));
    }
  });

  describe('gpu.js kernel strings agree with the definitions', () => {
    let gpu: GpujsBackend;
    beforeAll(async () => { gpu = await createGpujsBackend({ mode: 'cpu' }); });
    afterAll(() => gpu?.destroy());
    it('every op', () => {
      for (const op of ops) {
        const x = inputs(op), out = new Float32Array(x.length);
        gpu.unary(op, x, out, ALPHA[op] ?? 0);
        expectClose(out, definition(op, x), `gpujs ${op}`);
      }
    });
  });
});
