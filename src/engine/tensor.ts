// Tensor: a flat Float32Array plus a shape, and the reverse-mode autodiff graph around it.
//
// Every op (see ops/) builds its output with `fromOp`, handing over a closure that, given the
// output's gradient, adds each input's gradient into that input's grad buffer. `backward()`
// runs those closures in reverse topological order and then releases the graph, so memory
// stays flat over thousands of training steps.

import { formatShape, sizeOf, stridesOf, type Shape } from './shape.ts';
import { rngFor } from './random.ts';
import * as elementwise from './ops/elementwise.ts';
import * as reduce from './ops/reduce.ts';
import * as layout from './ops/layout.ts';
import { matmul } from './ops/matmul.ts';
import * as extremum from './ops/extremum.ts';

let gradEnabled = true;

// Pool of released gradient buffers by length: a training loop repeats the same shapes every
// step, so reusing them removes most garbage-collection work. Only gradients of intermediate
// tensors go here; nothing outside the engine can still hold them after backward.
const gradPool = new Map<number, Float32Array[]>();
const POOL_LIMIT_PER_SIZE = 64;

function takeZeroed(size: number): Float32Array {
  const buf = gradPool.get(size)?.pop();
  return buf ? buf.fill(0) : new Float32Array(size);
}

function giveBack(buf: Float32Array): void {
  let list = gradPool.get(buf.length);
  if (!list) gradPool.set(buf.length, (list = []));
  if (list.length < POOL_LIMIT_PER_SIZE) list.push(buf);
}

/** Runs fn with gradient tracking off (inference): no graph is built. */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try { return fn(); } finally { gradEnabled = before; }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export type Operand = Tensor | number;

/** What tolist returns: a number for a scalar, else arrays nested once per dim. */
export type NestedList = number | NestedList[];

export class Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
  requiresGrad: boolean;
  /** Accumulated gradient (same shape), created on first use by backward. */
  grad: Tensor | null = null;
  /** Graph links: the inputs of the op that made this tensor and its backward closure. */
  parents: readonly Tensor[] = [];
  backwardFn: ((gradOut: Float32Array) => void) | null = null;
  /** Name of the op that produced this tensor (for errors and debugging). */
  op = 'leaf';
  /** Set when backward has released this op's graph links: a second pass would be wrong. */
  graphFreed = false;

  constructor(data: Float32Array, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`tensor data has ${data.length} values but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  get size(): number { return this.data.length; }
  get rank(): number { return this.shape.length; }
  get strides(): number[] { return stridesOf(this.shape); }

  /** The gradient buffer, allocated as zeros on first use. Backward closures add into it. */
  gradBuffer(): Float32Array {
    if (!this.grad) this.grad = new Tensor(takeZeroed(this.size), this.shape);
    return this.grad.data;
  }

  /**
   * grad += g (g of this tensor's size). A first gradient is copied in (one set) instead of added
   * to a zero-filled buffer: the same values, one pass instead of two (reshape's backward).
   */
  addToGrad(g: Float32Array): void {
    if (this.grad) {
      const d = this.grad.data;
      for (let i = 0; i < d.length; i++) d[i] += g[i];
      return;
    }
    const buf = gradPool.get(this.size)?.pop() ?? new Float32Array(this.size);
    buf.set(g.subarray(0, this.size));
    this.grad = new Tensor(buf, this.shape);
  }

  /** The tensor's own buffer (no copy): writing to it changes the tensor. */
  toFloat32Array(): Float32Array { return this.data; }
  toArray(): number[] { return Array.from(this.data); }
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item() needs a one-element tensor, got shape ${formatShape(this.shape)}`);
    return this.data[0];
  }
  /** The same values, sharing the buffer, outside the graph (like torch's detach). */
  detach(): Tensor { return new Tensor(this.data, this.shape); }
  /** A copy with its own buffer, outside the graph (torch's clone().detach()). */
  clone(): Tensor { return new Tensor(this.data.slice(), this.shape); }

  /**
   * Backpropagates from this tensor. A scalar starts from gradient 1; otherwise pass the
   * upstream gradient (like torch's `tensor.backward(gradient)`).
   */
  backward(gradient?: Tensor | Float32Array): void {
    if (!this.requiresGrad) throw new Error('backward() on a tensor that does not require grad');
    const seed = gradient instanceof Tensor ? gradient.data : gradient;
    if (!seed && this.size !== 1) {
      throw new Error(`backward() without a gradient needs a scalar, got shape ${formatShape(this.shape)}`);
    }
    if (seed && seed.length !== this.size) {
      throw new Error(`backward(): the gradient has ${seed.length} values, the tensor ${this.size}`);
    }
    const order = topologicalOrder(this);
    const freed = order.find((node) => node.graphFreed);
    if (freed) {
      throw new Error(`backward() through a graph that an earlier backward() already released (at a ${freed.op} op): ` +
        'add the losses first and call backward() once');
    }
    const g = this.gradBuffer();
    if (seed) { for (let i = 0; i < g.length; i++) g[i] += seed[i]; } else g[0] += 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      if (node.backwardFn && node.grad) node.backwardFn(node.grad.data);
    }
    // Release the graph: intermediate tensors drop their links and gradients (leaves keep
    // theirs). Intermediate gradient buffers go back to a pool for the next step to reuse.
    for (const node of order) {
      if (node.backwardFn) {
        if (node.grad) giveBack(node.grad.data);
        node.backwardFn = null; node.parents = []; node.grad = null; node.graphFreed = true;
      }
    }
  }

  // Elementwise arithmetic (tensor or number, NumPy broadcasting).
  add(other: Operand): Tensor { return elementwise.add(this, other); }
  sub(other: Operand): Tensor { return elementwise.sub(this, other); }
  mul(other: Operand): Tensor { return elementwise.mul(this, other); }
  div(other: Operand): Tensor { return elementwise.div(this, other); }
  neg(): Tensor { return elementwise.neg(this); }
  pow(exponent: number): Tensor { return elementwise.pow(this, exponent); }
  square(): Tensor { return elementwise.square(this); }
  sqrt(): Tensor { return elementwise.sqrt(this); }
  abs(): Tensor { return elementwise.abs(this); }
  relu(): Tensor { return elementwise.relu(this); }
  leakyRelu(slope = 0.01): Tensor { return elementwise.leakyRelu(this, slope); }
  sigmoid(): Tensor { return elementwise.sigmoid(this); }
  tanh(): Tensor { return elementwise.tanh(this); }
  exp(): Tensor { return elementwise.exp(this); }
  log(): Tensor { return elementwise.log(this); }
  softplus(): Tensor { return elementwise.softplus(this); }
  sin(): Tensor { return elementwise.sin(this); }
  cos(): Tensor { return elementwise.cos(this); }
  gelu(options?: elementwise.GeluOptions): Tensor { return elementwise.gelu(this, options); }
  /** torch.clamp: either bound may be undefined. */
  clamp(min?: number, max?: number): Tensor { return elementwise.clamp(this, min, max); }

  // Linear algebra and reductions.
  matmul(other: Tensor): Tensor { return matmul(this, other); }
  sum(axis?: number, keepDim = false): Tensor { return reduce.sum(this, axis, keepDim); }
  mean(axis?: number, keepDim = false): Tensor { return reduce.mean(this, axis, keepDim); }
  logSumExp(axis: number, keepDim = false): Tensor { return reduce.logSumExp(this, axis, keepDim); }
  /** Largest value along `dim` (torch.max(x, dim).values); the gradient goes to the first arg-max. */
  max(dim: number, keepDim = false): Tensor { return extremum.max(this, dim, keepDim); }
  /** Smallest value along `dim`; the gradient goes to the first arg-min. */
  min(dim: number, keepDim = false): Tensor { return extremum.min(this, dim, keepDim); }

  // Layout.
  reshape(shape: readonly number[]): Tensor { return layout.reshape(this, shape); }
  /** Swaps two axes (default: the last two), like torch.transpose. */
  transpose(dim0 = -2, dim1 = -1): Tensor { return layout.transpose(this, dim0, dim1); }
  /** Elements start..end-1 along `axis` (torch.narrow with an end index). */
  slice(axis: number, start: number, end: number): Tensor { return layout.slice(this, axis, start, end); }

  /** The values as nested arrays shaped like the tensor (a number for a scalar), as torch's tolist. */
  tolist(): NestedList {
    const build = (axis: number, offset: number): NestedList => {
      if (axis === this.rank) return this.data[offset];
      const step = this.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * step));
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, op=${this.op}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

