// The demo's scoring worker (a module Web Worker): loads the model file once,
// parses a beat file (UCR text or CSV), scores every beat with cardiograd/detector, and sends
// back each beat with its reconstruction (in the file's own units) and its score.

import { detectorFromModelFile, getBackend, inverseTransform, reconstructAll, transform, type Detector } from '../src/detector.ts';
import { parseCsv, parseUcr } from '../src/data/parse.ts';
import type { BeatSet } from '../src/data/dataset.ts';

/** `unlabelled`: the file's rows are values only (no label column), as `--label-column none`. */
export type DemoRequest = { name: string; text: string; unlabelled?: boolean };
export interface DemoResult {
  name: string;
  n: number;
  length: number;
  /** [n, length] raw beats and their reconstructions, row-major. */
  beats: Float32Array;
  reconstructions: Float32Array;
  scores: number[];
  flags: number[];
  labels: string[];
  threshold: number;
  thresholdMethod: string;
  modelKind: string;
  backend: string;
}
export type DemoReply = { ok: true; result: DemoResult } | { ok: false; error: string };

let detector: Promise<Detector> | null = null;

async function loadDetector(): Promise<Detector> {
  const r = await fetch('model/model.safetensors');
  if (!r.ok) throw new Error(`model/model.safetensors: HTTP ${r.status}`);
  // The same checks a model-folder load makes (format version, shapes, finite weights, sha256).
  return detectorFromModelFile(new Uint8Array(await r.arrayBuffer()), { name: 'model/model.safetensors' });
}

function parseBeats(name: string, text: string, unlabelled: boolean): BeatSet {
  if (/\.csv$/i.test(name)) return parseCsv(text, { source: name, ...(unlabelled ? { labelColumn: 'none' as const } : {}) });
  return parseUcr(text, { source: name, unlabelled });
}

function score(d: Detector, req: DemoRequest): DemoResult {
  const unlabelled = req.unlabelled === true;
  const set = parseBeats(req.name, req.text, unlabelled);
  if (set.length !== d.beatLength) {
    // One short while a column was read as the label: the file is most likely raw beats.
    const hint = !unlabelled && set.length + 1 === d.beatLength
      ? '; if the file holds raw beats without a label column, tick "no label column" and score it again' : '';
    throw new Error(`${req.name}: beats have ${set.length} samples, this model expects ${d.beatLength}${hint}`);
  }
  const { scores, flags, threshold } = d.detect(set.beats, set.n);
  const scaled = transform(d.scaler, set.beats);
  const reconstructions = inverseTransform(d.scaler, reconstructAll(d.model, { data: scaled, n: set.n, length: set.length }));
  return {
    name: req.name, n: set.n, length: set.length, beats: set.beats, reconstructions,
    scores: Array.from(scores), flags: Array.from(flags), labels: set.labels, threshold,
    thresholdMethod: d.threshold.method, modelKind: d.model.architecture.kind, backend: getBackend().name,
  };
}

self.onmessage = async (e: MessageEvent<DemoRequest>) => {
  let reply: DemoReply;
  try {
    // A failed load is not kept: the next file tries again instead of failing until a reload.
    detector ??= loadDetector().catch((e) => { detector = null; throw e; });
    reply = { ok: true, result: score(await detector, e.data) };
  } catch (err) {
    reply = { ok: false, error: (err as Error).message };
  }
  self.postMessage(reply);
};
