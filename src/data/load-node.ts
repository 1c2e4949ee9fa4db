// Node-only edge of the data layer: reads beat files from disk, picks the parser by extension,
// finds a TRAIN/TEST pair in a folder, and checksums files. The parsers themselves are in
// parse.ts and know nothing about files.

import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { concatBeatSets, splitValidation, type BeatSet } from './dataset.ts';
import { parseArff, parseCsv, parsePtb, parseUcr, type LabelColumn } from './parse.ts';
import { decodeBeatText } from './text-encoding.ts';

/** Largest file of beats read (256 MiB; ECG5000's test file is 4.5 MB): the file is parsed in memory, about 4x its size. */
export const MAX_BEAT_FILE_BYTES = 256 * 1024 * 1024;

export type BeatFileFormat = 'auto' | 'ucr' | 'csv' | 'arff' | 'ptb';

export interface LoadOptions {
  /** Parser to use; 'auto' (default) chooses by file name and extension. */
  format?: BeatFileFormat;
  /** CSV only: which column holds the label (default 'last', refused when the file looks label-first). */
  labelColumn?: LabelColumn;
  /** Files over this many bytes are refused before reading (default MAX_BEAT_FILE_BYTES). */
  maxBytes?: number;
}

/** The parser 'auto' picks: .txt/.tsv → ucr, .arff → arff, ptbdb_*.csv → ptb, other .csv → csv. */
export function formatForFile(file: string): Exclude<BeatFileFormat, 'auto'> {
  const base = path.basename(file).toLowerCase();
  const ext = path.extname(base);
  if (ext === '.txt' || ext === '.tsv') return 'ucr';
  if (ext === '.arff') return 'arff';
  if (ext === '.csv') return /^ptbdb_/.test(base) ? 'ptb' : 'csv';
  throw new Error(`${file}: cannot tell the format from the extension "${ext}" ` +
    '(expected .txt/.tsv (UCR), .arff or .csv; or give the format explicitly)');
}

/**
 * A file of beats as text: a regular file (not a directory, device or FIFO: /dev/zero never
 * ends), at most `maxBytes`, UTF-8 (text-encoding.ts). Errors name the file and what is wrong.
 */
function readBeatText(file: string, maxBytes: number, source: string): string {
  let stats: Stats;
  try { stats = statSync(file); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new Error(`${file}: a loop of symbolic links, not a file of beats`);
    if (code === 'ENOENT') {
      let dangling = false;
      try { dangling = lstatSync(file).isSymbolicLink(); } catch { /* nothing there at all */ }
      throw new Error(dangling ? `${file}: a symbolic link to a file that does not exist` : `no such file: ${file}`);
    }
    throw new Error(`${file}: cannot read it (${code ?? (e as Error).message})`);
  }
  if (stats.isDirectory()) throw new Error(`${file} is a directory, not a file of beats`);
  if (!stats.isFile()) throw new Error(`${file} is not a regular file (a device, FIFO or socket): beats are read from files`);
  if (stats.size > maxBytes) {
    throw new Error(`${file} is ${(stats.size / 2 ** 20).toFixed(1)} MiB, over the ${(maxBytes / 2 ** 20).toFixed(0)} MiB limit ` +
      'for a file of beats (it is parsed in memory): split it into smaller files');
  }
  return decodeBeatText(readFileSync(file), source);
}

/** Reads and parses one file of beats. Throws `no such file: PATH` when it does not exist. */
export function loadBeatFile(file: string, opts: LoadOptions = {}): BeatSet {
  const source = path.basename(file);
  const text = readBeatText(file, opts.maxBytes ?? MAX_BEAT_FILE_BYTES, source);
  const format = !opts.format || opts.format === 'auto' ? formatForFile(file) : opts.format;
  switch (format) {
    case 'ucr': {
      const set = parseUcr(text, { source, unlabelled: opts.labelColumn === 'none' });
      return /^ECG5000_/i.test(source) ? { ...set, normalLabel: '1' } : set;
    }
    case 'arff': {
      const set = parseArff(text, { source });
      return /^ECG5000_/i.test(source) ? { ...set, normalLabel: '1' } : set;
    }
    case 'ptb': return parsePtb(text, { source });
    case 'csv': {
      // labelColumn undefined = the default (label last), refused when the file looks label-first.
      const set = parseCsv(text, { source, labelColumn: opts.labelColumn });
      // The TensorFlow tutorial's ecg.csv: label 1 = normal, 0 = anomaly.
      return source.toLowerCase() === 'ecg.csv' ? { ...set, normalLabel: '1' } : set;
    }
  }
}