/**
 * Builds an op's output. The backward closure is kept only when grad mode is on and some
 * input requires grad; otherwise no graph is recorded.
 */
export function fromOp(data: Float32Array, shape: Shape, op: string, parents: readonly Tensor[],
                       backward: (gradOut: Float32Array) => void): Tensor {
  const out = new Tensor(data, shape);
  out.op = op;
  if (gradEnabled && parents.some((p) => p.requiresGrad)) {
    out.requiresGrad = true;
    out.parents = parents;
    out.backwardFn = backward;
  }
  return out;
}

/** Depth-first post-order: every node comes after all of its inputs. Iterative (deep LSTM graphs). */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next < node.parents.length) {
      top[1]++;
      const p = node.parents[next];
      if (p.requiresGrad && !visited.has(p)) { visited.add(p); stack.push([p, 0]); }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

// ---- creation helpers ------------------------------------------------------------------

export interface TensorOptions { requiresGrad?: boolean }

/** A tensor from nested arrays or flat values plus a shape. */
export function tensor(values: ArrayLike<number> | number | NestedArray, shape?: Shape,
                       options: TensorOptions = {}): Tensor {
  let flat: Float32Array;
  let inferred: number[];
  if (typeof values === 'number') { flat = Float32Array.of(values); inferred = []; }
  else if (isNested(values)) { inferred = nestedShape(values); flat = Float32Array.from(flattenNested(values)); }
  else { flat = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>); inferred = [flat.length]; }
  return new Tensor(flat, shape ?? inferred, options.requiresGrad ?? false);
}

export type NestedArray = readonly (number | NestedArray)[];

function isNested(v: unknown): v is NestedArray {
  return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]);
}

function flattenNested(v: NestedArray, out: number[] = []): number[] {
  for (const x of v) { if (typeof x === 'number') out.push(x); else flattenNested(x, out); }
  return out;
}

function nestedShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) { shape.push(cur.length); cur = cur[0]; }
  return shape;
}

export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape, options.requiresGrad);
}

export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape, options.requiresGrad);
}

/** Uniform in [low, high), from `seed`'s own stream, or the global generator (manualSeed) without one. */
export function randUniform(shape: Shape, seed?: number | string, low = 0, high = 1,
                            options: TensorOptions = {}): Tensor {
  const rng = rngFor(seed ?? undefined);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return new Tensor(data, shape, options.requiresGrad);
}

/** Normal(mean, std), from `seed`'s own stream, or the global generator (manualSeed) without one. */
export function randNormal(shape: Shape, seed?: number | string, mean = 0, std = 1,
                           options: TensorOptions = {}): Tensor {
  const rng = rngFor(seed ?? undefined);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
  return new Tensor(data, shape, options.requiresGrad);
}
