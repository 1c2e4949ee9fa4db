// The detector: a trained autoencoder, the scaler fitted on normal training beats, and the
// threshold on reconstruction error. This is the scoring core: runtime-agnostic (no Node API),
// so a browser, worker or edge runtime can score beats from a model folder's two files.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { createAutoencoder } from '../autoencoders/registry.ts';
import type { Architecture } from '../autoencoders/autoencoder.ts';
import { transform, scalerFromJSON, type Scaler } from './scaler.ts';
import { reconstructionErrors } from './scoring.ts';

export interface ThresholdInfo {
  value: number;
  /** How it was chosen, e.g. "mean+3std of training errors". */
  method: string;
}

export interface Detection {
  /** Reconstruction error per beat (higher = more anomalous). */
  scores: Float32Array;
  /** 1 where score > threshold. */
  flags: Uint8Array;
  threshold: number;
}

export class Detector {
  constructor(readonly model: Autoencoder, readonly scaler: Scaler, readonly threshold: ThresholdInfo) {}

  get beatLength(): number { return this.model.architecture.length; }

  /** Scores raw (unscaled) beats, row-major [n, length]. */
  detect(beats: Float32Array, n: number): Detection {
    const L = this.beatLength;
    if (beats.length !== n * L) {
      throw new Error(`beats have ${n > 0 ? beats.length / n : 0} samples each, this model expects ${L}`);
    }
    const scaled = transform(this.scaler, beats);
    const scores = reconstructionErrors(this.model, { data: scaled, n, length: L });
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = scores[i] > this.threshold.value ? 1 : 0;
    return { scores, flags, threshold: this.threshold.value };
  }
}

/** What a model folder's manifest must hold for scoring (see io/model-folder-node.ts). */
export interface DetectorManifestPart {
  architecture: Architecture;
  scaler: unknown;
  threshold: ThresholdInfo;
}

/** Rebuilds a detector from a decoded manifest and weights (works in any runtime). */
export function detectorFromParts(manifest: DetectorManifestPart,
                                  tensors: Record<string, { shape: readonly number[]; data: Float32Array }>): Detector {
  const { architecture, threshold } = manifest;
  if (!architecture || typeof architecture.kind !== 'string' || !Number.isInteger(architecture.length)) {
    throw new Error('manifest.architecture is missing or malformed');
  }
  if (!threshold || !Number.isFinite(threshold.value)) throw new Error('manifest.threshold.value is missing or not a number');
  const model = createAutoencoder(architecture, 0); // weights are overwritten below
  model.loadStateDict(tensors);
  model.eval();
  const scaler = scalerFromJSON(manifest.scaler, architecture.length);
  return new Detector(model, scaler, threshold);
}
