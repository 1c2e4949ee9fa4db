// `npm run threshold -- --model DIR --write RULE|VALUE`: the model with another saved threshold,
// written through the same save as `train` (saveModelFolder: DIR/model.safetensors replaced by
// one atomic rename), so a reader sees the old model or the new one, never a mix. Weights,
// scaler and the by-products (report, plots) are kept unchanged.

import { loadModelFolder, saveModelFolder } from '../detect/model-folder-node.ts';
import { resolveThreshold } from '../detect/threshold-override.ts';
import type { ThresholdInfo } from '../detect/threshold-info.ts';

/** Writes `text` (a rule on the stored errors, or a number) as DIR's saved threshold; returns it. */
export function writeThreshold(dir: string, text: string): ThresholdInfo {
  const loaded = loadModelFolder(dir);
  const manifest = loaded.manifest as Record<string, any>;
  const resolved = resolveThreshold(text, manifest);
  const threshold: ThresholdInfo = { value: resolved.value, method: resolved.method.replace('(set by --threshold)', '(written by npm run threshold)') };
  saveModelFolder(dir, { ...manifest, threshold }, loaded.tensors, {}, { keepByProducts: true });
  return threshold;
}
