// `npm run threshold -- --model DIR --write RULE|VALUE`: the model with another saved threshold,
// written through the same save as `train` (saveModelFolder: DIR/model.safetensors replaced by
// one atomic rename), so a reader sees the old model or the new one, never a mix. Weights,
// scaler and the plots are kept unchanged; report.html, when the model wrote it, gets a banner
// saying that its figures were drawn with the earlier threshold.

import fs from 'node:fs';
import path from 'node:path';
import { loadModelFolder, saveModelFolder } from '../detect/model-folder-node.ts';
import { resolveThreshold } from '../detect/threshold-override.ts';
import type { ThresholdInfo } from '../detect/threshold-info.ts';
import { sha256Hex } from '../io/sha256.ts';

const REPORT = 'report.html';
const BANNER = /<div class="threshold-changed"[^>]*>[\s\S]*?<\/div>/;

/** Writes `text` (a rule on the stored errors, or a number) as DIR's saved threshold; returns it. */
export function writeThreshold(dir: string, text: string): ThresholdInfo {
  const loaded = loadModelFolder(dir);
  const manifest = loaded.manifest as Record<string, any>;
  const resolved = resolveThreshold(text, manifest);
  const threshold: ThresholdInfo = { value: resolved.value, method: resolved.method.replace('(set by --threshold)', '(written by npm run threshold)') };
  const report = reportWithBanner(loaded.folder, manifest, threshold);
  // reportThreshold: what report.html's figures were drawn with, kept across later writes.
  const extra = report ? { reportThreshold: manifest.reportThreshold ?? manifest.threshold } : {};
  saveModelFolder(dir, { ...manifest, ...extra, threshold }, loaded.tensors, report ? { [REPORT]: report } : {}, { keepByProducts: true });
  return threshold;
}

/** report.html with a banner naming the new threshold, or null when the model did not write it (then it is left alone). */
function reportWithBanner(folder: string, manifest: Record<string, any>, now: ThresholdInfo): string | null {
  const file = path.join(folder, REPORT);
  const listed = manifest.byProducts?.[REPORT];
  if (typeof listed !== 'string' || !fs.existsSync(file)) return null;
  const bytes = fs.readFileSync(file);
  if (sha256Hex(bytes) !== listed) return null; // edited by someone: not ours to change
  const drawn = manifest.reportThreshold ?? manifest.threshold; // the one the figures show
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const banner = `<div class="threshold-changed" style="border:2px solid #c62828;background:#ffebee;padding:8px 12px;margin:0 0 16px">` +
    `Threshold changed after this report was drawn: now <b>${now.value.toPrecision(5)}</b> (${escape(now.method)}), written ${new Date().toISOString()} ` +
    `by npm run threshold. The flags, metrics and figures below use the earlier ${Number(drawn?.value).toPrecision(5)} (${escape(String(drawn?.method))}).</div>`;
  const html = bytes.toString('utf8');
  if (BANNER.test(html)) return html.replace(BANNER, banner);
  const body = html.search(/<body[^>]*>/i);
  if (body < 0) return null;
  const at = html.indexOf('>', body) + 1;
  return html.slice(0, at) + banner + html.slice(at);
}
