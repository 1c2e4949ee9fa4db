// cardiograd/server: the scoring service (src/server/app.ts: POST /score and /predict, GET /model,
// /health, /ready, /metrics) as a Web-standard fetch handler for any runtime with Request and
// Response: workerd (Cloudflare Workers), Deno, Bun, Node. No file system: the caller hands it
// the model folder's two files as parsed JSON and bytes (bundled, fetched, from a KV store...).
// It scores on the calling thread (the Node CLI's worker pool is Node-only).
//
//   import { createScoringService } from 'cardiograd/server';
//   const service = createScoringService({ manifest, weights, wasmModule });  // wasmModule optional
//   export default { fetch: service.fetch };                                   // workerd
//   Deno.serve(service.fetch);  Bun.serve({ fetch: service.fetch });
//
// docs/embedding.md shows each runtime. Answers carry x-cardiograd-kernels: wasm or ts.

import './backends/cpu/index.ts'; // registers the default backend (a side-effect module)

import { detectorFromParts, kernelsInUse, type DetectorPartsOptions, type Detector, type Kernels } from './detect/detector.ts';
import { createApp, DEFAULT_MAX_BEATS, DEFAULT_MAX_BODY_BYTES, type ScoringApp } from './server/app.ts';
import { modelInfoFromManifest } from './server/model-info.ts';
import { createInProcessScorer } from './server/scorer.ts';

export { DEFAULT_MAX_BEATS, DEFAULT_MAX_BODY_BYTES } from './server/app.ts';

export interface ScoringServiceOptions {
  /** The model folder's manifest.json, parsed. */
  manifest: Record<string, unknown>;
  /** The model folder's weights.safetensors bytes (checked against the manifest's SHA-256). */
  weights: Uint8Array;
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
  if (!(opts.weights instanceof Uint8Array)) throw new Error('createScoringService: weights must be the bytes (Uint8Array) of weights.safetensors');
  const maxBeats = opts.maxBeats ?? DEFAULT_MAX_BEATS;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const detector = detectorFromParts(opts.manifest, null, { bytes: opts.weights, wasmModule: opts.wasmModule });
  const app = createApp(createInProcessScorer(detector, { maxBeats }), {
    model: modelInfoFromManifest(opts.manifest, { maxBeatsPerRequest: maxBeats, maxBodyBytes }), maxBodyBytes, log: opts.log });
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
