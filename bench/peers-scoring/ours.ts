// cardiograd's side of bench:peers' scoring rows: Detector.detect (scaling, reconstruction, MSE per
// beat, thresholding) on the first B ECG5000_TEST beats, dense 140-64-32-16 (default backend),
// the fastest of `--blocks` blocks of calls of about `--seconds` each, as the PyTorch script.
// usage: tsx bench/peers-scoring/ours.ts DATA_DIR BATCH [--seconds 0.3] [--blocks 5]

import '../../src/index.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { getBackend } from '../../src/backends/backend.ts';
import { Detector } from '../../src/detect/detector.ts';
import { fitScaler } from '../../src/detect/scaler.ts';

const { values, positionals } = parseArgs({ allowPositionals: true,
  options: { seconds: { type: 'string', default: '0.3' }, blocks: { type: 'string', default: '5' } } });
const [dir, batchArg] = positionals;
const B = Number(batchArg), L = 140;
const rows = (file: string) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
const normal = rows('ECG5000_TRAIN.txt').filter((r) => r[0] === 1).map((r) => r.slice(1));
const train = Float32Array.from(normal.flat());
const test = Float32Array.from(rows('ECG5000_TEST.txt').slice(0, B).flatMap((r) => r.slice(1)));
const detector = new Detector(createAutoencoder(defaultArchitecture('dense', L), 0),
  fitScaler('standard', train, normal.length, L), { value: 1, method: 'bench' });
const score = () => detector.detect(test, B);
for (let i = 0; i < 20; i++) score();
let best = Infinity;
for (let b = 0; b < Number(values.blocks); b++) {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < Number(values.seconds) * 1000) { score(); n++; }
  best = Math.min(best, (performance.now() - t0) / 1000 / n);
}
console.log(JSON.stringify({ engine: 'cardiograd', backend: getBackend().name, batch: B, s_per_call: best, beats_per_s: B / best }));
