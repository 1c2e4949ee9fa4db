// Downloads the UCR ECG5000 zip, unpacks the two .txt files and verifies their sha256 before
// anything lands in the data folder. Writes are atomic (a temp file, then rename), so a failed
// or interrupted download never leaves a half-written or unverified file behind.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { createProgressBar, type ProgressStream } from './progress-node.ts';

export const ECG5000_URL = 'https://www.timeseriesclassification.com/aeon-toolkit/ECG5000.zip';

/** sha256 of the official files (see ../shared/data/ecg5000/SOURCE.md). */
export const ECG5000_SHA256: Readonly<Record<string, string>> = {
  'ECG5000_TRAIN.txt': '0d96aff193311a6dc6111bf0dbd2f7d2313987fbf7a1da4a383d92563876057b',
  'ECG5000_TEST.txt': 'baf4ad57d28daa5e79050edd4185968181762bc83d45a757753015b4ba8ab295',
};

export interface DownloadOptions {
  url?: string;
  outDir?: string;
  /** File name in the zip → expected sha256 (hex); these files are kept, nothing else. */
  expected?: Readonly<Record<string, string>>;
  log?: (message: string) => void;
  /** Where the progress bar goes; null for none (default process.stderr). */
  progress?: ProgressStream | null;
  /** Download even when verified files are already there. */
  force?: boolean;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a response body to the end, reporting progress in kB. */
async function readBody(response: Response, progress: ProgressStream | null, label: string): Promise<Uint8Array> {
  const size = Number(response.headers.get('content-length')) || 0;
  const bar = progress && size > 0 ? createProgressBar({ total: Math.ceil(size / 1024), label: `${label} (kB)`, stream: progress }) : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    bar?.update(Math.floor(received / 1024));
  }
  bar?.done();
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
  return bytes;
}

/**
 * Fetches the zip at `url`, extracts the `expected` files (matched by base name, any folder in
 * the zip), checks each sha256 and only then moves them into `outDir`. On any mismatch it throws
 * and writes nothing. Returns the written paths (or the existing ones, when already verified).
 */
export async function downloadEcg5000(opts: DownloadOptions = {}): Promise<{ files: string[]; downloaded: boolean }> {
  const url = opts.url ?? ECG5000_URL;
  const outDir = opts.outDir ?? path.join('data', 'ecg5000');
  const expected = opts.expected ?? ECG5000_SHA256;
  const log = opts.log ?? (() => {});
  const progress = opts.progress === undefined ? process.stderr : opts.progress;
  const names = Object.keys(expected);
  const targets = names.map((name) => path.join(outDir, name));

  if (!opts.force && targets.every((t, i) => existsSync(t) && sha256(readFileSync(t)) === expected[names[i]])) {
    log(`${outDir}: ${names.join(', ')} already present and verified`);
    return { files: targets, downloaded: false };
  }

  log(`downloading ${url}`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`download failed: ${url}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
  }
  if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status} ${response.statusText} from ${url}`);
  const zipBytes = await readBody(response, progress, path.basename(new URL(url).pathname) || 'download');

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes, { filter: (f) => names.includes(path.posix.basename(f.name)) });
  } catch (e) {
    throw new Error(`${url} is not a valid zip file (${(e as Error).message})`);
  }
  const byName = new Map(Object.entries(entries).map(([entry, bytes]) => [path.posix.basename(entry), bytes]));

  // Verify everything before writing anything.
  for (const name of names) {
    const bytes = byName.get(name);
    if (!bytes) throw new Error(`${url}: the zip has no ${name}`);
    const actual = sha256(bytes);
    if (actual !== expected[name].toLowerCase()) {
      throw new Error(`${name}: sha256 mismatch (expected ${expected[name]}, got ${actual}); refusing the download, nothing written`);
    }
  }

  mkdirSync(outDir, { recursive: true });
  const temps = targets.map((t) => `${t}.${process.pid}.tmp`);
  try {
    names.forEach((name, i) => writeFileSync(temps[i], byName.get(name)!));
    // Re-check what reached the disk, then move into place.
    names.forEach((name, i) => {
      if (sha256(readFileSync(temps[i])) !== expected[name].toLowerCase()) throw new Error(`${name}: file changed while writing`);
    });
    temps.forEach((tmp, i) => renameSync(tmp, targets[i]));
  } finally {
    for (const tmp of temps) rmSync(tmp, { force: true });
  }
  for (const t of targets) log(`wrote ${t} (sha256 verified)`);
  return { files: targets, downloaded: true };
}
