// The public way to add an op without touching the engine: give the forward's values, the
// parents, and a backward that returns each parent's gradient. customOp records it on the tape
// exactly as the engine's own ops do (fromOp in tensor.ts), and adds the returned gradients into
// the parents' buffers, so an op never has to know about accumulation or which parents need one.

import { formatShape, sizeOf, type Shape } from './shape.ts';
import { fromOp, type Tensor } from './tensor.ts';

export interface CustomOpDefinition {
  /** Shown in errors and as the output's `op` (default 'custom'). */
  name?: string;
  /** The output values, computed by the caller (row-major, `shape`'s size). */
  forward: Float32Array;
  /** The output shape (default: the first parent's). */
  shape?: Shape;
  /** The inputs the output depends on. */
  parents: readonly Tensor[];
  /**
   * Given dL/d(output) (row-major, the output's size), the gradient for each parent, in order,
   * each with that parent's size; `null` for a parent with no gradient (an integer index, say).
   * Runs once, during backward(); read the inputs' and output's values from the closure.
   */
  backward: (gradOut: Float32Array) => readonly (Float32Array | null)[];
}

/** A new tensor whose backward is `definition.backward` (see docs/read-the-engine.md, "Write your own op"). */
export function customOp({ name = 'custom', forward, shape, parents, backward }: CustomOpDefinition): Tensor {
  if (parents.length === 0) throw new Error(`customOp ${name}: needs at least one parent`);
  const outShape = shape ?? parents[0].shape;
  if (!(forward instanceof Float32Array) || forward.length !== sizeOf(outShape)) {
    throw new Error(`customOp ${name}: forward must be a Float32Array of ${sizeOf(outShape)} values for shape ` +
      `${formatShape(outShape)}, got ${forward instanceof Float32Array ? forward.length : typeof forward}`);
  }
  if (typeof backward !== 'function') throw new Error(`customOp ${name}: backward must be a function`);
  return fromOp(forward, outShape, name, parents, (gradOut) => {
    const grads = backward(gradOut);
    if (!Array.isArray(grads) || grads.length !== parents.length) {
      throw new Error(`customOp ${name}: backward returned ${Array.isArray(grads) ? grads.length : typeof grads} ` +
        `gradients for ${parents.length} parents`);
    }
    parents.forEach((p, k) => {
      const g = grads[k];
      if (g === null || !p.requiresGrad) return;
      if (!(g instanceof Float32Array) || g.length !== p.size) {
        throw new Error(`customOp ${name}: gradient ${k} must be a Float32Array of ${p.size} values (parent shape ` +
          `${formatShape(p.shape)})`);
      }
      const buf = p.gradBuffer();
      for (let i = 0; i < buf.length; i++) buf[i] += g[i];
    });
  });
}
