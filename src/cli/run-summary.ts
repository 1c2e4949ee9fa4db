// One saved run in a line: what `npm run runs` lists side by side, and what `train` names when it
// refuses to replace an earlier run. Read from the manifest only (no weights decoded).

import fs from 'node:fs';
import { peekManifest } from '../detect/model-folder-node.ts';

export interface RunSummary {
  name: string;
  kind: string | null;
  /** ISO time of the save; for the older layout (no savedAt), the manifest file's modification time. */
  saved: string | null;
  seed: number | null;
  lr: number | null;
  batch: number | null;
  /** Epochs trained / the --epochs maximum. */
  epochs: number | null;
  maxEpochs: number | null;
  backend: string | null;
  /** SHA-256 of the training file's bytes (null for synthetic data, or a manifest without data). */
  trainSha256: string | null;
  syntheticData: boolean;
  /** On the labelled test split, when the run had one. */
  rocAuc: number | null;
  f1: number | null;
  threshold: number | null;
  thresholdMethod: string | null;
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown) => (typeof x === 'string' ? x : null);

/** The summary of the run at `dir` (named `name`), or null when there is no model there. */
export function summarizeRun(dir: string, name: string): RunSummary | null {
  const found = peekManifest(dir);
  if (!found) return null;
  const m = found.manifest;
  const options = m.training?.options ?? {};
  return {
    name,
    kind: str(m.architecture?.kind),
    saved: str(m.savedAt) ?? fs.statSync(found.file).mtime.toISOString(),
    seed: num(m.seed),
    lr: num(options.lr),
    batch: num(options.batchSize),
    epochs: num(m.training?.epochs),
    maxEpochs: num(options.epochs),
    backend: str(options.backend),
    trainSha256: str(m.data?.trainSha256) ?? trainFileFallback(m.data?.files),
    syntheticData: m.data?.synthetic === true,
    rocAuc: num(m.metrics?.rocAuc),
    f1: num(m.metrics?.f1),
    threshold: num(m.threshold?.value),
    thresholdMethod: str(m.threshold?.method),
  };
}

/** Manifests before data.trainSha256: the file list's training file (named *TRAIN*, else the first). */
function trainFileFallback(files: unknown): string | null {
  if (!Array.isArray(files) || files.length === 0) return null;
  const train = files.find((f) => /train/i.test(String(f?.name))) ?? files[0];
  return str(train?.sha256);
}

/** "dense model saved 2026-12-03 12:40 UTC (seed 0, 23 epochs)": for the refusal to replace it. */
export function describeRun(r: RunSummary): string {
  const when = r.saved ? `${r.saved.slice(0, 16).replace('T', ' ')} UTC` : 'at an unknown time';
  const details = [r.seed !== null ? `seed ${r.seed}` : null, r.epochs !== null ? `${r.epochs} epoch${r.epochs === 1 ? '' : 's'}` : null,
    r.rocAuc !== null ? `test ROC-AUC ${r.rocAuc.toFixed(4)}` : null].filter(Boolean).join(', ');
  return `${r.kind ?? 'unknown-kind'} model saved ${when}${details ? ` (${details})` : ''}`;
}
