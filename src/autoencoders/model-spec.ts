// What the rest of cardiograd needs to know about one kind of autoencoder, in one object:
// the manifest's architecture schema, the parameter shapes an architecture implies, and how
// to build the model. Each kind's spec sits next to its class (denseSpec in dense.ts, ...) so
// a bundle that imports only denseSpec carries no LSTM, Conv1D or VAE code.

import * as v from 'valibot';
import type { Architecture, Autoencoder } from './autoencoder.ts';

export interface ModelSpec<A extends Architecture = Architecture> {
  readonly kind: A['kind'];
  /** Validates a manifest's `architecture` object (kind and length included). */
  readonly architectureSchema: v.GenericSchema<unknown, A>;
  /**
   * name -> shape of every parameter the model will have, in state-dict order, computed
   * arithmetically: nothing is allocated, so a hostile architecture costs nothing to check.
   */
  parameterShapes(arch: A): Record<string, number[]>;
  /** A freshly initialised model (seeded). */
  create(arch: A, seed: number): Autoencoder;
  /** True when the model can score by Monte-Carlo sampling (the VAE). */
  readonly canSample: boolean;
}

// Schema pieces shared by the kinds. Messages say what was expected; the formatter adds the
// field path and the value received.

/** Positive integers up to 2^24: no real layer is larger, and products stay exact. */
export const positiveInt = v.pipe(
  v.number('expected a positive integer'),
  v.integer('expected a positive integer'),
  v.minValue(1, 'expected a positive integer'),
  v.maxValue(2 ** 24, 'expected a positive integer no larger than 16777216'),
);

export const layerSizes = v.pipe(
  v.array(positiveInt, 'expected an array of positive integers'),
  v.minLength(1, 'expected at least one layer size'),
  v.maxLength(64, 'expected at most 64 layer sizes'),
);

export function kindAndLength<K extends string>(kind: K) {
  return {
    kind: v.literal(kind, `expected "${kind}"`),
    length: positiveInt,
  };
}

/** [out, in] weight and [out] bias of a Linear layer named `name`. */
export function linearShapes(out: Record<string, number[]>, name: string, inFeatures: number, outFeatures: number): void {
  out[`${name}.weight`] = [outFeatures, inFeatures];
  out[`${name}.bias`] = [outFeatures];
}
