// `npm run evaluate -- --model DIR [--data DIR | --test FILE]`: scores a labelled file with a
// saved detector and prints ROC-AUC, PR-AUC, F1, precision, recall, accuracy and the confusion;
// with --report, also writes DIR/report-<data file>.html (atomically) beside the training report.

import '../index.ts';
import { evaluateDetector } from '../training/pipeline.ts';
import { formatMetricsTable } from '../evaluation/metrics.ts';
import { labelColumnFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { DEFAULT_DATA_DIR, loadDirectory } from './data-source.ts';
import { loadBeatFile } from '../data/load-node.ts';
import { loadDetector, THRESHOLD_OPTION } from './model-store.ts';
import { BACKEND_OPTIONS, selectBackend } from './backend-flags.ts';
import { existsSync } from 'node:fs';
import type { BeatSet } from '../data/dataset.ts';
import type { Detector } from '../detect/detector.ts';
import type { Evaluation } from '../training/pipeline.ts';
import path from 'node:path';
import { collectReport } from '../report/collect.ts';
import { reportSettings } from '../report/settings.ts';
import { reportHtml } from '../report/html.ts';
import { evaluationReportName, writeReportHtml } from '../report/write-report-node.ts';

export const evaluateSpec: CommandSpec = {
  name: 'evaluate',
  summary: 'evaluate a saved detector on labelled beats',
  usage: 'npm run evaluate -- --model DIR [--data DIR | --test FILE] [--label-column first|last] [--normal-label L] [--threshold RULE|VALUE] [--report] [--json]',
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    data: { type: 'string', value: 'DIR', description: `folder with a *_TEST file (default ${DEFAULT_DATA_DIR})` },
    test: { type: 'string', value: 'FILE', description: 'labelled beats file' },
    'label-column': { type: 'string', value: 'first|last', description: 'where a CSV keeps the label' },
    'normal-label': { type: 'string', value: 'L', description: "label of normal beats (default: the model's)" },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    report: { type: 'boolean', description: 'write DIR/report-<FILE name>.html (all figures) for this labelled file, beside the training report' },
    ...THRESHOLD_OPTION,
    ...BACKEND_OPTIONS,
  },
};

async function main({ values }: { values: Record<string, string | boolean | undefined> }): Promise<void> {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  if (typeof values.model !== 'string') throw new UserError('--model DIR is required', 2);
  const labelColumn = labelColumnFlag(values);
  await selectBackend(values, log);
  const { detector, manifest } = loadDetector(values.model, typeof values.threshold === 'string' ? values.threshold : undefined);
  let test: BeatSet;
  if (typeof values.test === 'string') {
    if (!existsSync(values.test)) throw new UserError(`no such file: ${values.test}`);
    test = loadBeatFile(values.test, { labelColumn });
  } else {
    const dir = typeof values.data === 'string' ? values.data : DEFAULT_DATA_DIR;
    const pair = loadDirectory(dir, { labelColumn }, []);
    if (!pair.test) throw new UserError(`${dir} has no *_TEST file; pass --test FILE`);
    test = pair.test;
  }
  if (test.length !== detector.beatLength) {
    throw new UserError(`${test.source}: beats have ${test.length} samples, the model at ${values.model} expects ${detector.beatLength}`);
  }
  const normalLabel = typeof values['normal-label'] === 'string' ? values['normal-label'] : String(manifest.normalLabel ?? '1');
  const evaluation = evaluateDetector(detector, test, normalLabel, manifest.knownLabels ?? undefined);
  const { metrics, scores } = evaluation;
  // Beats whose error could not be computed score +Infinity (flagged): say how many.
  const nonFinite = scores.reduce((k, s) => k + (Number.isFinite(s) ? 0 : 1), 0);
  process.stdout.write(`${test.source}: ${test.n} beats, model ${values.model} (${detector.model.architecture.kind})\n`);
  if (nonFinite > 0) process.stdout.write(`${nonFinite} beats could not be scored (non-finite reconstruction error); they count as flagged anomalies\n`);
  process.stdout.write(formatMetricsTable(metrics) + '\n');
  if (values.report === true) {
    const file = refreshReport(values.model, detector, manifest, test, normalLabel, evaluation);
    process.stdout.write(`wrote ${file}\n`);
  }
  if (values.json === true) process.stdout.write(JSON.stringify({ model: values.model, test: test.source, beats: test.n, nonFinite, ...metrics, thresholdMethod: detector.threshold.method }) + '\n');
}

/** report.html for this evaluation, with the training history the manifest recorded. */
function refreshReport(dir: string, detector: Detector, manifest: Record<string, any>, test: BeatSet,
                       normalLabel: string, evaluation: Evaluation): string {
  const history = Array.isArray(manifest.training?.history) ? manifest.training.history : [];
  const inputs = collectReport({
    title: `cardiograd ${detector.model.architecture.kind} detector (${path.basename(path.resolve(dir))})`,
    detector, normalLabel, seed: Number.isInteger(manifest.seed) ? manifest.seed : 0,
    data: `trained on ${manifest.data?.description ?? 'unrecorded data'}; evaluated on ${test.source}`,
    history: history.map((h: any) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss ?? undefined })),
    bestEpoch: Number(manifest.training?.bestEpoch ?? history.length),
    trainErrors: [], beats: test, evaluation, settings: reportSettings(manifest),
  });
  return writeReportHtml(dir, reportHtml(inputs), evaluationReportName(test.source));
}

void runCommand(evaluateSpec, main);
