// Scoring throughput of a dense detector: beats per second at batch 1 (a live monitor) and
// batch 256 (a file) on the default backend, the batch-1 figure being the baseline; batch
// 256 on the cpu and wasm backends side by side; and on wasm the whole-chain path
// (detect/dense-scoring.ts, what detect takes there) against the per-op path it replaced
// (transform, then one linearForward per layer and the error loop in TS); and batch 1 on wasm with
// the chain's transposed weights kept against the same calls when the weights change every call.

import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { Detector } from '../../src/detect/detector.ts';
import { fitScaler, transform } from '../../src/detect/scaler.ts';
import { reconstructionErrors } from '../../src/detect/scoring.ts';
import type { BeatMatrix } from '../../src/training/trainer.ts';
import { getBackend, setBackend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

export async function scoringSuite(cfg: BenchConfig, beats: BeatMatrix): Promise<Row[]> {
  const L = beats.length;
  const model = createAutoencoder(defaultArchitecture('dense', L), 0);
  const detector = new Detector(model, fitScaler('standard', beats.data, beats.n, L), { value: 1, method: 'bench' });
  const batch = Math.min(256, beats.n);
  const one = beats.data.subarray(0, L), many = beats.data.subarray(0, batch * L);
  const t = await timeAll({ one: () => detector.detect(one, 1), many: () => detector.detect(many, batch) }, cfg);
  const original = getBackend();
  const on = async (make: () => typeof original) => {
    setBackend(make());
    try { return (await timeAll({ many: () => detector.detect(many, batch) }, cfg)).many; } finally { setBackend(original); }
  };
  const cpu = await on(createCpuBackend), wasm = await on(createWasmBackend);
  setBackend(createWasmBackend());
  const perOp = () => reconstructionErrors(model, { data: transform(detector.scaler, many), n: batch, length: L });
  let chain;
  try { chain = await timeAll({ chain: () => detector.detect(many, batch), perOp }, cfg); } finally { setBackend(original); }
  // Batch 1 on wasm with the chain's transposed weights kept (one model) against the same calls
  // when the weights change every call (two models of one shape in turn: each call transposes).
  const twin = new Detector(createAutoencoder(defaultArchitecture('dense', L), 1), detector.scaler, detector.threshold);
  setBackend(createWasmBackend());
  let kept;
  try {
    let flip = false;
    kept = await timeAll({ kept: () => detector.detect(one, 1), changed: () => ((flip = !flip) ? twin : detector).detect(one, 1) }, cfg);
  } finally { setBackend(original); }
  const perSec = (ms: number) => (batch * 1000) / ms;
  return [
    { suite: 'scoring', name: `dense detect, batch ${batch}, cpu`, ms: cpu.ms, value: perSec(cpu.ms), unit: 'beats/s', samples: cpu.samples },
    { suite: 'scoring', name: `dense detect, batch ${batch}, wasm`, ms: wasm.ms, value: perSec(wasm.ms), unit: 'beats/s',
      baseline: `dense detect, batch ${batch}, cpu`, ratio: cpu.ms / wasm.ms, samples: wasm.samples },
    { suite: 'scoring', name: `dense errors per-op, batch ${batch}, wasm`, ms: chain.perOp.ms, value: perSec(chain.perOp.ms), unit: 'beats/s', samples: chain.perOp.samples },
    { suite: 'scoring', name: `dense detect chain, batch ${batch}, wasm`, ms: chain.chain.ms, value: perSec(chain.chain.ms), unit: 'beats/s',
      baseline: `dense errors per-op, batch ${batch}, wasm`, ratio: chain.perOp.ms / chain.chain.ms, samples: chain.chain.samples },
    { suite: 'scoring', name: 'dense detect, batch 1, wasm, weights changed every call', ms: kept.changed.ms, value: 1000 / kept.changed.ms, unit: 'beats/s', samples: kept.changed.samples },
    { suite: 'scoring', name: 'dense detect, batch 1, wasm, weights kept', ms: kept.kept.ms, value: 1000 / kept.kept.ms, unit: 'beats/s',
      baseline: 'dense detect, batch 1, wasm, weights changed every call', ratio: kept.changed.ms / kept.kept.ms, samples: kept.kept.samples },
    { suite: 'scoring', name: `dense detect, batch 1 (${getBackend().name})`, ms: t.one.ms, value: 1000 / t.one.ms, unit: 'beats/s', samples: t.one.samples },
    { suite: 'scoring', name: `dense detect, batch ${batch} (${getBackend().name})`, ms: t.many.ms, value: (batch * 1000) / t.many.ms, unit: 'beats/s',
      baseline: `dense detect, batch 1 (${getBackend().name})`, ratio: (batch * t.one.ms) / t.many.ms, samples: t.many.samples },
  ];
}
