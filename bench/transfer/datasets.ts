// Small UCR-ECG200-like datasets for the threshold-transfer study (docs/thresholds.md): about 70
// normal training beats and a test file with 36% anomalies, at different beat lengths and from
// different recordings, built from what ../shared/data holds.
//   ECG5000 (BIDMC chf07, 140 samples): 70 normal beats of ECG5000_TRAIN, a 200-beat test file
//     drawn from ECG5000_TEST; also the same beats resampled to 96 samples (ECG200's length).
//   MIT-BIH records (360 Hz, MLII): beats cut 0.25 s before to 0.4 s after each annotated R peak,
//     baseline removed, resampled to the set's length and z-normalised per beat (as UCR stores
//     beats); 70 normal beats drawn at random train, the test file is drawn from the others.
// Every draw is seeded; labels are "1" (normal) and "2" (anomaly).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { binaryLabels, shuffledIndices, takeRows, type BeatSet } from '../../src/data/dataset.ts';
import { cutBeat, DEFAULT_WINDOW, windowSamples, zNormalizeRows } from '../../src/monitor/segmenter.ts';
import { parseRdannListing } from '../../src/signals/wfdb-annotations.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';

export interface SmallDataset {
  name: string;
  /** Normal beats only (what `train` fits on). */
  train: BeatSet;
  /** Labelled test file: "1" normal, "2" anomaly. */
  test: BeatSet;
}

export const TRAIN_NORMALS = 70;
export const ANOMALY_SHARE = 0.36;

/** A test file of `size` beats with round(share·size) anomalies (default 36%), drawn (seeded) from the two pools. */
function drawTest(normals: BeatSet, anomalies: BeatSet, size: number, seed: string, source: string, share = ANOMALY_SHARE): BeatSet {
  // Keep the share when a pool is small: fewer beats, same share.
  const total = Math.min(size, anomalies.n / share, normals.n / (1 - share));
  const nAnom = Math.round(total * share), nNorm = Math.round(total * (1 - share));
  const a = takeRows(anomalies, shuffledIndices(anomalies.n, `${seed}:anomalies`).slice(0, nAnom));
  const n = takeRows(normals, shuffledIndices(normals.n, `${seed}:normals`).slice(0, nNorm));
  const L = normals.length;
  const beats = new Float32Array((n.n + a.n) * L);
  beats.set(n.beats.subarray(0, n.n * L), 0);
  beats.set(a.beats.subarray(0, a.n * L), n.n * L);
  return { beats, n: n.n + a.n, length: L, labels: [...Array(n.n).fill('1'), ...Array(a.n).fill('2')], source, normalLabel: '1' };
}

function relabel(set: BeatSet, normalLabel: string): BeatSet {
  const b = binaryLabels(set, normalLabel);
  return { ...set, labels: Array.from(b, (x) => (x ? '2' : '1')), normalLabel: '1' };
}

/** Linear resampling of every beat to `length` points, then z-normalised (UCR's form). */
export function resampleBeats(set: BeatSet, length: number): BeatSet {
  const out = new Float32Array(set.n * length);
  const L = set.length;
  for (let b = 0; b < set.n; b++) {
    for (let j = 0; j < length; j++) {
      const t = (j * (L - 1)) / (length - 1), i = Math.floor(t), f = t - i;
      const x0 = set.beats[b * L + i], x1 = i + 1 < L ? set.beats[b * L + i + 1] : x0;
      out[b * length + j] = x0 + (x1 - x0) * f;
    }
  }
  zNormalizeRows(out, length);
  return { ...set, beats: out, length };
}

/** How an ECG5000 small set is drawn (defaults: ECG200's shape at ECG5000's length). */
export interface Ecg5000Shape {
  /** Beat length after resampling (140 = as stored). */
  length?: number;
  /** Normal training beats drawn from ECG5000_TRAIN (it holds 292). */
  trainSize?: number;
  /** Share of anomalies in the test file. */
  share?: number;
  /** Only this anomaly class (2-5) in the test file; every class when absent. */
  anomalyClass?: string;
}

/** "ecg5000-96", "ecg5000-128 n30", "ecg5000-96 a10%", "ecg5000-96 c3": the shape's changes from the defaults. */
function ecg5000Name({ length = 140, trainSize = TRAIN_NORMALS, share = ANOMALY_SHARE, anomalyClass }: Ecg5000Shape): string {
  return [`ecg5000-${length}`, trainSize !== TRAIN_NORMALS ? `n${trainSize}` : '', share !== ANOMALY_SHARE ? `a${Math.round(100 * share)}%` : '',
    anomalyClass ? `c${anomalyClass}` : ''].filter(Boolean).join(' ');
}

