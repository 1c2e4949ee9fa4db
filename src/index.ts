// cardiograd's public API. Runtime-agnostic: nothing here imports a Node module or gpu.js.

import './backends/cpu/index.ts'; // registers the default backend

export { Tensor, tensor, zeros, ones, full, randUniform, randNormal, noGrad, isGradEnabled, type NestedList } from './engine/tensor.ts';
export { add, sub, mul, div, neg, pow, square, sqrt, abs, relu, leakyRelu, sigmoid, tanh, exp, log, softplus,
  sin, cos, gelu, clamp, UNARY_OPS, type GeluOptions, type UnaryDefinition } from './engine/ops/elementwise.ts';
export { matmul } from './engine/ops/matmul.ts';
export { sum, mean, logSumExp } from './engine/ops/reduce.ts';
export { reshape, transpose, slice, concat } from './engine/ops/layout.ts';
export { linear, mseLoss } from './engine/ops/nn.ts';
export { softmax, logSoftmax } from './engine/ops/softmax.ts';
export { max, min } from './engine/ops/extremum.ts';
export { layerNorm, batchNorm1d, type LayerNormOptions, type BatchNormOptions } from './engine/ops/normalization.ts';
export { crossEntropy, bceWithLogits, l1Loss, smoothL1Loss } from './engine/ops/losses.ts';
export { createRng, shuffleIndices, manualSeed, globalRng, type Rng } from './engine/random.ts';
export { broadcastShapes } from './engine/shape.ts';
// Writing your own op (docs/read-the-engine.md, "Write your own op") and checking its backward.
export { customOp, type CustomOpDefinition } from './engine/custom-op.ts';
export { gradcheck, type GradcheckInput, type GradcheckOptions, type GradcheckResult } from './engine/gradcheck.ts';

export { getBackend, setBackend, type Backend, type UnaryOp, type BinaryOp, type MatmulLayout } from './backends/backend.ts';
export { createCpuBackend } from './backends/cpu/index.ts';
// WebAssembly SIMD kernels (the default where they compile); pages: setBackend(await initWasmBackend()).
export { createWasmBackend, initWasmBackend, wasmSupport, type WasmSupport } from './backends/wasm/index.ts';

export { Module } from './nn/module.ts';
export { Dropout, LayerNorm, BatchNorm1d } from './nn/normalization.ts';
export { Linear, Sequential, ReLU, Sigmoid, Tanh, LeakyReLU } from './nn/layers.ts';
export { Adam, type AdamOptions } from './optim/adam.ts';
export { SGD } from './optim/sgd.ts';
export { conv1d, convTranspose1d, type Conv1dOptions, type ConvTranspose1dOptions } from './engine/ops/conv.ts';
export { maxPool1d, upsampleNearest1d } from './engine/ops/pool.ts';
export { lstm, lstmLastState, lstmRepeatedInput, lstmWithCell, type LstmResult } from './engine/ops/lstm.ts';
export { Conv1d, ConvTranspose1d, MaxPool1d, Upsample1d } from './nn/conv.ts';
export { LSTM } from './nn/lstm.ts';
export { clipGradNorm } from './optim/clip.ts';

// The scoring core, for embedding: decode a model folder's two files (fetched or read however
// the runtime allows) and score beats. See README "Use it as a library"; cardiograd/detector is the same core alone.
export { createAutoencoder, MODEL_SPECS, specOf, type ModelSpec } from './autoencoders/registry.ts';
export { denseSpec } from './autoencoders/dense.ts';
export { vaeSpec } from './autoencoders/vae.ts';
export { lstmSpec } from './autoencoders/lstm.ts';
export { convSpec } from './autoencoders/conv.ts';
export { Detector, detectorFromParts, detectorForKinds, detectorFromModelFile, detectorForKindsFromFile, type Detection, type ThresholdInfo, type ScoringMethod,
  type DetectorPartsOptions } from './detect/detector.ts';
export { checkModelParts, type CheckedModel } from './detect/model-check.ts';
export { MODEL_FORMAT_VERSION, type ModelManifest } from './detect/model-manifest.ts';
export { sha256Hex } from './io/sha256.ts';
export { decodeSafetensors, encodeSafetensors } from './io/safetensors.ts';
export { MODEL_FILE, MANIFEST_KEY, encodeModelFile, readModelFileManifest, checkModelFile } from './detect/model-file.ts';
