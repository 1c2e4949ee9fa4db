// cardiograd/detector: the scoring core, for embedding in a browser, a (web) worker, Deno, Bun
// or an edge runtime. No Node API, no gpu.js, no ndarray: decode a model file (model.safetensors,
// or an older folder's two files; fetched or read however the runtime allows) and score beats.
//
//   const detector = detectorFromModelFile(modelBytes); // model.safetensors: every check a folder load makes
//   const detector = detectorFromParts(manifest, null, { bytes: weightBytes }); // the older two-file layout
//   const { scores, flags, threshold } = detector.detect(beats /* Float32Array [n, L] */, n);
//
// detectorFromParts accepts the four model kinds, so a bundle carries all four. A page that
// scores dense models only imports detectorForKinds and denseSpec; its bundle then has no VAE,
// LSTM or Conv1D code (test/package/bundle-size.test.ts measures it):
//   const detector = detectorForKinds([denseSpec], manifest, null, { bytes: weightBytes });

import './backends/cpu/index.ts'; // registers the default backend (a side-effect module)

export { Detector, detectorFromParts, detectorForKinds, detectorFromModelFile, detectorForKindsFromFile, type ModelFileOptions, type Detection, type ThresholdInfo, type ScoringMethod,
  type DetectorManifestPart, type DetectorPartsOptions, type Kernels } from './detect/detector.ts';
export { denseSpec, type DenseArchitecture } from './autoencoders/dense.ts';
export { vaeSpec, type VaeArchitecture } from './autoencoders/vae.ts';
export { lstmSpec, type LstmArchitecture } from './autoencoders/lstm.ts';
export { convSpec, type ConvArchitecture } from './autoencoders/conv.ts';
export { MODEL_SPECS, type ModelSpec } from './autoencoders/registry.ts';
export { MODEL_FILE, MANIFEST_KEY, readModelFileManifest } from './detect/model-file.ts';
export { decodeSafetensors, type DecodedSafetensors, type NamedTensor, type TensorMap } from './io/safetensors.ts';
// Which kernels run (wasm where WebAssembly SIMD compiles, else the TypeScript cpu kernels).
export { getBackend, setBackend, type Backend } from './backends/backend.ts';
export { createCpuBackend } from './backends/cpu/index.ts';
export { transform, inverseTransform, scalerFromJSON, type Scaler } from './detect/scaler.ts';
export { reconstructAll } from './detect/scoring.ts';
export type { BeatMatrix } from './training/trainer.ts';
