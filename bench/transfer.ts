// `npx tsx bench/transfer.ts [--models dense,vae] [--seeds 3] [--epochs N] [--all] [--small-val-fraction F]` (--all: every rule on the reporting sets too;
// --small-val-fraction: hold out F instead of 0.1 on the sets train cross-fits): the threshold-transfer study
// (docs/thresholds.md). Chooses a default label-free rule on the ECG5000-derived small sets and
// reports it on the MIT-BIH ones, which the choice never sees. Prints markdown tables.

import '../src/index.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelKind } from '../src/autoencoders/registry.ts';
import { choosingSets, reportingSets, type SmallDataset } from './transfer/datasets.ts';
import { runTransfer, transferRules, type TransferRun } from './transfer/study.ts';
import { FALSE_ALARM_HEADER, falseAlarmEstimates, formatFalseAlarms } from './transfer/false-alarms.ts';
import { chooseDefault, formatCompact, formatSummary, FULL_DATA_FLOOR, summarize } from './transfer/table.ts';
import { readFileSync } from 'node:fs';
import { CROSS_FIT_BELOW, DEFAULT_THRESHOLD } from '../src/detect/thresholds.ts';
import { trainingDefaults } from '../src/autoencoders/defaults.ts';
import { fittedBeatCount } from '../src/training/pipeline.ts';

const { values } = parseArgs({ options: { models: { type: 'string', default: 'dense,vae' }, seeds: { type: 'string', default: '3' },
  epochs: { type: 'string' }, all: { type: 'boolean' }, 'small-val-fraction': { type: 'string' }, 'choosing-only': { type: 'boolean' },
  data: { type: 'string', default: path.join(import.meta.dirname, '..', '..', 'shared', 'data') } } });
const models = values.models!.split(',') as ModelKind[];
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i);
const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
/** Variant: this hold-out share on the sets train would cross-fit (under CROSS_FIT_BELOW fitted beats at the default 0.1). */
const smallValFraction = values['small-val-fraction'] === undefined ? undefined : Number(values['small-val-fraction']);
const ecg = path.join(values.data!, 'ecg5000'), mit = path.join(values.data!, 'mitdb');

const choosing = (s: number): SmallDataset[] => choosingSets(ecg, s);
const reporting = (s: number): SmallDataset[] => reportingSets(mit, s);

function runAll(make: (s: number) => SmallDataset[]): TransferRun[] {
  const runs: TransferRun[] = [];
  for (const s of seeds) for (const ds of make(s)) for (const m of models) {
    const small = fittedBeatCount(ds.train.n, trainingDefaults(m).valFraction) < CROSS_FIT_BELOW;
    const r = runTransfer(ds, m, s, epochs, small ? smallValFraction : undefined);
    process.stderr.write(`${m} ${ds.name}: ${ds.train.n} train, ${ds.test.n} test, ROC-AUC ${r.rocAuc.toFixed(3)}, best F1 ${r.bestF1.toFixed(3)}, ` +
      `${r.seconds.toFixed(1)} s (cross-fit ${r.crossFitSeconds.toFixed(1)} s)\n`);
    runs.push(r);
  }
  return runs;
}

const rules = transferRules();
const choosingRuns = runAll(choosing);
const chose = summarize(choosingRuns, rules);
// Worst inner F1 per rule on full ECG5000 from `npx tsx bench/select.ts --only rules` (a copy of its JSON's rules).
const fullData = (JSON.parse(readFileSync(path.join(import.meta.dirname, 'transfer', 'ecg5000-inner-f1.json'), 'utf8')) as { worstF1: Record<string, number> }).worstF1;
// A small:RULE rule is the code default on every set `select` scores (ECG5000's inner splits fit 211+
// beats, at or above CROSS_FIT_BELOW, so train never cross-fits there): its full-data F1 is the default's.
for (const r of rules) if (r.name.startsWith('small:') && fullData[DEFAULT_THRESHOLD] !== undefined) fullData[r.name] = fullData[DEFAULT_THRESHOLD];
const winner = chooseDefault(chose, fullData);
const setting = `models ${models.join(', ')}, seeds ${seeds.join(', ')}${epochs === undefined ? '' : `, ${epochs} epochs`}` +
  `${smallValFraction === undefined ? '' : `, hold-out ${smallValFraction} on sets under ${CROSS_FIT_BELOW} fitted beats`}`;
