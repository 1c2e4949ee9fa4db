// cardiograd/server: the scoring service (src/server/app.ts: POST /score and /predict, GET /model,
// /health, /ready, /metrics) as a Web-standard fetch handler for any runtime with Request and
// Response: workerd (Cloudflare Workers), Deno, Bun, Node. No file system: the caller hands it
// the model file's bytes (model.safetensors: weights and manifest in one file; bundled, fetched,
// from a KV store...), or an older model folder's two files as parsed JSON and bytes.
// It scores on the calling thread (the Node CLI's worker pool is Node-only).
//
//   import { createScoringService } from 'cardiograd/server';
//   const service = createScoringService({ model, wasmModule });   // model: model.safetensors bytes; wasmModule optional
//   export default { fetch: service.fetch };                                   // workerd
//   Deno.serve(service.fetch);  Bun.serve({ fetch: service.fetch });
//
// docs/embedding.md shows each runtime. Answers carry x-cardiograd-kernels: wasm or ts.

import './backends/cpu/index.ts'; // registers the default backend (a side-effect module)

import { detectorFromModelFile, detectorFromParts, kernelsInUse, type DetectorPartsOptions, type Detector, type Kernels } from './detect/detector.ts';
import { readModelFileManifest } from './detect/model-file.ts';
import { createApp, DEFAULT_MAX_BEATS, DEFAULT_MAX_BODY_BYTES, type ScoringApp } from './server/app.ts';
import { modelInfoFromManifest } from './server/model-info.ts';
import { createInProcessScorer } from './server/scorer.ts';

export { DEFAULT_MAX_BEATS, DEFAULT_MAX_BODY_BYTES } from './server/app.ts';

export interface ScoringServiceOptions {
  /** The bytes of a model folder's model.safetensors (weights with the manifest in its metadata). */
  model?: Uint8Array;
  /** Older two-file folders instead: manifest.json, parsed... */
  manifest?: Record<string, unknown>;
  /** ...and weights.safetensors's bytes (checked against the manifest's SHA-256). */
  weights?: Uint8Array;
  /** A precompiled WebAssembly.Module of cardiograd/kernels.wasm, for hosts that forbid compiling bytes (workerd). */
  wasmModule?: DetectorPartsOptions['wasmModule'];
  /** Most beats in one request (413 above); default 4096. */
  maxBeats?: number;
  /** Largest request body (413 above); default 8 MiB. */
  maxBodyBytes?: number;
  /** One JSON object per answered request; absent = quiet. */
  log?: (entry: Record<string, unknown>) => void;
}

export interface ScoringService {
  fetch(req: Request): Promise<Response>;
  detector: Detector;
  /** Which kernels score here: 'wasm' or 'ts'. */
  kernels(): Kernels;
  app: ScoringApp;
}

export function createScoringService(opts: ScoringServiceOptions): ScoringService {
  const maxBeats = opts.maxBeats ?? DEFAULT_MAX_BEATS;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { detector, manifest } = detectorOf(opts);
  const app = createApp(createInProcessScorer(detector, { maxBeats }), {
    model: modelInfoFromManifest(manifest, { maxBeatsPerRequest: maxBeats, maxBodyBytes }), maxBodyBytes, log: opts.log });
  const kernels = kernelsInUse;
  return {
    fetch: async (req) => {
      const res = await app.fetch(req);
      res.headers.set('x-cardiograd-kernels', kernels());
      return res;
    },
    detector, kernels, app,
  };
}

/** The detector and its manifest from the single model file, or from an older folder's two parts. */
function detectorOf(opts: ScoringServiceOptions): { detector: Detector; manifest: Record<string, unknown> } {
  if (opts.model !== undefined) {
    if (!(opts.model instanceof Uint8Array)) throw new Error('createScoringService: model must be the bytes (Uint8Array) of model.safetensors');
    return { detector: detectorFromModelFile(opts.model, { wasmModule: opts.wasmModule }), manifest: readModelFileManifest(opts.model) };
  }
  if (!(opts.weights instanceof Uint8Array) || typeof opts.manifest !== 'object' || opts.manifest === null) {
    throw new Error('createScoringService: give model (the bytes of model.safetensors), or manifest (parsed manifest.json) and weights (the bytes of weights.safetensors)');
  }
  return { detector: detectorFromParts(opts.manifest, null, { bytes: opts.weights, wasmModule: opts.wasmModule }), manifest: opts.manifest };
}
