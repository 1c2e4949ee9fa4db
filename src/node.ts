// cardiograd/node: what the commands are built from, for Node programs. Model folders on disk,
// beat-file loaders, the ECG5000 download, training and evaluation of a detector, thresholds
// and metrics. Uses node:fs / node:crypto; for browsers and workers use cardiograd/detector.
//
//   const { detector } = loadDetector('models/dense');
//   const beats = loadBeatFile('data/ecg5000/ECG5000_TEST.txt');
//   const { scores, flags } = detector.detect(beats.data, beats.n);

import './backends/cpu/index.ts'; // registers the default backend (a side-effect module)

// Model folders: model.safetensors (weights + manifest), replaced atomically, checked on load.
export { saveModelFolder, loadModelFolder, checkModelFolderTarget, modelFileBytes, peekManifest, MODEL_FILE,
  MODEL_FORMAT_VERSION, MANIFEST_FILE, WEIGHTS_FILE, type ModelManifest, type LoadedModelFolder, type SaveOptions } from './detect/model-folder-node.ts';
export { saveDetector, loadDetector, type SaveInput, type LoadedDetector } from './cli/model-store.ts';
export { encodeSafetensors, decodeSafetensors, type TensorMap, type NamedTensor } from './io/safetensors.ts';

// Beat files and datasets.
export { loadBeatFile, loadPtbPair, loadDataFolder, findUcrPair, formatForFile, sha256File,
  type BeatFileFormat, type LoadOptions, type DataFolderFiles } from './data/load-node.ts';
export { parseUcr, parseCsv, parsePtb, parseArff, DataFormatError } from './data/parse.ts';
export { type BeatSet, normalizeLabel, classCounts, binaryLabels, takeRows, selectRows, splitValidation,
  concatBeatSets } from './data/dataset.ts';
export { downloadEcg5000, ECG5000_URL, ECG5000_SHA256, type DownloadOptions } from './data/download-node.ts';
export { generateSyntheticEcg, syntheticTrainTest, type SyntheticOptions } from './data/synthetic.ts';

// Training and evaluating a detector.
export { createAutoencoder, MODEL_KINDS, type ModelKind } from './autoencoders/registry.ts';
export type { Autoencoder, Architecture } from './autoencoders/autoencoder.ts';
export { trainDetector, evaluateDetector, matrixOf, type PipelineOptions, type TrainedDetector,
  type Evaluation } from './training/pipeline.ts';
export { trainAutoencoder, type BeatMatrix, type TrainOptions, type TrainResult } from './training/trainer.ts';
export { fitScaler, transform, inverseTransform, scalerToJSON, scalerFromJSON, type Scaler, type ScalerKind } from './detect/scaler.ts';
export { computeThreshold, parseThresholdSpec, formatThresholdSpec, bestF1Threshold, percentile,
  type ThresholdSpec } from './detect/thresholds.ts';
export { evaluate, rocAuc, prAuc, confusion, formatMetricsTable, type Metrics } from './evaluation/metrics.ts';
export { Detector, detectorFromParts, detectorForKinds, type Detection, type ThresholdInfo, type ScoringMethod } from './detect/detector.ts';

// The defaults `npm run train` uses, chosen by `npm run select` (README "How the detector is trained").
export { defaultArchitecture, trainingDefaults, type ArchitectureFlags, type TrainingDefaults } from './autoencoders/defaults.ts';
export { DEFAULT_THRESHOLD, defaultThreshold } from './detect/thresholds.ts';

// Kernel backends: importing this module registers the cpu backend; the wasm one is the faster
// choice where WebAssembly SIMD compiles (setBackend(createWasmBackend()), as `train` does).
export { getBackend, setBackend, type Backend } from './backends/backend.ts';
export { createCpuBackend } from './backends/cpu/index.ts';
export { createWasmBackend, initWasmBackend, wasmSupport, type WasmSupport } from './backends/wasm/index.ts';
