// `npx tsx bench/transfer/calibration.ts`: how the study's errors compare with the test files'
// normal beats (docs/thresholds.md, "Cross-fitted out-of-fold errors"): per set family (dense and
// VAE, seeds 0-2, the choosing and reporting sets of bench/transfer.ts at 70 training beats), the
// median fitted / held-out / out-of-fold error over the median test-normal score, and the share
// of test normals the best label-chosen threshold flags (where a rule on normal errors must land).

import '../../src/index.ts';
import path from 'node:path';
import { bestF1Threshold, median } from '../../src/detect/thresholds.ts';
import { ecg5000Small, mitdbSmall, type SmallDataset } from './datasets.ts';
import { runTransfer } from './study.ts';

const data = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const sets = (s: number): SmallDataset[] => [ecg5000Small(path.join(data, 'ecg5000'), s), ecg5000Small(path.join(data, 'ecg5000'), s, { length: 96 }),
  ecg5000Small(path.join(data, 'ecg5000'), s, { length: 96, anomalyClass: '3' }),
  ...([['106', 96], ['232', 128], ['100', 96], ['104', 96], ['108', 96]] as const).map(([r, l]) => mitdbSmall(path.join(data, 'mitdb'), r, s, l))];
const f = (x: number) => x.toFixed(2);
console.log('| model | set (seeds 0-2) | fitted / test-normal median | held-out / test-normal | out-of-fold / test-normal | test normals the best threshold flags |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const m of ['dense', 'vae'] as const) {
  const rows = new Map<string, number[][]>();
  for (const s of [0, 1, 2]) for (const ds of sets(s)) {
    const r = runTransfer(ds, m, s);
    const normals = r.scores.filter((_, i) => !r.labels[i]);
    const ref = median(normals), best = bestF1Threshold(r.scores, r.labels).threshold;
    const name = ds.name.replace(/ s\d+$/, '');
    rows.set(name, [...(rows.get(name) ?? []), [median(r.fitErrors) / ref, median(r.valErrors!) / ref, median(r.oofErrors!) / ref,
      normals.filter((e) => e > best).length / normals.length]]);
  }
  for (const [name, xs] of rows) {
    const col = (j: number) => xs.reduce((a, x) => a + x[j], 0) / xs.length;
    console.log(`| ${m} | ${name} | ${f(col(0))} | ${f(col(1))} | ${f(col(2))} | ${(100 * col(3)).toFixed(0)}% |`);
  }
}
