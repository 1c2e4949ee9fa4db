// Model folders on disk: models/NAME/model.safetensors (weights + manifest) (+ plots/, report.html).
// The manifest records everything needed to score (architecture, scaler, threshold) and to
// trust the numbers (training history and options, data checksums, metrics).

import path from 'node:path';
import { VariationalAutoencoder } from '../autoencoders/vae.ts';
import { noGrad, Tensor } from '../engine/tensor.ts';
import { Detector, detectorFromChecked } from '../detect/detector.ts';
import { scalerToJSON } from '../detect/scaler.ts';
import { max, meanPlusKStd, percentile } from '../detect/thresholds.ts';
import type { Evaluation, TrainedDetector } from '../training/pipeline.ts';
import { loadModelFolder, saveModelFolder } from '../detect/model-folder-node.ts';
import { renderPlots } from '../report/plots.ts';
import { collectReport } from '../report/collect.ts';
import { reportSettings } from '../report/settings.ts';
import { lossDescription } from '../autoencoders/loss-description.ts';
import { reportHtml } from '../report/html.ts';
import { REPORT_FILE } from '../report/write-report-node.ts';
import { reconstructAll } from '../detect/scoring.ts';
import { inverseTransform, transform } from '../detect/scaler.ts';
import { matrixOf } from '../training/pipeline.ts';
import { CROSS_FIT_ERRORS } from '../training/cross-fit.ts';
import { takeRows } from '../data/dataset.ts';
import type { TrainingData } from './data-source.ts';
import { manifestWithThreshold, resolveThreshold } from '../detect/threshold-override.ts';
import { UserError } from './args.ts';

export const CARDIOGRAD_VERSION = '0.1.0';

export interface SaveInput {
  detector: Detector;
  trained: TrainedDetector;
  data: TrainingData;
  evaluation: Evaluation | null;
  seed: number;
  normalLabel: string;
  /** Classes a labelled file may hold besides the normal one; absent = any. */
  knownLabels: string[] | undefined;
  options: Record<string, unknown>;
  plots: boolean;
}

/** Summary of the training errors, with the same percentile and std as the threshold rules. */
function stats(xs: Float32Array) {
  const mean = meanPlusKStd(xs, 0);
  return { count: xs.length, mean, std: meanPlusKStd(xs, 1) - mean, median: percentile(xs, 50),
    p95: percentile(xs, 95), p99: percentile(xs, 99), max: max(xs) };
}

/** Float32 errors as JSON numbers: 9 significant digits give back the same float32. */
function stored(xs: Float32Array): number[] {
  return Array.from(xs, (x) => Number(x.toPrecision(9)));
}

export function saveDetector(out: string, s: SaveInput): void {
  const { detector, trained } = s;
  const manifest = {
    formatVersion: 1,
    createdWith: `cardiograd ${CARDIOGRAD_VERSION}`,
    architecture: detector.model.architecture,
    scaler: scalerToJSON(detector.scaler),
    threshold: detector.threshold,
    scoring: detector.scoring,
    normalLabel: s.normalLabel,
    knownLabels: s.knownLabels ?? null,
    seed: s.seed,
    training: {
      options: s.options,
      epochs: trained.training.history.length,
      bestEpoch: trained.training.bestEpoch,
      stoppedEarly: trained.training.stoppedEarly,
      trainSeconds: trained.training.trainSeconds,
      counts: trained.counts,
      history: trained.training.history,
      trainErrors: stats(trained.trainErrors),
      // Every error, so `--threshold RULE` and `npm run threshold` can apply any rule later.
      errorValues: { train: stored(trained.trainErrors), heldOut: trained.valErrors ? stored(trained.valErrors) : null,
        outOfFold: trained.oofErrors ? stored(trained.oofErrors) : null },
      // What errorValues.outOfFold are (oof- rules read them); null when the set was not cross-fitted.
      crossFit: trained.crossFit ? { ...trained.crossFit, errors: CROSS_FIT_ERRORS } : null,
      heldOutFalseAlarmRate: trained.heldOutFalseAlarmRate,
      outOfFoldFalseAlarmRate: trained.outOfFoldFalseAlarmRate,
    },
    data: {
      description: s.data.description,
      synthetic: s.data.synthetic,
      files: s.data.files.map((f) => ({ name: path.basename(f.path), sha256: f.sha256 })),
      // The training file's SHA-256 (npm run runs compares runs by it); null for synthetic beats.
      trainSha256: (s.data.files.find((f) => f.path === s.data.train.source) ?? s.data.files.find((f) => /train/i.test(path.basename(f.path))) ?? s.data.files[0])?.sha256 ?? null,
    },
    metrics: s.evaluation?.metrics ?? null,
  };
  // Plots travel inside the atomic save: the folder appears whole or not at all.
  const extra: Record<string, string> = {};
  if (s.plots) {
    for (const [name, svg] of Object.entries(renderPlots(plotInputs(s)))) extra[`plots/${name}`] = svg;
    if (detector.model instanceof VariationalAutoencoder) extra['plots/latent-means.csv'] = latentMeansCsv(s);
    // The report must never cost the user the trained model: on a failure, save without it.
    try { extra[REPORT_FILE] = reportHtml({ ...reportInputs(out, s), settings: reportSettings(manifest) }); } catch (e) {
      process.stderr.write(`warning: ${REPORT_FILE} not written: ${(e as Error).message}\n`);
    }
  }
  saveModelFolder(out, manifest, detector.model.stateDict(), extra);
}

