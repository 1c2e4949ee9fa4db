// Gathers everything report.html shows from a detector and its data: per-class errors, example
// reconstructions of each class, and 2-D maps (PCA, UMAP) of the latent codes of a seeded,
// class-stratified subsample with their separation numbers. Pure computation (no files), so
// `train` (inside its atomic save) and `evaluate --report` build the same page.

import { noGrad, Tensor } from '../engine/tensor.ts';
import { createRng, shuffleIndices } from '../engine/random.ts';
import type { Detector } from '../detect/detector.ts';
import type { BeatSet } from '../data/dataset.ts';
import { normalizeLabel } from '../data/dataset.ts';
import type { Metrics } from '../evaluation/metrics.ts';
import { inverseTransform, transform } from '../detect/scaler.ts';
import { reconstructAll } from '../detect/scoring.ts';
import type { LossPoint, ReconstructionExample } from './plots.ts';
import { sortClasses } from './evaluation-plots.ts';
import { pca2d, umap2d } from './projection.ts';
import { knnAccuracy, silhouette } from './separation.ts';
import { lossDescription } from '../autoencoders/loss-description.ts';

/** At most this many beats go into the latent maps: UMAP and the O(n²) separation numbers. */
export const LATENT_SAMPLE = 800;

export interface Separation { silhouette: number; knnAccuracy: number }

export interface LatentMaps {
  /** Original class label of each mapped beat. */
  classes: string[];
  pca: number[][];
  umap: number[][];
  separation: { pca: Separation; umap: Separation };
  codeSize: number;
  /** Beats in the set the subsample was drawn from. */
  drawnFrom: number;
  /** Sampled beats left out because their code held NaN or Infinity. */
  dropped: number;
  /** Share of the larger group (normal or anomaly) on the map: the kNN accuracy of guessing. */
  chance: number;
}

export interface ReportInputs {
  title: string;
  architecture: Record<string, unknown>;
  data: string;
  history: LossPoint[];
  bestEpoch: number;
  threshold: { value: number; method: string };
  normalLabel: string;
  /** The labelled set scored for the metrics, e.g. "ECG5000_TEST.txt (4500 beats)"; null = none. */
  evaluatedOn: string | null;
  metrics: Metrics | null;
  /** Scores with binary labels (1 = anomaly) and original classes of the evaluated set. */
  scores: number[] | null;
  labels: number[] | null;
  classes: string[] | null;
  /** Errors of the normal training beats (shown when there is no labelled set). */
  trainErrors: number[];
  examples: ReconstructionExample[];
  /**
   * With labels: the highest-scoring normal beats that were flagged (worst false positives) and
   * the lowest-scoring anomalies that were not (worst false negatives), WORST_SHOWN of each at most.
   */
  worst: { falsePositives: ReconstructionExample[]; falseNegatives: ReconstructionExample[] } | null;
  latent: LatentMaps | null;
  /** Run settings as rows (settings.ts); empty when the caller has none. */
  settings: [string, string][];
  /** What the loss numbers are (loss-description.ts). */
  lossLabel: string;
}

/** How many worst false positives and false negatives the report draws. */
export const WORST_SHOWN = 3;

export interface CollectInput {
  title: string;
  detector: Detector;
  data: string;
  history: LossPoint[];
  bestEpoch: number;
  normalLabel: string;
  seed: number;
  trainErrors: ArrayLike<number>;
  /** Beats to draw examples and latent codes from: the test set, else the training set. */
  beats: BeatSet;
  /** Evaluation of `beats` when they are labelled test beats; scores align with beats. */
  evaluation: { metrics: Metrics; scores: ArrayLike<number>; labels: ArrayLike<number> } | null;
  settings?: [string, string][];
}

export function collectReport(c: CollectInput): ReportInputs {
  const { detector, beats, evaluation } = c;
  const normal = normalizeLabel(c.normalLabel);
  const classes = beats.labels.map(normalizeLabel);
  return {
    title: c.title,
    architecture: { ...detector.model.architecture },
    data: c.data,
    history: c.history,
    bestEpoch: c.bestEpoch,
    threshold: { ...detector.threshold },
    normalLabel: normal,
    evaluatedOn: evaluation ? `${beats.source} (${beats.n} beats)` : null,
    metrics: evaluation?.metrics ?? null,
    scores: evaluation ? Array.from(evaluation.scores) : null,
    labels: evaluation ? Array.from(evaluation.labels) : null,
    classes: evaluation ? classes : null,
    trainErrors: Array.from(c.trainErrors),
    examples: examplesPerClass(detector, beats, classes, normal, evaluation?.scores),
    worst: evaluation ? worstMistakes(detector, beats, evaluation.scores, evaluation.labels) : null,
    latent: latentMaps(detector, beats, classes, normal, c.seed),
    settings: c.settings ?? [],
    lossLabel: lossDescription(detector.model.architecture.kind),
  };
}

/** Beats `rows` with their reconstructions in the file's units, titled by `title(row)`. */
function reconstructRows(detector: Detector, beats: BeatSet, rows: number[], title: (row: number) => string): ReconstructionExample[] {
  if (rows.length === 0) return [];
  const L = beats.length;
  const raw = new Float32Array(rows.length * L);
  rows.forEach((r, i) => raw.set(beats.beats.subarray(r * L, (r + 1) * L), i * L));
  const recon = inverseTransform(detector.scaler,
    reconstructAll(detector.model, { data: transform(detector.scaler, raw), n: rows.length, length: L }));
  return rows.map((r, i) => ({ title: title(r), original: raw.subarray(i * L, (i + 1) * L), reconstruction: recon.subarray(i * L, (i + 1) * L) }));
}

