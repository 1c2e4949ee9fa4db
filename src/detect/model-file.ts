// One model, one file: model.safetensors holds the weights and, in the safetensors header's
// "__metadata__", the manifest (what model.safetensors IS: architecture, scaler, threshold,
// training record) as a JSON string:
//   __metadata__: {"format": "pt", "cardiograd.manifest": "{\"formatVersion\":1,...}"}
// A standard safetensors file: PyTorch's and Hugging Face's readers load its tensors and can
// read the manifest back with `safe_open(path, "pt").metadata()`. Copying, moving, zipping or
// uploading the file carries the whole model; replacing it is one rename.
//
// weightsSha256 in the manifest is the SHA-256 of the tensors alone, encoded as a plain
// safetensors file without metadata (what encodeSafetensors(tensors) writes, and exactly the
// weights.safetensors of the older two-file folders), so one checksum serves both layouts.
// Runtime-agnostic: no Node API.

import type { ModelSpec } from '../autoencoders/model-spec.ts';
import { decodeSafetensors, encodeSafetensors, readSafetensorsMetadata, type TensorMap } from '../io/safetensors.ts';
import { checkModelParts, type CheckedModel } from './model-check.ts';

export const MODEL_FILE = 'model.safetensors';
/** The metadata key that holds the manifest. */
export const MANIFEST_KEY = 'cardiograd.manifest';

/** The file's bytes: tensors plus `manifest` (complete: checksums already in it) in the metadata. */
export function encodeModelFile(manifest: object, tensors: TensorMap): Uint8Array {
  // "format": "pt" is what PyTorch-saved safetensors files carry; Hugging Face loaders check it.
  return encodeSafetensors(tensors, { format: 'pt', [MANIFEST_KEY]: JSON.stringify(manifest) });
}

/** The manifest of a model file, from its header only (no tensor is decoded): for listings. */
export function readModelFileManifest(bytes: Uint8Array, name = MODEL_FILE): Record<string, unknown> {
  let metadata: Record<string, string>;
  try { metadata = readSafetensorsMetadata(bytes); } catch (e) { throw new Error(`${name}: ${(e as Error).message}`); }
  return parseManifestText(metadata, name);
}

function parseManifestText(metadata: Record<string, string>, name: string): Record<string, unknown> {
  const text = metadata[MANIFEST_KEY];
  if (text === undefined) {
    throw new Error(`${name}: a safetensors file without a "${MANIFEST_KEY}" entry in its metadata: weights only, ` +
      'not a cardiograd model file (a model folder of the older layout holds manifest.json beside weights.safetensors)');
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new Error(`${name}: metadata "${MANIFEST_KEY}": not valid JSON: ${(e as Error).message}`); }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${name}: metadata "${MANIFEST_KEY}": expected a JSON object`);
  return json as Record<string, unknown>;
}

/**
 * Decodes and checks a model file: every check of checkModelParts (schema, shapes against the
 * architecture, weights checksum, finite weights, scaler, scoringSha256). Errors name the file.
 */
export function checkModelFile(bytes: Uint8Array, specs: readonly ModelSpec<any>[], name = MODEL_FILE): CheckedModel {
  if (!(bytes instanceof Uint8Array)) throw new Error(`${name}: expected the model file's bytes as a Uint8Array`);
  let decoded;
  try { decoded = decodeSafetensors(bytes); } catch (e) { throw new Error(`${name}: ${(e as Error).message}`); }
  const manifest = parseManifestText(decoded.metadata, name);
  // The checksum covers the tensors as a plain safetensors file: re-encode them (canonical).
  return checkModelParts(manifest, null, { specs, bytes: encodeSafetensors(decoded.tensors),
    manifestName: `${name} (metadata "${MANIFEST_KEY}")`, weightsName: name });
}
