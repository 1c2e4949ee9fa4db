// cardiograd/node as a Node program uses it: train with the same defaults `npm run train` uses,
// on the wasm backend chosen through the module's own exports, and score with the same answers
// as the cpu backend (to float rounding).

import { describe, expect, it } from 'vitest';
import {
  createCpuBackend, createWasmBackend, defaultArchitecture, defaultThreshold, getBackend, setBackend,
  syntheticTrainTest, trainDetector, trainingDefaults, wasmSupport,
} from '../../src/node.ts';

describe('cardiograd/node', () => {
  it('trains with train\'s defaults on the wasm backend it exports', () => {
    expect(wasmSupport().ok, 'Node 20 compiles WebAssembly SIMD').toBe(true);
    const { train, test } = syntheticTrainTest(1);
    const d = trainingDefaults('dense');
    const before = getBackend();
    try {
      setBackend(createWasmBackend());
      expect(getBackend().name).toBe('wasm');
      const trained = trainDetector(train, {
        architecture: defaultArchitecture('dense', train.length), scaler: d.scaler, epochs: 5, batchSize: d.batchSize, lr: d.lr,
        patience: d.patience, valFraction: d.valFraction, clipNorm: d.clipNorm, lrSchedule: d.lrSchedule, threshold: defaultThreshold('dense'), normalLabel: '1', seed: 0,
      });
      expect(trained.detector.threshold.method).toBe(`${defaultThreshold('dense')} of training and held-out errors`);
      const onWasm = trained.detector.detect(test.beats, test.n).scores;
      setBackend(createCpuBackend());
      const onCpu = trained.detector.detect(test.beats, test.n).scores;
      for (let i = 0; i < test.n; i++) expect(onWasm[i]).toBeCloseTo(onCpu[i], 4);
    } finally {
      setBackend(before);
    }
  });
});
