// The detector: a trained autoencoder, the scaler fitted on normal training beats, and the
// threshold on reconstruction error. This is the scoring core: runtime-agnostic (no Node API),
// so a browser, worker or edge runtime can score beats from a model folder's two files.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { createAutoencoder } from '../autoencoders/registry.ts';
import type { Architecture } from '../autoencoders/autoencoder.ts';
import { transform, scalerFromJSON, type Scaler } from './scaler.ts';
import { reconstructionErrors } from './scoring.ts';
import type { BeatMatrix } from './trainer.ts';
import { createRng, type Rng } from '../engine/random.ts';
import type { Tensor } from '../engine/tensor.ts';

/** A model that can decode sampled codes (the VAE); checked by shape, so the VAE is not imported. */
interface SamplingModel { reconstructSampled(x: Tensor, samples: number, rngOfRow: (row: number) => Rng): Tensor }
function canSample(model: Autoencoder): model is Autoencoder & SamplingModel {
  return typeof (model as Partial<SamplingModel>).reconstructSampled === 'function';
}

export interface ThresholdInfo {
  value: number;
  /** How it was chosen, e.g. "mean+3std of training errors". */
  method: string;
}

/**
 * How a beat's score is computed: the reconstruction error of the deterministic reconstruction
 * (for a VAE: decoding μ), or for a VAE the error of the mean of `samples` decoded draws of z
 * (Monte-Carlo), seeded so the same beats always get the same scores.
 */
export type ScoringMethod = { kind: 'deterministic' } | { kind: 'monte-carlo'; samples: number; seed: number };

export interface Detection {
  /** Reconstruction error per beat (higher = more anomalous). */
  scores: Float32Array;
  /** 1 where score > threshold. */
  flags: Uint8Array;
  threshold: number;
}

export class Detector {
  constructor(readonly model: Autoencoder, readonly scaler: Scaler, readonly threshold: ThresholdInfo,
              readonly scoring: ScoringMethod = { kind: 'deterministic' }) {
    if (scoring.kind === 'monte-carlo' && !canSample(model)) {
      throw new Error(`Monte-Carlo scoring needs a VAE, not a ${model.architecture.kind} model`);
    }
  }

  get beatLength(): number { return this.model.architecture.length; }

  /** Reconstruction errors of already-scaled beats, by this detector's scoring method. */
  errorsOfScaled(beats: BeatMatrix): Float32Array {
    const s = this.scoring;
    if (s.kind === 'deterministic') return reconstructionErrors(this.model, beats);
    const vae = this.model as Autoencoder & SamplingModel;
    // Each beat's noise is seeded by the beat itself: its score is the same whatever file,
    // request or batch position it arrives in.
    return reconstructionErrors(vae, beats, 256, (x) => vae.reconstructSampled(x, s.samples,
      (r) => createRng(`${s.seed}:${hashBeat(x.data, r * x.shape[1], x.shape[1])}`)));
  }

  /** Scores raw (unscaled) beats, row-major [n, length]. */
  detect(beats: Float32Array, n: number): Detection {
    const L = this.beatLength;
    if (beats.length !== n * L) {
      throw new Error(`beats have ${n > 0 ? beats.length / n : 0} samples each, this model expects ${L}`);
    }
    const scores = this.errorsOfScaled({ data: transform(this.scaler, beats), n, length: L });
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = scores[i] > this.threshold.value ? 1 : 0;
    return { scores, flags, threshold: this.threshold.value };
  }
}

/** FNV-1a over a beat's float32 bits: a stable seed for its Monte-Carlo noise. */
function hashBeat(data: Float32Array, offset: number, length: number): string {
  const bits = new Uint32Array(data.buffer, data.byteOffset + offset * 4, length);
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bits[i], 0x01000193) >>> 0;
  return h.toString(16);
}

/** What a model folder's manifest must hold for scoring (see io/model-folder-node.ts). */
export interface DetectorManifestPart {
  architecture: Architecture;
  scaler: unknown;
  threshold: ThresholdInfo;
  /** Absent in folders that predate the option: deterministic scoring. */
  scoring?: ScoringMethod;
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
  return new Detector(model, scaler, threshold, manifest.scoring ?? { kind: 'deterministic' });
}
