// `npm run threshold -- --model DIR [--data FILE]`: every candidate threshold rule on the model's
// stored training errors, with its false-alarm rate on the held-out normal beats (or, when none
// were held out, on the training beats themselves: said in the header) and, given a labelled
// FILE, precision, recall and F1 on it. Pass the chosen rule to detect/evaluate/serve --threshold,
// or save it in the model with --write (a new version, atomically: threshold-write.ts).
// Rules with a heldout- part read the held-out beats themselves: their false-alarm rate there is
// optimistic (heldout-max flags none of them by construction), marked with a *.
// A cross-fitted (small) model also stored out-of-fold errors of its training beats (each from a
// model that never saw the beat): a second false-alarm column on them, and the oof- rules, which
// read them (marked with a +, optimistic in that column). Models without them list no oof- rule.

import '../index.ts';
import { existsSync } from 'node:fs';
import { loadBeatFile } from '../data/load-node.ts';
import { evaluateDetector } from '../training/pipeline.ts';
import { bestF1Threshold } from '../detect/thresholds.ts';
import { resolveThreshold, storedErrors } from '../detect/threshold-override.ts';
import { labelColumnFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { loadDetector } from './model-store.ts';
import { writeThreshold } from './threshold-write.ts';

export const CANDIDATE_RULES = ['p90', 'p95', 'p99', 'p99.5', 'max', 'mean+2std', 'mean+3std', 'mean+4std',
  'median+3mad', 'median+5mad', 'median+7mad', 'median+9mad', 'median+12mad', 'logmedian+2.33mad', 'logmedian+3mad',
  'heldout-p95', 'heldout-max', 'min(median+5mad,heldout-max)', 'min(median+9mad,heldout-max)',
  'oof-p90', 'oof-p95', 'oof-p99', 'oof-max', 'min(median+5mad,oof-p95)'];

export const thresholdSpec: CommandSpec = {
  name: 'threshold',
  summary: "compare threshold rules on a saved detector's stored errors (and a labelled file)",
  usage: 'npm run threshold -- --model DIR [--data FILE] [--label-column first|last] [--normal-label L] [--json] [--write RULE|VALUE]',
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    data: { type: 'string', value: 'FILE', description: 'labelled beats: adds precision, recall and F1 per rule, and the best-F1 threshold' },
    'label-column': { type: 'string', value: 'first|last', description: 'where a CSV keeps the label' },
    'normal-label': { type: 'string', value: 'L', description: "label of normal beats (default: the model's)" },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    write: { type: 'string', value: 'RULE|VALUE', description: 'save this threshold in the model (a new version of DIR, replaced atomically; weights and other files kept)' },
  },
};

interface Row { rule: string; threshold: number; falseAlarmRate: number; outOfFoldFalseAlarmRate?: number; precision?: number; recall?: number; f1?: number }

const rate = (errors: Float64Array, t: number) => errors.reduce((k, e) => k + (e > t ? 1 : 0), 0) / errors.length;

