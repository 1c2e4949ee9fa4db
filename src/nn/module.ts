// Module: the base of every layer and model. Parameters are registered by name so that the
// state dict has PyTorch's keys (`encoder.0.weight`) and weights move to and from PyTorch.

import type { Tensor } from '../engine/tensor.ts';
import { formatShape, sameShape } from '../engine/shape.ts';

export abstract class Module {
  private readonly params = new Map<string, Tensor>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();
  training = true;

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers a trainable tensor under `name` (marks it requiresGrad). */
  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    this.params.set(name, t);
    return t;
  }

  /**
   * Registers state that is saved and loaded but not trained (torch's register_buffer): BatchNorm's
   * running statistics. Buffers are in stateDict, never in parameters().
   */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this.buffers.set(name, t);
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** [key, tensor] pairs in registration order, keys dotted like PyTorch's. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.params) out.push([prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** [key, tensor] pairs of the buffers, keys dotted like namedParameters'. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.buffers) out.push([prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** What stateDict holds, in PyTorch's order: each module's parameters, then its buffers, then its children. */
  private namedState(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, t] of this.params) out.push([prefix + n, t]);
    for (const [n, t] of this.buffers) out.push([prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedState(`${prefix}${n}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  stateDict(): Record<string, { shape: number[]; data: Float32Array }> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, t] of this.namedState()) out[k] = { shape: [...t.shape], data: t.data.slice() };
    return out;
  }

  /** Copies values in (parameters and buffers); every key must be present with the same shape, and no extra keys. */
  loadStateDict(state: Record<string, { shape: readonly number[]; data: Float32Array }>): void {
    const own = new Map(this.namedState());
    for (const key of Object.keys(state)) if (!own.has(key)) throw new Error(`unexpected parameter "${key}" in state dict`);
    for (const [key, t] of own) {
      const s = state[key];
      if (!s) throw new Error(`missing parameter "${key}" in state dict`);
      if (!sameShape(s.shape, t.shape)) {
        throw new Error(`parameter "${key}" has shape ${formatShape(s.shape)}, model expects ${formatShape(t.shape)}`);
      }
      t.data.set(s.data);
    }
  }

  train(on = true): this {
    this.training = on;
    for (const m of this.children.values()) m.train(on);
    return this;
  }

  eval(): this { return this.train(false); }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad?.data.fill(0);
  }
}

