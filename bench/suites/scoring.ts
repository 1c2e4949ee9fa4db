// Scoring throughput of a dense detector: beats per second at batch 1 (a live monitor) and
// batch 256 (a file), the batch-1 figure being the baseline.

import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { Detector } from '../../src/ecg/detector.ts';
import { fitScaler } from '../../src/ecg/scaler.ts';
import type { BeatMatrix } from '../../src/ecg/trainer.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

export async function scoringSuite(cfg: BenchConfig, beats: BeatMatrix): Promise<Row[]> {
  const L = beats.length;
  const model = createAutoencoder(defaultArchitecture('dense', L), 0);
  const detector = new Detector(model, fitScaler('standard', beats.data, beats.n, L), { value: 1, method: 'bench' });
  const batch = Math.min(256, beats.n);
  const one = beats.data.subarray(0, L), many = beats.data.subarray(0, batch * L);
  const t = await timeAll({ one: () => detector.detect(one, 1), many: () => detector.detect(many, batch) }, cfg);
  return [
    { suite: 'scoring', name: 'dense detect, batch 1', ms: t.one.ms, value: 1000 / t.one.ms, unit: 'beats/s', samples: t.one.samples },
    { suite: 'scoring', name: `dense detect, batch ${batch}`, ms: t.many.ms, value: (batch * 1000) / t.many.ms, unit: 'beats/s',
      baseline: 'dense detect, batch 1', ratio: (batch * t.one.ms) / t.many.ms, samples: t.many.samples },
  ];
}