function worstMistakes(detector: Detector, beats: BeatSet, scores: ArrayLike<number>, labels: ArrayLike<number>) {
  const t = detector.threshold.value;
  const flagged = (i: number) => !(scores[i] <= t); // non-finite scores are flagged, as the detector does
  const rank = (s: number) => (Number.isNaN(s) ? Infinity : s);
  const all = Array.from({ length: beats.n }, (_, i) => i);
  const fp = all.filter((i) => labels[i] !== 1 && flagged(i)).sort((a, b) => rank(scores[b]) - rank(scores[a]) || a - b).slice(0, WORST_SHOWN);
  const fn = all.filter((i) => labels[i] === 1 && !flagged(i)).sort((a, b) => scores[a] - scores[b] || a - b).slice(0, WORST_SHOWN);
  const title = (kind: string) => (r: number) => `${kind}: beat #${r} (class ${beats.labels[r]}), error ${Number(scores[r]).toPrecision(3)} vs threshold ${t.toPrecision(3)}`;
  return {
    falsePositives: reconstructRows(detector, beats, fp, title('false alarm (normal, flagged)')),
    falseNegatives: reconstructRows(detector, beats, fn, title('missed (anomaly, not flagged)')),
  };
}

/** The first beat of each class (normal first), with its reconstruction in the file's units. */
function examplesPerClass(detector: Detector, beats: BeatSet, classes: string[], normal: string,
                          scores: ArrayLike<number> | undefined): ReconstructionExample[] {
  const order = sortClasses(classes).sort((a, b) => (a === normal ? -1 : b === normal ? 1 : 0));
  const L = beats.length;
  const rows = order.map((k) => classes.indexOf(k));
  const raw = new Float32Array(rows.length * L);
  rows.forEach((r, i) => raw.set(beats.beats.subarray(r * L, (r + 1) * L), i * L));
  const recon = inverseTransform(detector.scaler,
    reconstructAll(detector.model, { data: transform(detector.scaler, raw), n: rows.length, length: L }));
  return rows.map((r, i) => {
    const error = scores ? `, error ${Number(scores[r]).toPrecision(3)}${scores[r] > detector.threshold.value ? ' (flagged)' : ' (not flagged)'}` : '';
    return {
      title: `class ${order[i]}${order[i] === normal ? ' (normal)' : ''}: beat #${r}${error}`,
      original: raw.subarray(i * L, (i + 1) * L),
      reconstruction: recon.subarray(i * L, (i + 1) * L),
    };
  });
}

/**
 * A seeded subsample of at most LATENT_SAMPLE beats, stratified so that a rare class keeps at
 * least min(its size, 30) beats; the rest in proportion to class sizes.
 */
export function stratifiedSample(classes: readonly string[], max: number, seed: number | string): number[] {
  if (classes.length <= max) return classes.map((_, i) => i);
  const byClass = new Map<string, number[]>();
  classes.forEach((k, i) => { if (!byClass.has(k)) byClass.set(k, []); byClass.get(k)!.push(i); });
  const rng = createRng(`latent-sample:${seed}`);
  const floor = Math.min(30, Math.floor(max / byClass.size));
  const keys = sortClasses(byClass.keys());
  const quota = keys.map((k) => {
    const size = byClass.get(k)!.length;
    return Math.min(size, Math.max(floor, Math.floor((size / classes.length) * max)));
  });
  // The floors can push the total over `max`: take the excess from the largest quotas.
  for (let total = quota.reduce((a, b) => a + b, 0); total > max; total--) quota[quota.indexOf(Math.max(...quota))]--;
  const picked: number[] = [];
  keys.forEach((k, i) => {
    const rows = byClass.get(k)!;
    shuffleIndices(rows, rng);
    picked.push(...rows.slice(0, quota[i]));
  });
  return picked.sort((a, b) => a - b);
}

function latentMaps(detector: Detector, beats: BeatSet, classes: string[], normal: string, seed: number): LatentMaps | null {
  if (beats.n === 0) return null;
  const rows = stratifiedSample(classes, LATENT_SAMPLE, seed);
  const L = beats.length;
  const raw = new Float32Array(rows.length * L);
  rows.forEach((r, i) => raw.set(beats.beats.subarray(r * L, (r + 1) * L), i * L));
  const model = detector.model;
  const wasTraining = model.training;
  const code = noGrad(() => model.eval().latentCode(new Tensor(transform(detector.scaler, raw), [rows.length, L])));
  model.train(wasTraining);
  const z = code.shape[1];
  // A code with NaN or Infinity cannot be placed on a map: leave it out and say how many.
  const finiteRows: number[] = [], points: number[][] = [];
  rows.forEach((r, i) => {
    const p = Array.from(code.data.subarray(i * z, (i + 1) * z));
    if (p.every(Number.isFinite)) { finiteRows.push(r); points.push(p); }
  });
  const dropped = rows.length - points.length;
  if (points.length === 0) return null;
  const sampleClasses = finiteRows.map((r) => classes[r]);
  const groups = sampleClasses.map((k) => (k === normal ? 0 : 1));
  const pca = pca2d(points), umap = umap2d(points, { seed });
  const separation = (p: number[][]): Separation => ({ silhouette: silhouette(p, groups), knnAccuracy: knnAccuracy(p, groups, 5) });
  return { classes: sampleClasses, pca, umap, separation: { pca: separation(pca), umap: separation(umap) }, codeSize: z, drawnFrom: beats.n, dropped,
    chance: Math.max(...[0, 1].map((g) => groups.filter((x) => x === g).length)) / groups.length };
}
