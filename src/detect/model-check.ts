// The one validation path for a model's two parts (manifest + weights), shared by the model
// folder loader (detect/model-folder-node.ts) and the embedding entry (detectorFromParts):
//   1. manifest: format version, then the schema (every field the scoring code reads)
//   2. the tensor list in the manifest against the shapes the architecture implies:
//      arithmetic only, so `hidden: [2000000, 32, 16]` is refused before anything is allocated
//   3. with the weights' bytes: their SHA-256, then decoding (allocation bounded by the bytes)
//   4. the decoded tensors against the manifest's list: names and shapes
//   5. every weight finite (NaN/Infinity refused, naming tensor and index)
//   6. the scaler's statistics, and a scoring method the model kind supports
//   7. the manifest's scoringSha256, when present: the fields scores depend on are unchanged
// Runtime-agnostic: no Node API.

import type { ModelSpec } from '../autoencoders/model-spec.ts';
import { scalerFromJSON, type Scaler } from './scaler.ts';
import { parseManifest, preview, scoringDigest, type ModelManifest } from './model-manifest.ts';
import { decodeSafetensors, type TensorMap } from '../io/safetensors.ts';
import { sha256Hex } from '../io/sha256.ts';

export interface ModelPartsOptions {
  /** The model kinds accepted (all four: MODEL_SPECS; a dense-only page: [denseSpec]). */
  specs: readonly ModelSpec<any>[];
  /** The weights file. When given, it is hashed and the tensors are decoded from it. */
  bytes?: Uint8Array;
  /** Expected SHA-256 (hex) of `bytes`; default: the manifest's weightsSha256. Needs `bytes`. */
  sha256?: string;
  /** How messages name the two parts (the loader passes the file paths). */
  manifestName?: string;
  weightsName?: string;
}

export interface CheckedModel {
  manifest: ModelManifest;
  tensors: TensorMap;
  spec: ModelSpec<any>;
  scaler: Scaler;
}

/** Checks everything listed above; throws an Error naming the part, the field and what was expected. */
export function checkModelParts(manifestJson: unknown, tensors: TensorMap | null | undefined, o: ModelPartsOptions): CheckedModel {
  const mName = o.manifestName ?? 'manifest';
  const wName = o.weightsName ?? 'weights';
  const manifest = parseManifest(manifestJson, o.specs, mName);
  const spec = o.specs.find((s) => s.kind === manifest.architecture.kind)!; // the schema admitted only these kinds

  const needed = spec.parameterShapes(manifest.architecture);
  compareTensorLists(manifest.tensors, needed, (name, has, want) =>
    `${mName}: field "tensors": ` + (has === undefined ? `"${name}" is missing, the architecture needs it with shape ${fmt(want!)}`
      : want === undefined ? `"${name}" is not a parameter of this architecture (${spec.kind})`
      : `"${name}" has shape ${fmt(has)}, the architecture needs ${fmt(want)}`));

  let decoded: TensorMap;
  if (o.bytes !== undefined) {
    if (!(o.bytes instanceof Uint8Array)) throw new Error(`${wName}: expected the weights file's bytes as a Uint8Array`);
    const expected = o.sha256 ?? manifest.weightsSha256;
    if (expected !== undefined) {
      const actual = sha256Hex(o.bytes);
      if (actual !== expected.toLowerCase()) {
        throw new Error(`${wName}: checksum mismatch: the weights' SHA-256 is ${actual}, ` +
          `${o.sha256 !== undefined ? 'the caller expects' : `weightsSha256 in ${mName} says`} ${expected}: the file is corrupt or belongs to another model`);
      }
    }
    try {
      decoded = decodeSafetensors(o.bytes).tensors;
    } catch (e) {
      throw new Error(`${wName}: ${(e as Error).message}`);
    }
    if (tensors) checkSameTensors(tensors, decoded, wName);
  } else {
    if (o.sha256 !== undefined) throw new Error(`${wName}: a sha256 was given but not the weights' bytes to check it against`);
    if (!tensors || typeof tensors !== 'object') throw new Error(`${wName}: expected the decoded tensors (or the weights file's bytes)`);
    decoded = tensors;
  }
  checkTensorValues(decoded, wName);

  compareTensorLists(shapesOf(decoded), manifest.tensors, (name, has, want) =>
    has === undefined ? `${wName}: missing tensor "${name}" listed in ${mName}`
      : want === undefined ? `${wName}: extra tensor "${name}" not listed in ${mName}`
      : `${wName}: tensor "${name}" has shape ${fmt(has)}, ${mName} says ${fmt(want)}`);
  checkFinite(decoded, wName);

  let scaler: Scaler;
  try {
    scaler = scalerFromJSON(manifest.scaler, manifest.architecture.length);
  } catch (e) {
    throw new Error(`${mName}: ${(e as Error).message}`);
  }
  if (manifest.scoring?.kind === 'monte-carlo' && !spec.canSample) {
    throw new Error(`${mName}: field "scoring": Monte-Carlo scoring needs a model that samples (vae), this is a ${spec.kind} model`);
  }
  // Last, so a manifest that is invalid gets the specific message above.
  if (manifest.scoringSha256 !== undefined && scoringDigest(manifestJson as Record<string, unknown>) !== manifest.scoringSha256) {
    throw new Error(`${mName}: field "scoringSha256": the fields scores depend on (architecture, scaler, threshold, scoring, ` +
      'labels, tensors, weightsSha256) do not match their checksum: the manifest is corrupt or was edited (remove "scoringSha256" to accept an edit)');
  }
  return { manifest, tensors: decoded, spec, scaler };
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function shapesOf(tensors: TensorMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(tensors)) out[name] = t.shape;
  return out;
}