/** Beats of the two Kaggle PTB files in one set (labels: 0 = normal, 1 = abnormal). */
export function loadPtbPair(normalFile: string, abnormalFile: string): BeatSet {
  const normal = loadBeatFile(normalFile, { format: 'ptb' });
  const abnormal = loadBeatFile(abnormalFile, { format: 'ptb' });
  return concatBeatSets([normal, abnormal], `${normal.source} + ${abnormal.source}`);
}

/**
 * What a data folder holds:
 *   ucr: *_TRAIN.(txt|tsv|arff) and usually *_TEST with the same extension (test may be null);
 *   ecg-csv: the TensorFlow tutorial's ecg.csv alone (train = that file, test = null);
 *   ptb: ptbdb_normal.csv + ptbdb_abnormal.csv (train = normal file, test = abnormal file:
 *        one class per file, so load them with loadPtbPair or loadDataFolder, not one by one).
 */
export interface DataFolderFiles {
  kind: 'ucr' | 'ecg-csv' | 'ptb';
  train: string;
  test: string | null;
}

/** Finds the beat files of a data folder (see DataFolderFiles); throws when there are none. */
export function findUcrPair(dir: string): DataFolderFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`no such directory: ${dir}`);
  const names = readdirSync(dir).sort();
  for (const ext of ['txt', 'tsv', 'arff']) {
    const trains = names.filter((f) => new RegExp(`_TRAIN\\.${ext}$`, 'i').test(f));
    if (trains.length > 1) throw new Error(`${dir} holds several *_TRAIN.${ext} files (${trains.join(', ')}): pass --train FILE`);
    if (trains.length === 1) {
      const testName = trains[0].replace(/_TRAIN(\.[^.]+)$/i, (_m, e: string) => `_TEST${e}`);
      const test = names.find((f) => f.toLowerCase() === testName.toLowerCase());
      return { kind: 'ucr', train: path.join(dir, trains[0]), test: test ? path.join(dir, test) : null };
    }
  }
  const lower = names.map((f) => f.toLowerCase());
  if (lower.includes('ptbdb_normal.csv') && lower.includes('ptbdb_abnormal.csv')) {
    return { kind: 'ptb', train: path.join(dir, names[lower.indexOf('ptbdb_normal.csv')]),
      test: path.join(dir, names[lower.indexOf('ptbdb_abnormal.csv')]) };
  }
  if (lower.includes('ecg.csv')) return { kind: 'ecg-csv', train: path.join(dir, names[lower.indexOf('ecg.csv')]), test: null };
  throw new Error(`${dir}: no beat files found (expected NAME_TRAIN.txt/.tsv/.arff with NAME_TEST, ` +
    'ecg.csv, or ptbdb_normal.csv + ptbdb_abnormal.csv)');
}

/**
 * Loads a data folder as train and test sets. A UCR pair is used as it is. Single-file data
 * (ecg.csv, or the PTB pair merged) is split with a seeded shuffle: testFraction of the beats
 * become the test set. set.normalLabel says which label is normal (PTB: "0").
 */
export function loadDataFolder(dir: string, opts: LoadOptions & { testFraction?: number; seed?: number } = {}):
  { train: BeatSet; test: BeatSet | null; files: string[] } {
  const found = findUcrPair(dir);
  if (found.kind === 'ucr') {
    return { train: loadBeatFile(found.train, opts), test: found.test ? loadBeatFile(found.test, opts) : null,
      files: found.test ? [found.train, found.test] : [found.train] };
  }
  const all = found.kind === 'ptb' ? loadPtbPair(found.train, found.test!) : loadBeatFile(found.train, opts);
  const { train, validation } = splitValidation(all, opts.testFraction ?? 0.2, `${opts.seed ?? 0}:test-split`);
  return { train, test: { ...validation, source: `${all.source} (test split)` },
    files: found.test ? [found.train, found.test] : [found.train] };
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
