// A tiny, valid dense detector (beats of 8 samples, 8-4-2-4-8) for the model-folder tests:
// manifest fields as `train` writes them, and its tensors, built from a seed.

import '../../src/index.ts';
import { denseSpec } from '../../src/autoencoders/dense.ts';
import type { TensorMap } from '../../src/io/safetensors.ts';

export const L = 8;
export const architecture = { kind: 'dense' as const, length: L, hidden: [4, 2] };

export function smallTensors(seed = 1): TensorMap {
  return denseSpec.create(architecture, seed).stateDict();
}

/** The manifest fields a detector needs (saveModelFolder adds version, marker, files, tensors, checksum). */
export function smallManifest(extra: Record<string, unknown> = {}) {
  return {
    architecture,
    scaler: { kind: 'standard', length: L, mean: Array.from({ length: L }, (_, i) => i / 10), std: Array(L).fill(1.5) },
    threshold: { value: 0.75, method: 'test' },
    scoring: { kind: 'deterministic' },
    normalLabel: '1',
    knownLabels: ['1', '2'],
    ...extra,
  };
}

/** A few beats to score, deterministic. */
export const sampleBeats = Float32Array.from({ length: 5 * L }, (_, i) => Math.sin(i * 0.7) * 2 + (i % L) / 10);
