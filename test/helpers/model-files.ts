// Reading (and, for tests that simulate older or edited models, rewriting) the manifest that a
// saved model keeps in model.safetensors' metadata.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeModelFile, MANIFEST_KEY, MODEL_FILE } from '../../src/detect/model-file.ts';
import { decodeSafetensors, type TensorMap } from '../../src/io/safetensors.ts';

const decode = (dir: string) => decodeSafetensors(new Uint8Array(readFileSync(path.join(dir, MODEL_FILE))));

/** The manifest of DIR/model.safetensors. */
export function readManifest(dir: string): any {
  return JSON.parse(decode(dir).metadata[MANIFEST_KEY]);
}

/** The tensors of DIR/model.safetensors. */
export function readTensors(dir: string): TensorMap {
  return decode(dir).tensors;
}

/** Rewrites the manifest inside DIR/model.safetensors (the tensors unchanged), as a hand edit would. */
export function rewriteManifest(dir: string, edit: (m: any) => any): void {
  const { tensors, metadata } = decode(dir);
  writeFileSync(path.join(dir, MODEL_FILE), encodeModelFile(edit(JSON.parse(metadata[MANIFEST_KEY])), tensors));
}
