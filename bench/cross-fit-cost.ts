// `npx tsx bench/cross-fit-cost.ts [KINDS] [REPS]` (default dense,vae 6): what cross-fitting costs `train` on an ECG200-sized set (70
// normal beats, 96 samples, from ECG5000): trainDetector with --cross-fit 0 against the default
// (5 folds below 200 fitted beats), alternated, medians of REPS (same run, so the ratio holds under load).
import '../src/index.ts';
import path from 'node:path';
import { ecg5000Small } from './transfer/datasets.ts';
import { defaultArchitecture, trainingDefaults } from '../src/autoencoders/defaults.ts';
import { trainDetector } from '../src/training/pipeline.ts';
const ds = ecg5000Small(path.join(import.meta.dirname, '..', '..', 'shared', 'data', 'ecg5000'), 0, { length: 96 });
const kinds = (process.argv[2] ?? 'dense,vae').split(',') as ('dense' | 'vae' | 'lstm' | 'conv')[];
const reps = Number(process.argv[3] ?? 6);
for (const kind of kinds) {
  const d = trainingDefaults(kind);
  const opts = (k?: number) => ({ architecture: defaultArchitecture(kind, 96), scaler: d.scaler, epochs: d.epochs, batchSize: d.batchSize, lr: d.lr,
    lrSchedule: d.lrSchedule, patience: d.patience, valFraction: d.valFraction, threshold: 'max', normalLabel: '1', seed: 0, clipNorm: d.clipNorm, crossFitFolds: k });
  const t = { off: [] as number[], on: [] as number[] };
  for (let rep = 0; rep < reps; rep++) for (const k of [0, undefined]) {
    const t0 = performance.now(); trainDetector(ds.train, opts(k)); t[k === 0 ? 'off' : 'on'].push(performance.now() - t0);
  }
  const med = (x: number[]) => x.sort((a, b) => a - b)[x.length >> 1];
  console.log(`${kind}: 70 beats, without cross-fit ${med(t.off).toFixed(0)} ms, with 5 folds ${med(t.on).toFixed(0)} ms, ratio ${(med(t.on) / med(t.off)).toFixed(2)} (medians of ${reps})`);
}