/** The VAE's latent means μ of every test beat (or training beat without a test file), for plotting. */
function latentMeansCsv(s: SaveInput): string {
  const vae = s.detector.model as VariationalAutoencoder;
  const set = s.data.test ?? s.data.train;
  const scaled = transform(s.detector.scaler, set.beats);
  const mu = noGrad(() => vae.latentCode(new Tensor(scaled, [set.n, set.length])));
  const z = mu.shape[1];
  const lines = [['label', ...Array.from({ length: z }, (_, j) => `mu${j}`)].join(',')];
  for (let i = 0; i < set.n; i++) lines.push([set.labels[i], ...Array.from(mu.data.subarray(i * z, (i + 1) * z), (v) => v.toPrecision(6))].join(','));
  return lines.join('\n') + '\n';
}

/** Everything report.html shows: metrics on the test set, or the training beats without one. */
function reportInputs(out: string, s: SaveInput) {
  const { trained, data, evaluation } = s;
  return collectReport({
    title: `cardiograd ${s.detector.model.architecture.kind} detector (${path.basename(path.resolve(out))})`,
    detector: s.detector, data: data.description, normalLabel: s.normalLabel, seed: s.seed,
    history: trained.training.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss ?? undefined })),
    bestEpoch: trained.training.bestEpoch, trainErrors: trained.trainErrors,
    beats: data.test && evaluation ? data.test : data.train,
    evaluation: data.test && evaluation ? evaluation : null,
  });
}

function plotInputs(s: SaveInput) {
  const { evaluation, data, detector } = s;
  const test = data.test;
  const normalErrors: number[] = [], anomalyErrors: number[] = [];
  if (evaluation) evaluation.scores.forEach((e, i) => (evaluation.labels[i] ? anomalyErrors : normalErrors).push(e));
  else for (const e of s.trained.trainErrors) normalErrors.push(e); // a loop: spreading 10⁵ values overflows the stack
  // Example reconstructions: the first normal and the first abnormal test beat, in the file's
  // own units (the reconstruction mapped back through the scaler).
  const examples: { title: string; original: Float32Array; reconstruction: Float32Array }[] = [];
  if (test && evaluation) {
    for (const want of [0, 1]) {
      const i = evaluation.labels.indexOf(want);
      if (i < 0) continue;
      const m = matrixOf(takeRows(test, [i]));
      const scaled = { ...m, data: transform(detector.scaler, m.data) };
      examples.push({ title: `${want ? 'abnormal' : 'normal'} beat #${i} (class ${test.labels[i]}), error ${evaluation.scores[i].toFixed(3)}`,
        original: m.data, reconstruction: inverseTransform(detector.scaler, reconstructAll(detector.model, scaled)) });
    }
  }
  return {
    history: s.trained.training.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss ?? undefined })),
    normalErrors, anomalyErrors, threshold: detector.threshold.value,
    scores: evaluation ? Array.from(evaluation.scores) : undefined,
    labels: evaluation ? Array.from(evaluation.labels) : undefined,
    auc: evaluation?.metrics.rocAuc,
    examples,
    lossLabel: lossDescription(detector.model.architecture.kind),
  };
}

export interface LoadedDetector { detector: Detector; manifest: Record<string, any> }

/**
 * Loads and checks a model folder (the same checks as detectorFromParts; errors name the files).
 * `threshold` (a --threshold flag: a rule or a number) replaces the saved threshold for this run.
 */
export function loadDetector(dir: string, threshold?: string): LoadedDetector {
  const loaded = loadModelFolder(dir);
  const manifest = loaded.manifest as Record<string, any>;
  const detector = detectorFromChecked(loaded);
  if (threshold === undefined) return { detector, manifest };
  let info;
  try { info = resolveThreshold(threshold, manifest); } catch (e) { throw new UserError(`--threshold: ${dir}: ${(e as Error).message}`, 2); }
  return { detector: new Detector(detector.model, detector.scaler, info, detector.scoring), manifest };
}

/** The manifest with --threshold's threshold (when given), checksum updated: what serve hands its threads. */
export function manifestWithThresholdFlag(dir: string, manifest: Record<string, any>, threshold: string | boolean | undefined): Record<string, any> {
  if (typeof threshold !== 'string') return manifest;
  try { return manifestWithThreshold(manifest, resolveThreshold(threshold, manifest)); } catch (e) {
    throw new UserError(`--threshold: ${dir}: ${(e as Error).message}`, 2);
  }
}

/** The option every scoring command takes. */
export const THRESHOLD_OPTION = {
  threshold: { type: 'string', value: 'RULE|VALUE',
    description: "for this run: a number, or a rule on the model's stored training errors (p95, p99, mean+3std, median+9mad, logmedian+2.33mad, max, heldout-max, min(median+5mad,heldout-max)); default: the saved threshold" },
} as const;
