// `npm run threshold -- --model DIR --write RULE|VALUE`: the model with another saved threshold,
// written as a new version through the same save as `train` (saveModelFolder: a complete new
// version, then one atomic switch), so a reader sees the old model or the new one, never a mix.
// Weights, scaler and every other file (report, plots) are carried over unchanged.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModelFolder, saveModelFolder, MANIFEST_FILE, WEIGHTS_FILE } from '../detect/model-folder-node.ts';
import { resolveThreshold } from '../detect/threshold-override.ts';
import type { ThresholdInfo } from '../detect/threshold-info.ts';

/** Writes `text` (a rule on the stored errors, or a number) as DIR's saved threshold; returns it. */
export function writeThreshold(dir: string, text: string): ThresholdInfo {
  const loaded = loadModelFolder(dir);
  const manifest = loaded.manifest as Record<string, any>;
  const resolved = resolveThreshold(text, manifest);
  const threshold: ThresholdInfo = { value: resolved.value, method: resolved.method.replace('(set by --threshold)', '(written by npm run threshold)') };
  const extra: Record<string, Uint8Array> = {};
  for (const name of (manifest.files ?? []) as string[]) {
    if (name === MANIFEST_FILE || name === WEIGHTS_FILE) continue;
    extra[name] = readFileSync(path.join(loaded.folder, name));
  }
  saveModelFolder(dir, { ...manifest, threshold }, loaded.tensors, extra);
  return threshold;
}
