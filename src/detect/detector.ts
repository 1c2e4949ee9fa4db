// The detector: a trained autoencoder, the scaler fitted on normal training beats, and the
// threshold on reconstruction error. This is the scoring core: runtime-agnostic (no Node API),
// so a browser, worker or edge runtime can score beats from a model folder's two files.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { MODEL_SPECS } from '../autoencoders/registry.ts';
import type { ModelSpec } from '../autoencoders/model-spec.ts';
import { checkModelParts, type CheckedModel } from './model-check.ts';
import { checkModelFile, MODEL_FILE } from './model-file.ts';
import type { TensorMap } from '../io/safetensors.ts';
import type { ModelManifest } from './model-manifest.ts';
import { transform, type Scaler } from './scaler.ts';
import { reconstructionErrors } from './scoring.ts';
import { denseWasmErrors } from './dense-scoring.ts';
import type { BeatMatrix } from '../data/beat-matrix.ts';
import { createRng, type Rng } from '../engine/random.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { ScoringMethod, ThresholdInfo } from './threshold-info.ts';
import { getBackend } from '../backends/backend.ts';
import { provideWasmModule, type WasmModule } from '../backends/wasm/module.ts';

/** A model that can decode sampled codes (the VAE); checked by shape, so the VAE is not imported. */
interface SamplingModel { reconstructSampled(x: Tensor, samples: number, rngOfRow: (row: number) => Rng): Tensor }
function canSample(model: Autoencoder): model is Autoencoder & SamplingModel {
  return typeof (model as Partial<SamplingModel>).reconstructSampled === 'function';
}

export type { ScoringMethod, ThresholdInfo } from './threshold-info.ts';

export interface Detection {
  /**
   * Reconstruction error per beat (higher = more anomalous). A beat whose error could not be
   * computed (NaN, or overflow to Infinity) scores +Infinity: an anomaly, never normal.
   */
  scores: Float32Array;
  /** 1 where score > threshold, and for every non-finite score. */
  flags: Uint8Array;
  threshold: number;
  /** How many beats had a non-finite error (scored +Infinity and flagged). */
  nonFinite: number;
  /** Which kernels scored: 'wasm' (WebAssembly SIMD), 'ts' (the TypeScript cpu kernels), else the backend's name. */
  kernels: Kernels;
}

export type Kernels = 'wasm' | 'ts' | (string & {});

/** The kernels the current backend runs: what Detection.kernels reports. */
export function kernelsInUse(): Kernels {
  const name = getBackend().name;
  return name === 'wasm' ? 'wasm' : name.startsWith('cpu') ? 'ts' : name;
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
    if (s.kind === 'deterministic') {
      return denseWasmErrors(this.model, beats.data, beats.n, null) ?? reconstructionErrors(this.model, beats);
    }
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
    // The dense chain on wasm scales while copying the beats in; every other path scales first.
    const fast = this.scoring.kind === 'deterministic' && this.scaler.length === L
      ? denseWasmErrors(this.model, beats, n, this.scaler) : null;
    const scores = fast ?? this.errorsOfScaled({ data: transform(this.scaler, beats), n, length: L });
    const flags = new Uint8Array(n);
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      // Fail closed: NaN compares false with everything, so it must never reach `>` alone.
      if (!Number.isFinite(scores[i])) { scores[i] = Infinity; flags[i] = 1; nonFinite++; }
      else flags[i] = scores[i] > this.threshold.value ? 1 : 0;
    }
    return { scores, flags, threshold: this.threshold.value, nonFinite, kernels: kernelsInUse() };
  }
}

/** FNV-1a over a beat's float32 bits: a stable seed for its Monte-Carlo noise. */
function hashBeat(data: Float32Array, offset: number, length: number): string {
  const bits = new Uint32Array(data.buffer, data.byteOffset + offset * 4, length);
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bits[i], 0x01000193) >>> 0;
  return h.toString(16);
}

/** A model folder's manifest, as checkModelParts validates it (detect/model-manifest.ts). */
export type DetectorManifestPart = ModelManifest;

/** Options of detectorFromParts: see detect/model-check.ts. */
export interface DetectorPartsOptions {
  /** The weights file's bytes: hashed (against `sha256`, else the manifest's weightsSha256) and decoded. */
  bytes?: Uint8Array;
  /** Expected SHA-256 (hex) of `bytes`. */
  sha256?: string;
  /** Model kinds accepted; default all four. A dense-only page passes [denseSpec] (see detectorForKinds). */
  specs?: readonly ModelSpec<any>[];
  manifestName?: string;
  weightsName?: string;
  /**
   * A precompiled WebAssembly.Module of the package's kernels.wasm (`cardiograd/kernels.wasm`), for hosts
   * that forbid compiling bytes (workerd, strict CSPs): the default backend then uses it.
   */
  wasmModule?: WasmModule;
}

/**
 * Rebuilds a detector from a parsed manifest.json and its weights (decoded tensors, or null
 * with `options.bytes`), after every check a model-folder load makes. Works in any runtime.
 */
export function detectorFromParts(manifest: unknown, tensors: TensorMap | null | undefined, options: DetectorPartsOptions = {}): Detector {
  return detectorForKinds(options.specs ?? MODEL_SPECS, manifest, tensors, options);
}

/** detectorFromParts for the given kinds only: a bundle that imports this and denseSpec carries no other kind. */
export function detectorForKinds(specs: readonly ModelSpec<any>[], manifest: unknown, tensors: TensorMap | null | undefined,
                                 options: Omit<DetectorPartsOptions, 'specs'> = {}): Detector {
  if (options.wasmModule !== undefined) provideWasmModule(options.wasmModule);
  return detectorFromChecked(checkModelParts(manifest, tensors, { ...options, specs }));
}

/**
 * A detector from a model file's bytes (model.safetensors: weights + manifest in its metadata),
 * after every check a model-folder load makes. Works in any runtime.
 */
export function detectorFromModelFile(bytes: Uint8Array, options: ModelFileOptions = {}): Detector {
  return detectorForKindsFromFile(MODEL_SPECS, bytes, options);
}

export interface ModelFileOptions {
  /** How messages name the file (default model.safetensors). */
  name?: string;
  /** See DetectorPartsOptions.wasmModule. */
  wasmModule?: WasmModule;
}

/** detectorFromModelFile for the given kinds only: a dense-only page bundles no other kind. */
export function detectorForKindsFromFile(specs: readonly ModelSpec<any>[], bytes: Uint8Array, options: ModelFileOptions = {}): Detector {
  if (options.wasmModule !== undefined) provideWasmModule(options.wasmModule);
  return detectorFromChecked(checkModelFile(bytes, specs, options.name ?? MODEL_FILE));
}

/** A detector from parts that passed checkModelParts (what the model-folder loader returns). */
export function detectorFromChecked({ manifest, tensors, spec, scaler }: CheckedModel): Detector {
  const model = spec.create(manifest.architecture, 0); // shapes were checked: this allocates what the weights hold
  model.loadStateDict(tensors);
  model.eval();
  return new Detector(model, scaler, manifest.threshold, manifest.scoring ?? { kind: 'deterministic' });
}