/** ECG5000: normal beats of TRAIN (seeded), a 200-beat test file from TEST with the shape's anomalies. */
export function ecg5000Small(dir: string, seed: number, shape: Ecg5000Shape = {}): SmallDataset {
  const { length = 140, trainSize = TRAIN_NORMALS, share = ANOMALY_SHARE, anomalyClass } = shape;
  const rawTest = loadBeatFile(path.join(dir, 'ECG5000_TEST.txt'));
  const wanted = anomalyClass === undefined ? null : rawTest.labels.map((l) => Number(l) === Number(anomalyClass));
  const train = relabel(loadBeatFile(path.join(dir, 'ECG5000_TRAIN.txt')), '1');
  const test = relabel(rawTest, '1');
  const rows = (set: BeatSet, keep: (label: string, i: number) => boolean) => takeRows(set, set.labels.flatMap((l, i) => (keep(l, i) ? [i] : [])));
  const trainNormals = rows(train, (l) => l === '1');
  if (trainSize > trainNormals.n) throw new Error(`ecg5000Small: ${trainSize} training beats asked, ECG5000_TRAIN holds ${trainNormals.n} normal ones`);
  let small = takeRows(trainNormals, shuffledIndices(trainNormals.n, `${seed}:train`).slice(0, trainSize).sort((a, b) => a - b));
  const anomalies = rows(test, (l, i) => l === '2' && (wanted === null || wanted[i]));
  let t = drawTest(rows(test, (l) => l === '1'), anomalies, 200, `${seed}:test`, `ecg5000-small s${seed} test`, share);
  if (length !== 140) { small = resampleBeats(small, length); t = resampleBeats(t, length); }
  return { name: `${ecg5000Name(shape)} s${seed}`, train: small, test: t };
}

/** AAMI's normal class (N, L, R, e, j); every other beat symbol counts as an anomaly. */
const NORMAL_SYMBOLS = new Set(['N', 'L', 'R', 'e', 'j']);
const BEAT_SYMBOLS = new Set([...NORMAL_SYMBOLS, 'A', 'a', 'J', 'S', 'V', 'E', 'F', '/', 'f', 'Q']);

/**
 * One MIT-BIH record as a small dataset: 70 normal beats drawn (seeded) train; the test file is
 * drawn (seeded) from the other beats, 36% anomalies, at most `size` beats.
 */
export function mitdbSmall(dir: string, record: string, seed: number, length: number, size = 200): SmallDataset {
  const lead = readWfdbLead(path.join(dir, record));
  const annotations = parseRdannListing(readFileSync(path.join(dir, `${record}.ann.txt`), 'utf8'), `${record}.ann.txt`)
    .filter((a) => BEAT_SYMBOLS.has(a.symbol));
  const { pre, post } = windowSamples(DEFAULT_WINDOW, lead.fs);
  const inside = annotations.filter((a) => a.sample - pre >= 0 && a.sample + post < lead.samples.length);
  const beats = new Float32Array(inside.length * length);
  const at = (i: number) => lead.samples[i];
  inside.forEach((a, k) => cutBeat(at, a.sample, pre, post, length, beats, k * length));
  zNormalizeRows(beats, length);
  const all: BeatSet = { beats, n: inside.length, length, labels: inside.map((a) => (NORMAL_SYMBOLS.has(a.symbol) ? '1' : '2')),
    source: `mitdb ${record}`, normalLabel: '1' };
  const normalRows = all.labels.flatMap((l, i) => (l === '1' ? [i] : []));
  // Like a UCR split: the training beats are drawn at random from the record's normal beats.
  const trainRows = Array.from(shuffledIndices(normalRows.length, `${seed}:train`).slice(0, TRAIN_NORMALS), (k) => normalRows[k]).sort((a, b) => a - b);
  const inTrain = new Set(trainRows);
  const rest = takeRows(all, Array.from({ length: all.n }, (_, i) => i).filter((i) => !inTrain.has(i)));
  const pick = (label: string) => takeRows(rest, rest.labels.flatMap((l, i) => (l === label ? [i] : [])));
  return {
    name: `mitdb-${record}-${length} s${seed}`,
    train: takeRows(all, trainRows),
    test: drawTest(pick('1'), pick('2'), size, `${seed}:test`, `mitdb ${record} test`),
  };
}

/**
 * Where the study chooses a default: ECG5000 beats in many shapes, so the choice is not tuned to one
 * training size, anomaly share, anomaly kind or length. ECG5000_TRAIN holds 292 normal beats.
 */
export const CHOOSING_SHAPES: Ecg5000Shape[] = [
  {}, { length: 96 },
  { length: 96, trainSize: 30 }, { length: 128, trainSize: 30 },
  { trainSize: 150 }, { length: 96, trainSize: 150 }, { length: 128, trainSize: 280 },
  { length: 96, share: 0.1 }, { share: 0.1, trainSize: 150 }, { length: 128, share: 0.5 }, { length: 96, share: 0.5, trainSize: 30 },
  { length: 96, anomalyClass: '3' }, { length: 128, anomalyClass: '4' }, { anomalyClass: '2' },
];

/** The choosing sets of one seed (ecg: the ECG5000 folder). */
export const choosingSets = (ecg: string, seed: number): SmallDataset[] => CHOOSING_SHAPES.map((shape) => ecg5000Small(ecg, seed, shape));

/** Where a default is only reported: other patients, another database, other lengths and anomaly kinds (mit: the mitdb folder). */
export const reportingSets = (mit: string, seed: number): SmallDataset[] => [mitdbSmall(mit, '106', seed, 96), mitdbSmall(mit, '232', seed, 128),
  mitdbSmall(mit, '100', seed, 96), mitdbSmall(mit, '104', seed, 96), mitdbSmall(mit, '108', seed, 96)];
