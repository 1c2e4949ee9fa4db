// The benchmark workload: the 292 normal beats of ECG5000_TRAIN, standard-scaled, from
// ../shared/data/ecg5000 or data/ecg5000; the synthetic generator when neither exists (said so).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBeatFile } from '../src/data/load-node.ts';
import { generateSyntheticEcg } from '../src/data/synthetic.ts';
import { fitScaler, transform } from '../src/detect/scaler.ts';
import { matrixOf } from '../src/training/pipeline.ts';
import { selectRows } from '../src/data/dataset.ts';
import type { BeatMatrix } from '../src/training/trainer.ts';

const CANDIDATES = ['../../shared/data/ecg5000/ECG5000_TRAIN.txt', '../data/ecg5000/ECG5000_TRAIN.txt']
  .map((p) => fileURLToPath(new URL(p, import.meta.url)));

export function loadWorkload(): { beats: BeatMatrix; description: string } {
  const file = CANDIDATES.find((p) => existsSync(p));
  const set = file ? loadBeatFile(file) : generateSyntheticEcg({ nNormal: 292, nAbnormal: 0, length: 140, seed: 0 });
  const raw = matrixOf(selectRows(set, (label) => label === '1'));
  const scaler = fitScaler('standard', raw.data, raw.n, raw.length);
  return {
    beats: { ...raw, data: transform(scaler, raw.data) },
    description: file ? `ECG5000_TRAIN normal beats (${raw.n}) from ${file}` : `synthetic ECG (${raw.n} normal beats): ECG5000 not found`,
  };
}