async function main({ values }: { values: Record<string, string | boolean | undefined> }): Promise<void> {
  if (typeof values.model !== 'string') throw new UserError('--model DIR is required', 2);
  const { detector, manifest } = loadDetector(values.model);
  const errors = storedErrors(manifest);
  const normals = errors.heldOut ?? errors.train;
  if (!normals) throw new UserError(`${values.model}: the model stores no training errors (saved before they were kept); retrain it`);
  if (typeof values.write === 'string') {
    let written;
    try { written = writeThreshold(values.model, values.write); } catch (e) { throw new UserError(`--write: ${values.model}: ${(e as Error).message}`, 2); }
    process.stdout.write(`${values.model}: saved threshold ${written.value.toPrecision(5)} (${written.method}); was ${detector.threshold.value.toPrecision(5)} (${detector.threshold.method})\n`);
    if (values.json === true) process.stdout.write(JSON.stringify({ model: values.model, written, previous: detector.threshold }) + '\n');
    return;
  }
  const where = errors.heldOut ? `${normals.length} held-out normal beats` : `${normals.length} training beats (none were held out)`;
  const oof = errors.outOfFold;
  const oofRate = (t: number) => (oof ? { outOfFoldFalseAlarmRate: rate(oof, t) } : {});

  let labelled: { scores: Float32Array; labels: Uint8Array | number[] } | null = null;
  if (typeof values.data === 'string') {
    if (!existsSync(values.data)) throw new UserError(`no such file: ${values.data}`);
    const set = loadBeatFile(values.data, { labelColumn: labelColumnFlag(values) });
    if (set.length !== detector.beatLength) throw new UserError(`${values.data}: beats have ${set.length} samples, the model at ${values.model} expects ${detector.beatLength}`);
    const normalLabel = typeof values['normal-label'] === 'string' ? values['normal-label'] : String(manifest.normalLabel ?? '1');
    const e = evaluateDetector(detector, set, normalLabel, manifest.knownLabels ?? undefined);
    labelled = { scores: e.scores, labels: e.labels };
  }
  const rows: Row[] = [];
  for (const rule of CANDIDATE_RULES) {
    let t: number;
    try { t = resolveThreshold(rule, manifest).value; } catch { continue; } // e.g. a log rule on a zero error
    rows.push({ rule, threshold: t, falseAlarmRate: rate(normals, t), ...oofRate(t), ...(labelled ? prf(labelled, t) : {}) });
  }
  const saved = detector.threshold;
  const out: string[] = [`${values.model}: saved threshold ${saved.value.toPrecision(5)} (${saved.method}); false-alarm rate on ${where}`];
  if (oof) out[0] += `; and (oof) on the out-of-fold errors of ${oof.length} training beats (${manifest.training?.crossFit?.folds ?? '?'} cross-fitted models, each scoring beats it never saw)`;
  if (labelled) out[0] += `; precision, recall, F1 on ${values.data}`;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  out.push(['rule'.padEnd(32), 'threshold'.padStart(11), 'false alarms'.padStart(13), ...(oof ? ['(oof)'.padStart(9)] : []),
    ...(labelled ? ['precision', 'recall', 'F1'].map((h) => h.padStart(10)) : [])].join(''));
  const mark = (rule: string) => (errors.heldOut && rule.includes('heldout') ? ' *' : '') + (rule.includes('oof-') ? ' +' : '');
  const line = (r: Row) => [(r.rule + mark(r.rule)).padEnd(32), r.threshold.toPrecision(5).padStart(11), pct(r.falseAlarmRate).padStart(13),
    ...(oof ? [pct(r.outOfFoldFalseAlarmRate!).padStart(9)] : []),
    ...(labelled ? [r.precision!, r.recall!, r.f1!].map((x) => x.toFixed(3).padStart(10)) : [])].join('');
  for (const r of rows) out.push(line(r));
  let best: Row | null = null;
  if (labelled) {
    const b = bestF1Threshold(labelled.scores, labelled.labels);
    best = { rule: 'best F1 (labels)', threshold: b.threshold, falseAlarmRate: rate(normals, b.threshold), ...oofRate(b.threshold), ...prf(labelled, b.threshold) };
    out.push(line(best) + '   <- chosen with the labels of this file: optimistic on it');
  }
  if (errors.heldOut) out.push('* reads the held-out beats it is measured on: its false-alarm rate there is optimistic');
  if (oof) out.push('+ reads the out-of-fold errors: its (oof) false-alarm rate is optimistic');
  out.push(`save one in the model: npm run threshold -- --model ${values.model} --write RULE|VALUE`);
  process.stdout.write(out.join('\n') + '\n');
  if (values.json === true) process.stdout.write(JSON.stringify({ model: values.model, falseAlarmsOn: where, saved, rules: rows, best }) + '\n');
}

/** Precision, recall, F1 of flagging score > t (non-finite scores are flagged, as Detector does). */
function prf({ scores, labels }: { scores: Float32Array; labels: ArrayLike<number> }, t: number) {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flag = !Number.isFinite(scores[i]) || scores[i] > t;
    if (flag && labels[i]) tp++; else if (flag) fp++; else if (labels[i]) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0, recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

void runCommand(thresholdSpec, main);
