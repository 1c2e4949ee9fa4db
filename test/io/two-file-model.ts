// The older model-folder layout (manifest.json + weights.safetensors), written the way
// cardiograd did before model.safetensors: for the tests of the two-part validation path
// (detectorFromParts, what a page fetching two files uses) and of loading older folders.
// test/fixtures/model-two-files/ is one such folder written by that older code itself.

import fs from 'node:fs';
import path from 'node:path';
import { MODEL_FORMAT_VERSION, scoringDigest, WRITTEN_BY } from '../../src/detect/model-manifest.ts';
import { encodeSafetensors, type TensorMap } from '../../src/io/safetensors.ts';
import { sha256Hex } from '../../src/io/sha256.ts';

export const TWO_FILE_FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'model-two-files');

/** Writes DIR/manifest.json + DIR/weights.safetensors as the older save did (marker, file list, checksums). */
export function saveTwoFileFolder(dir: string, manifest: object, tensors: TensorMap): void {
  const weights = encodeSafetensors(tensors);
  const tensorList: Record<string, number[]> = {};
  for (const name of Object.keys(tensors).sort()) tensorList[name] = [...tensors[name].shape];
  const full: Record<string, unknown> = { ...manifest, formatVersion: MODEL_FORMAT_VERSION, writtenBy: WRITTEN_BY,
    files: ['manifest.json', 'weights.safetensors'], tensors: tensorList, weightsSha256: sha256Hex(weights) };
  full.scoringSha256 = scoringDigest(JSON.parse(JSON.stringify(full)));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'weights.safetensors'), weights);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
}
