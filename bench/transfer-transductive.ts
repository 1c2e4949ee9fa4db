// `npx tsx bench/transfer-transductive.ts`: the threshold-transfer study's sets and runs (dense and
// VAE, seeds 0-2; bench/transfer.ts) scored with rules that read the test file's own unlabelled
// scores (bench/transfer/transductive-rules.ts) beside the code default: would a threshold set at
// evaluate time, from the scores it is given, close issue 28's gap? (docs/thresholds.md). Prints
// markdown tables; nothing here is used by train, detect or evaluate.

import '../src/index.ts';
import path from 'node:path';
import type { ModelKind } from '../src/autoencoders/registry.ts';
import { computeThreshold, DEFAULT_THRESHOLD } from '../src/detect/thresholds.ts';
import { choosingSets, reportingSets, type SmallDataset } from './transfer/datasets.ts';
import { runTransfer, type Rule, type TransferRun } from './transfer/study.ts';
import { formatCompact, summarize } from './transfer/table.ts';
import { breakEven, gmm, otsu, sortedLogs } from './transfer/transductive-rules.ts';

const data = path.join(import.meta.dirname, '..', '..', 'shared', 'data');
const seeds = [0, 1, 2], models: ModelKind[] = ['dense', 'vae'];

function runAll(make: (s: number) => SmallDataset[]): TransferRun[] {
  const runs: TransferRun[] = [];
  for (const s of seeds) for (const ds of make(s)) for (const m of models) runs.push(runTransfer(ds, m, s));
  return runs;
}

const codeDefault = (r: TransferRun) => computeThreshold(DEFAULT_THRESHOLD, r.fitErrors, r.valErrors);
const fittedFloor = (r: TransferRun, k: number) => computeThreshold(`median+${k}mad`, r.fitErrors, r.valErrors);
/** Reference normal errors: out-of-fold where the set was cross-fitted, else the fitted and held-out ones. */
const reference = (r: TransferRun) => r.oofErrors ?? Float32Array.from([...r.fitErrors, ...(r.valErrors ?? [])]);
const rule = (name: string, f: (r: TransferRun) => number): Rule => ({ name, threshold: (r) => f(r as TransferRun) });
const rules: Rule[] = [
  rule(DEFAULT_THRESHOLD, codeDefault),
  rule('T otsu', (r) => otsu(sortedLogs(r.scores))),
  rule('T gmm', (r) => gmm(sortedLogs(r.scores))),
  rule('T max(otsu,median+2mad)', (r) => Math.max(otsu(sortedLogs(r.scores)), fittedFloor(r, 2))),
  rule('T max(otsu,median+3mad)', (r) => Math.max(otsu(sortedLogs(r.scores)), fittedFloor(r, 3))),
  rule('T max(gmm,median+3mad)', (r) => Math.max(gmm(sortedLogs(r.scores)), fittedFloor(r, 3))),
  rule('T min(default,otsu)', (r) => Math.min(codeDefault(r), otsu(sortedLogs(r.scores)))),
  rule('T max(min(default,otsu),median+3mad)', (r) => Math.max(Math.min(codeDefault(r), otsu(sortedLogs(r.scores))), fittedFloor(r, 3))),
  rule('T breakeven(fitted)', (r) => breakEven(r.scores, r.fitErrors)),
  rule('T breakeven(reference)', (r) => breakEven(r.scores, reference(r))),
];
const names = rules.map((r) => r.name);
console.log(`## Choosing sets (dense, vae; seeds ${seeds.join(', ')})\n\n${formatCompact(summarize(runAll((s) => choosingSets(path.join(data, 'ecg5000'), s)), rules), names)}\n`);
console.log(`## Reporting sets (dense, vae; seeds ${seeds.join(', ')})\n\n${formatCompact(summarize(runAll((s) => reportingSets(path.join(data, 'mitdb'), s)), rules), names)}`);
