// Where a command's beats come from: --data DIR (a *_TRAIN/*_TEST pair), explicit files, the
// default data/ecg5000 folder, or, for training only, the built-in synthetic ECG generator.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BeatSet } from '../ecg/dataset.ts';
import { findUcrPair, loadBeatFile, sha256File } from '../ecg/load-node.ts';
import { syntheticTrainTest } from '../ecg/synthetic.ts';
import { UserError } from './args.ts';

export const DEFAULT_DATA_DIR = 'data/ecg5000';

export interface LoadOptions { labelColumn?: 'first' | 'last' }

export interface DataFile { path: string; sha256: string; beats: number }

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
  files.push({ path: file, sha256: sha256File(file), beats: set.n });
  return set;
}

export function loadDirectory(dir: string, opts: LoadOptions, files: DataFile[]): { train: BeatSet; test: BeatSet | null } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`no such directory: ${dir}`);
  const pair = findUcrPair(dir);
  return { train: load(pair.train, opts, files), test: pair.test ? load(pair.test, opts, files) : null };
}

export function resolveTrainingData(flags: { data?: string; train?: string; val?: string; test?: string },
                                    opts: LoadOptions, log: (msg: string) => void): TrainingData {
  const files: DataFile[] = [];
  if (flags.data && flags.train) throw new UserError('give either --data DIR or --train FILE, not both', 2);
  if (flags.data || flags.train) {
    const { train, test } = flags.data ? loadDirectory(flags.data, opts, files)
      : { train: load(flags.train!, opts, files), test: null as BeatSet | null };
    const testSet = flags.test ? load(flags.test, opts, files) : test;
    const val = flags.val ? load(flags.val, opts, files) : null;
    return { train, test: testSet, val, files, synthetic: false,
      description: files.map((f) => `${path.basename(f.path)} (${f.beats} beats)`).join(', ') };
  }
  if (existsSync(path.join(DEFAULT_DATA_DIR))) {
    log(`using ${DEFAULT_DATA_DIR}/`);
    const { train, test } = loadDirectory(DEFAULT_DATA_DIR, opts, files);
    return { train, test, val: null, files, synthetic: false,
      description: files.map((f) => `${path.basename(f.path)} (${f.beats} beats)`).join(', ') };
  }
  log(`no data found: ${DEFAULT_DATA_DIR}/ does not exist (run \`npm run data\` to download ECG5000, ` +
      'or pass --data DIR / --train FILE). Training on the built-in synthetic ECG generator instead.');
  const { train, test } = syntheticTrainTest(0);
  return { train, test, val: null, files: [], synthetic: true,
    description: `synthetic ECG (McSharry et al. 2003 model): ${train.n} train / ${test.n} test beats` };
}