const show = [...new Set([winner.rule, DEFAULT_THRESHOLD, 'small:oof-p95', 'small:min(median+5mad,oof-max)', 'median+9mad', 'min(median+9mad,heldout-max)', 'median+5mad', 'median+4mad', 'median+3mad', 'p95', 'mean+3std', 'max', 'heldout-p95', 'heldout-max'])];
const top = (rows: typeof chose, n: number) => [...rows].sort((a, b) => a.worstGap - b.worstGap).slice(0, n).map((r) => r.rule);
const shownChoosing = [...new Set([...show, ...top(chose, 8)])];
console.log(`## Choosing sets, summary (${setting})\n\n${formatCompact(chose, shownChoosing)}\n`);
console.log(`## Choosing sets (${setting})\n\n${formatSummary(chose, values.all ? undefined : [...new Set([...show, ...top(chose, 8)])])}\n`);
console.log(`rules with ECG5000 worst inner F1 >= ${FULL_DATA_FLOOR} (bench/transfer/ecg5000-inner-f1.json): ${chose.filter((r) => (fullData[r.rule] ?? -1) >= FULL_DATA_FLOOR).map((r) => r.rule).join(', ')}\n`);
console.log(`chosen: ${winner.rule} (worst gap ${winner.worstGap.toFixed(3)}, mean gap ${winner.meanGap.toFixed(3)}); code default ${DEFAULT_THRESHOLD}\n`);
const seconds = (runs: TransferRun[]) => `${runs.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s, of which cross-fitting ${runs.reduce((s, r) => s + r.crossFitSeconds, 0).toFixed(1)} s`;
console.log(`choosing runs: ${choosingRuns.length}, ${seconds(choosingRuns)}\n`);
const estimates = [`## False-alarm rate of ${DEFAULT_THRESHOLD} on unseen normal beats: held-out vs out-of-fold estimate\n`, FALSE_ALARM_HEADER,
  formatFalseAlarms('choosing', falseAlarmEstimates(choosingRuns, DEFAULT_THRESHOLD))];
if (values['choosing-only']) console.log(estimates.join('\n') + '\n');
if (!values['choosing-only']) {
  const reportingRuns = runAll(reporting);
  const report = summarize(reportingRuns, rules);
  estimates.push(formatFalseAlarms('reporting', falseAlarmEstimates(reportingRuns, DEFAULT_THRESHOLD)));
  console.log(estimates.join('\n') + '\n');
  console.log(`reporting runs: ${reportingRuns.length}, ${seconds(reportingRuns)}\n`);
  // The claim test/detect/threshold-transfer.test.ts checks for the code default (dense, mean of the seeds, gap <= 0.10).
  const claim = (rule: string) => { const r = report.find((x) => x.rule === rule); return r ? ['dense mitdb-232-128', 'dense mitdb-104-96'].map((f) => `${f} ${r.byFamily[f]?.gap.toFixed(3)}`).join(', ') : 'n/a'; };
  console.log(`threshold-transfer test claim (dense gap <= 0.10 on mitdb-232 and mitdb-104): ${DEFAULT_THRESHOLD}: ${claim(DEFAULT_THRESHOLD)}; protocol's pick ${winner.rule}: ${claim(winner.rule)}\n`);
  console.log(`## Reporting sets, summary (not used to choose; ${setting})\n\n${formatCompact(report, shownChoosing)}\n`);
  console.log(`## Reporting sets (not used to choose; ${setting})\n\n${formatSummary(report, values.all ? undefined : [...new Set([...show, ...top(chose, 8)])])}\n`);
}
