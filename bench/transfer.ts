// `npx tsx bench/transfer.ts [--models dense,vae] [--seeds 3] [--all]` (--all: every rule on the reporting sets too): the threshold-transfer study
// (docs/thresholds.md). Chooses a default label-free rule on the ECG5000-derived small sets and
// reports it on the MIT-BIH ones, which the choice never sees. Prints markdown tables.

import '../src/index.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelKind } from '../src/autoencoders/registry.ts';
import { ecg5000Small, mitdbSmall, type SmallDataset } from './transfer/datasets.ts';
import { runTransfer, transferRules, type TransferRun } from './transfer/study.ts';
import { chooseDefault, formatSummary, FULL_DATA_FLOOR, summarize } from './transfer/table.ts';
import { readFileSync } from 'node:fs';
import { DEFAULT_THRESHOLD } from '../src/detect/thresholds.ts';

const { values } = parseArgs({ options: { models: { type: 'string', default: 'dense,vae' }, seeds: { type: 'string', default: '3' },
  all: { type: 'boolean' }, data: { type: 'string', default: path.join(import.meta.dirname, '..', '..', 'shared', 'data') } } });
const models = values.models!.split(',') as ModelKind[];
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i);
const ecg = path.join(values.data!, 'ecg5000'), mit = path.join(values.data!, 'mitdb');

/** Where the default is chosen: ECG5000 beats at two lengths. */
const choosing = (s: number): SmallDataset[] => [ecg5000Small(ecg, s), ecg5000Small(ecg, s, 96)];
/** Where it is only reported: other patients, another database, other lengths and anomaly kinds. */
const reporting = (s: number): SmallDataset[] => [mitdbSmall(mit, '106', s, 96), mitdbSmall(mit, '232', s, 128),
  mitdbSmall(mit, '100', s, 96), mitdbSmall(mit, '104', s, 96)];

function runAll(make: (s: number) => SmallDataset[]): TransferRun[] {
  const runs: TransferRun[] = [];
  for (const s of seeds) for (const ds of make(s)) for (const m of models) {
    const r = runTransfer(ds, m, s);
    process.stderr.write(`${m} ${ds.name}: ${ds.train.n} train, ${ds.test.n} test, ROC-AUC ${r.rocAuc.toFixed(3)}, best F1 ${r.bestF1.toFixed(3)}\n`);
    runs.push(r);
  }
  return runs;
}

const rules = transferRules();
const chose = summarize(runAll(choosing), rules);
// Worst inner F1 per rule on full ECG5000 from `npx tsx bench/select.ts --only rules` (a copy of its JSON's rules).
const fullData = (JSON.parse(readFileSync(path.join(import.meta.dirname, 'transfer', 'ecg5000-inner-f1.json'), 'utf8')) as { worstF1: Record<string, number> }).worstF1;
const winner = chooseDefault(chose, fullData);
const report = summarize(runAll(reporting), rules);
const show = [...new Set([winner.rule, DEFAULT_THRESHOLD, 'median+9mad', 'min(median+9mad,heldout-max)', 'median+5mad', 'median+4mad', 'median+3mad', 'p95', 'mean+3std', 'max', 'heldout-p95', 'heldout-max'])];
console.log(`## Choosing sets (models ${models.join(', ')}, seeds ${seeds.join(', ')})\n\n${formatSummary(chose, values.all ? undefined : [...new Set([...show, ...[...chose].sort((a, b) => a.worstGap - b.worstGap).slice(0, 6).map((r) => r.rule)])])}\n`);
console.log(`rules with ECG5000 worst inner F1 >= ${FULL_DATA_FLOOR} (bench/transfer/ecg5000-inner-f1.json): ${chose.filter((r) => (fullData[r.rule] ?? -1) >= FULL_DATA_FLOOR).map((r) => r.rule).join(', ')}\n`);
console.log(`chosen: ${winner.rule} (worst gap ${winner.worstGap.toFixed(3)}, mean gap ${winner.meanGap.toFixed(3)}); code default ${DEFAULT_THRESHOLD}\n`);
console.log(`## Reporting sets (not used to choose)\n\n${formatSummary(report, values.all ? undefined : show)}\n`);
