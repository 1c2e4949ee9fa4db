// Child process for wasm-default.test.ts: trains the default backend for a few seeded steps on
// the ECG5000 normal beats and prints {backend, digest} (digest: FNV-1a over the weights' bytes).
// Run with WebAssembly removed (--import a stub) to exercise the cpu fallback.

import { getBackend } from '../../src/index.ts';
import { seededSteps, weightDigest } from './wasm-train-steps.ts';

const model = seededSteps(Number(process.argv[2] ?? 5));
console.log(JSON.stringify({ backend: getBackend().name, digest: weightDigest(model) }));
