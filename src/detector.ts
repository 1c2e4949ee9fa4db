// cardiograd/detector: the scoring core, for embedding in a browser, a (web) worker, Deno, Bun
// or an edge runtime. No Node API, no gpu.js, no ndarray: decode a model folder's two files
// (fetched or read however the runtime allows) and score beats.
//
//   const detector = detectorFromParts(manifest, decodeSafetensors(weightBytes).tensors);
//   const { scores, flags, threshold } = detector.detect(beats /* Float32Array [n, L] */, n);

import './backends/cpu/index.ts'; // registers the default backend (a side-effect module)

export { Detector, detectorFromParts, type Detection, type ThresholdInfo, type ScoringMethod,
  type DetectorManifestPart } from './ecg/detector.ts';
export { decodeSafetensors, type DecodedSafetensors, type NamedTensor, type TensorMap } from './io/safetensors.ts';
export { transform, inverseTransform, scalerFromJSON, type Scaler } from './ecg/scaler.ts';
export { reconstructAll } from './ecg/scoring.ts';
export type { BeatMatrix } from './ecg/trainer.ts';
