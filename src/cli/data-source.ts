// Where a command's beats come from: --data DIR (a *_TRAIN/*_TEST pair), explicit files, the
// default data/ecg5000 folder, or, for training only, the built-in synthetic ECG generator.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BeatSet } from '../data/dataset.ts';
import { loadBeatFile, loadDataFolder, sha256File } from '../data/load-node.ts';
import { syntheticTrainTest } from '../data/synthetic.ts';
import { UserError } from './args.ts';

export const DEFAULT_DATA_DIR = 'data/ecg5000';

export interface LoadOptions { labelColumn?: 'first' | 'last' }

export interface DataFile { path: string; sha256: string }

export interface TrainingData {
  train: BeatSet;
  test: BeatSet | null;
  /** Labelled validation file for a best-F1 threshold, when given. */
  val: BeatSet | null;
  description: string;
  files: DataFile[];
  synthetic: boolean;
}

function load(file: string, opts: LoadOptions, files: DataFile[]): BeatSet {
  if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
  const set = loadBeatFile(file, { labelColumn: opts.labelColumn });
  files.push({ path: file, sha256: sha256File(file) });
  return set;
}

/**
 * A data folder: a UCR *_TRAIN/*_TEST pair as it is; single-file data (ecg.csv, or the PTB
 * normal + abnormal pair) split 80/20 with a fixed seed, so train and evaluate see the same split.
 */
export function loadDirectory(dir: string, opts: LoadOptions, files: DataFile[]): { train: BeatSet; test: BeatSet | null } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`no such directory: ${dir}`);
  const folder = loadDataFolder(dir, { labelColumn: opts.labelColumn, seed: 0, testFraction: 0.2 });
  for (const f of folder.files) files.push({ path: f, sha256: sha256File(f) });
  return { train: folder.train, test: folder.test };
}

export function resolveTrainingData(flags: { data?: string; train?: string; val?: string; test?: string },
                                    opts: LoadOptions, log: (msg: string) => void): TrainingData {
  const files: DataFile[] = [];
  if (flags.data && flags.train) throw new UserError('give either --data DIR or --train FILE, not both', 2);
  if (!flags.data && !flags.train && (flags.test || flags.val)) {
    throw new UserError(`--${flags.test ? 'test' : 'val'} needs the training data too: add --train FILE or --data DIR`, 2);
  }
  if (flags.data || flags.train) {
    const { train, test } = flags.data ? loadDirectory(flags.data, opts, files)
      : { train: load(flags.train!, opts, files), test: null as BeatSet | null };
    const testSet = flags.test ? load(flags.test, opts, files) : test;
    const val = flags.val ? load(flags.val, opts, files) : null;
    return { train, test: testSet, val, files, synthetic: false, description: describe(train, testSet, val) };
  }
  if (existsSync(path.join(DEFAULT_DATA_DIR))) {
    log(`using ${DEFAULT_DATA_DIR}/`);
    const { train, test } = loadDirectory(DEFAULT_DATA_DIR, opts, files);
    return { train, test, val: null, files, synthetic: false, description: describe(train, test, null) };
  }
  log(`no data found: ${DEFAULT_DATA_DIR}/ does not exist (run \`npm run data\` to download ECG5000, ` +
      'or pass --data DIR / --train FILE). Training on the built-in synthetic ECG generator instead.');
  const { train, test } = syntheticTrainTest(0);
  return { train, test, val: null, files: [], synthetic: true,
    description: `synthetic ECG (McSharry et al. 2003 model): ${train.n} train / ${test.n} test beats` };
}

function describe(train: BeatSet, test: BeatSet | null, val: BeatSet | null): string {
  return [`train ${train.source} (${train.n} beats)`, test ? `test ${test.source} (${test.n} beats)` : null,
    val ? `validation ${val.source} (${val.n} beats)` : null].filter(Boolean).join(', ');
}