/** Same names and shapes in `has` and `want`; `message` words the first difference. */
function compareTensorLists(has: Record<string, readonly number[]>, want: Record<string, readonly number[]>,
                            message: (name: string, has?: readonly number[], want?: readonly number[]) => string): void {
  for (const [name, shape] of Object.entries(want)) {
    if (!Object.hasOwn(has, name)) throw new Error(message(name, undefined, shape));
    const h = has[name];
    if (h.length !== shape.length || h.some((d, i) => d !== shape[i])) throw new Error(message(name, h, shape));
  }
  for (const name of Object.keys(has)) if (!Object.hasOwn(want, name)) throw new Error(message(name, has[name], undefined));
}

/** Tensors handed in by an embedder: each a Float32Array whose length matches its shape. */
function checkTensorValues(tensors: TensorMap, wName: string): void {
  for (const [name, t] of Object.entries(tensors)) {
    const ok = t !== null && typeof t === 'object' && t.data instanceof Float32Array && Array.isArray(t.shape) &&
      t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) && t.shape.reduce((a, b) => a * b, 1) === t.data.length;
    if (!ok) throw new Error(`${wName}: tensor "${name}": expected {shape, data: Float32Array} with shape matching data, got ${preview(t)}`);
  }
}

/** Decoded from the bytes and handed in: must be the same tensors, value for value. */
function checkSameTensors(given: TensorMap, decoded: TensorMap, wName: string): void {
  checkTensorValues(given, wName);
  compareTensorLists(shapesOf(given), shapesOf(decoded), (name) => `${wName}: the tensors given differ from the bytes given (tensor "${name}")`);
  for (const [name, t] of Object.entries(decoded)) {
    const a = given[name].data, b = t.data;
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(a[i], b[i])) throw new Error(`${wName}: the tensors given differ from the bytes given (tensor "${name}", index ${i})`);
    }
  }
}

/** A NaN or infinite weight makes every score NaN (or silently wrong): refuse the model. */
function checkFinite(tensors: TensorMap, wName: string): void {
  for (const [name, t] of Object.entries(tensors)) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        throw new Error(`${wName}: tensor "${name}" holds ${d[i]} at index ${i} of shape ${fmt(t.shape)}: ` +
          'a model with non-finite weights cannot score, refusing it');
      }
    }
  }
}
