// Elementwise ops: forward and backward side by side. Kernels come from the active backend.

import { getBackend, type BinaryOp, type UnaryOp } from '../../backends/backend.ts';
import { broadcastShapes, sameShape, sizeOf } from '../shape.ts';
import { fromOp, Tensor, type Operand } from '../tensor.ts';

function asTensor(v: Operand): Tensor {
  return v instanceof Tensor ? v : new Tensor(Float32Array.of(v), []);
}

function unaryOp(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  const backend = getBackend();
  const y = new Float32Array(x.size);
  backend.unary(op, x.data, y, alpha);
  return fromOp(y, x.shape, op, [x], (gy) => {
    backend.unaryBackward(op, x.data, y, gy, x.gradBuffer(), alpha);
  });
}

export const neg = (x: Tensor) => unaryOp('neg', x);
export const relu = (x: Tensor) => unaryOp('relu', x);
export const leakyRelu = (x: Tensor, slope = 0.01) => unaryOp('leakyRelu', x, slope);
export const sigmoid = (x: Tensor) => unaryOp('sigmoid', x);
export const tanh = (x: Tensor) => unaryOp('tanh', x);
export const exp = (x: Tensor) => unaryOp('exp', x);
export const log = (x: Tensor) => unaryOp('log', x);
/** log(1 + eˣ), computed stably for large |x|. */
export const softplus = (x: Tensor) => unaryOp('softplus', x);
export const square = (x: Tensor) => unaryOp('square', x);
export const sqrt = (x: Tensor) => unaryOp('sqrt', x);
export const abs = (x: Tensor) => unaryOp('abs', x);
export const pow = (x: Tensor, exponent: number) =>
  exponent === 2 ? unaryOp('square', x) : unaryOp('pow', x, exponent);

/** Adds `g` (shaped like the broadcast output) into `t`'s gradient, summing broadcast axes. */
function accumulate(t: Tensor, g: Float32Array, outShape: readonly number[]): void {
  if (!t.requiresGrad) return;
  getBackend().sumToShape(g, outShape, t.gradBuffer(), t.shape);
}

function binaryOp(op: BinaryOp, aIn: Operand, bIn: Operand): Tensor {
  const a = asTensor(aIn), b = asTensor(bIn);
  const backend = getBackend();
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape);
  const out = new Float32Array(sizeOf(shape));
  backend.binary(op, a.data, a.shape, b.data, b.shape, out, shape);
  return fromOp(out, shape, op, [a, b], (g) => {
    const n = g.length;
    switch (op) {
      case 'add': // d(a+b) = g, g
        accumulate(a, g, shape); accumulate(b, g, shape); return;
      case 'sub': { // d(a-b) = g, -g
        accumulate(a, g, shape);
        if (!b.requiresGrad) return;
        const ng = new Float32Array(n);
        backend.unary('neg', g, ng, 0);
        accumulate(b, ng, shape); return;
      }
      case 'mul': { // d(a·b) = g·b, g·a
        const tmp = new Float32Array(n);
        if (a.requiresGrad) { backend.binary('mul', g, shape, b.data, b.shape, tmp, shape); accumulate(a, tmp, shape); }
        if (b.requiresGrad) { backend.binary('mul', g, shape, a.data, a.shape, tmp, shape); accumulate(b, tmp, shape); }
        return;
      }
      case 'div': { // d(a/b) = g/b, -g·a/b² = -(g/b)·(a/b) = -(g/b)·out
        const gOverB = new Float32Array(n);
        backend.binary('div', g, shape, b.data, b.shape, gOverB, shape);
        accumulate(a, gOverB, shape);
        if (!b.requiresGrad) return;
        backend.binary('mul', gOverB, shape, out, shape, gOverB, shape);
        backend.unary('neg', gOverB, gOverB, 0);
        accumulate(b, gOverB, shape); return;
      }
    }
  });
}

export const add = (a: Operand, b: Operand) => binaryOp('add', a, b);
export const sub = (a: Operand, b: Operand) => binaryOp('sub', a, b);
export const mul = (a: Operand, b: Operand) => binaryOp('mul', a, b);
export const div = (a: Operand, b: Operand) => binaryOp('div', a, b);
