// The four model kinds, as a list of specs (see model-spec.ts). Code that needs every kind (the
// CLI, model folders) uses MODEL_SPECS; an embedding that scores only dense models calls
// detectorForKinds([denseSpec], ...) instead and leaves the other kinds out of its bundle.

import type { Architecture } from './autoencoder.ts';
import { Autoencoder } from './autoencoder.ts';
import { denseSpec } from './dense.ts';
import { vaeSpec } from './vae.ts';
import { lstmSpec } from './lstm.ts';
import { convSpec } from './conv.ts';
import type { ModelSpec } from './model-spec.ts';

export type { ModelSpec } from './model-spec.ts';

export const MODEL_SPECS: readonly ModelSpec<any>[] = [denseSpec, vaeSpec, lstmSpec, convSpec];

export const MODEL_KINDS = ['dense', 'vae', 'lstm', 'conv'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The spec of `kind` among `specs`, or an error naming the known kinds. */
export function specOf(kind: unknown, specs: readonly ModelSpec<any>[] = MODEL_SPECS): ModelSpec<any> {
  const spec = specs.find((s) => s.kind === kind);
  if (!spec) throw new Error(`unknown model kind ${JSON.stringify(kind)} (known: ${specs.map((s) => s.kind).join(', ')})`);
  return spec;
}

/** A freshly initialised model for a trusted architecture (the CLI's flags; a checked manifest). */
export function createAutoencoder(arch: Architecture, seed: number): Autoencoder {
  return specOf(arch.kind).create(arch, seed);
}
