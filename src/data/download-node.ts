// Downloads the UCR ECG5000 zip, unpacks the two .txt files and verifies their sha256 before
// anything lands in the data folder. Writes are atomic (a temp file, then rename), so a failed
// or interrupted download never leaves a half-written or unverified file behind.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { fsyncDirectory, writeFileDurably } from '../io/durable-file-node.ts';
import { createProgressBar, type ProgressStream } from '../io/progress-node.ts';

export const ECG5000_URL = 'https://www.timeseriesclassification.com/aeon-toolkit/ECG5000.zip';

/** sha256 of the official files (see ../shared/data/ecg5000/SOURCE.md). */
export const ECG5000_SHA256: Readonly<Record<string, string>> = {
  'ECG5000_TRAIN.txt': '0d96aff193311a6dc6111bf0dbd2f7d2313987fbf7a1da4a383d92563876057b',
  'ECG5000_TEST.txt': 'baf4ad57d28daa5e79050edd4185968181762bc83d45a757753015b4ba8ab295',
};

/** What every download here takes: where files go, logging, progress, and re-downloading. */
interface CommonDownloadOptions {
  outDir?: string;
  log?: (message: string) => void;
  /** Where the progress bar goes; null for none (default process.stderr). */
  progress?: ProgressStream | null;
  /** Download even when verified files are already there. */
  force?: boolean;
}

export interface DownloadOptions extends CommonDownloadOptions {
  url?: string;
  /** File name in the zip → expected sha256 (hex); these files are kept, nothing else. */
  expected?: Readonly<Record<string, string>>;
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
  const zipBytes = await fetchBytes(url, progress);

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes, { filter: (f) => names.includes(path.posix.basename(f.name)) });
  } catch (e) {
    throw new Error(`${url} is not a valid zip file (${(e as Error).message})`);
  }
  const byName = new Map(Object.entries(entries).map(([entry, bytes]) => [path.posix.basename(entry), bytes]));

  installVerified(outDir, names.map((name, i) => {
    const bytes = byName.get(name);
    if (!bytes) throw new Error(`${url}: the zip has no ${name}`);
    return { name, target: targets[i], expected: expected[name].toLowerCase(), bytes };
  }), log);
  return { files: targets, downloaded: true };
}

interface VerifiedFile { name: string; target: string; expected: string; bytes: Uint8Array }

/**
 * Checks every file's sha256 before writing anything (a mismatch throws and writes nothing), then
 * writes each to a temporary file with fsync, checks what reached the disk, and renames them into
 * place: a target is the old file or the verified new one, never a partial download.
 */
function installVerified(outDir: string, files: VerifiedFile[], log: (msg: string) => void): void {
  for (const f of files) {
    const actual = sha256(f.bytes);
    if (actual !== f.expected) throw new Error(`${f.name}: sha256 mismatch (expected ${f.expected}, got ${actual}); refusing the download, nothing written`);
  }
  if (files.length === 0) return;
  mkdirSync(outDir, { recursive: true });
  const temps = files.map((f) => `${f.target}.${process.pid}.tmp`);
  try {
    files.forEach((f, i) => writeFileDurably(temps[i], f.bytes));
    files.forEach((f, i) => { if (sha256(readFileSync(temps[i])) !== f.expected) throw new Error(`${f.name}: file changed while writing`); });
    files.forEach((f, i) => renameSync(temps[i], f.target));
    fsyncDirectory(outDir);
  } finally {
    for (const tmp of temps) rmSync(tmp, { force: true });
  }
  for (const f of files) log(`wrote ${f.target} (sha256 verified)`);
}

// ---------------------------------------------------------------------------------------------
// PhysioNet MIT-BIH Arrhythmia Database records (WFDB .hea + .dat), for the monitor.

export const MITDB_BASE_URL = 'https://physionet.org/files/mitdb/1.0.0/';

/** sha256 of the records kept in ../shared/data/mitdb (PhysioNet's files, byte for byte). */
export const MITDB_SHA256: Readonly<Record<string, string>> = {
  '100.hea': 'db882392a66ccc4dee10104082cffa1a6f7fd9dd7d55c281c8345b3c7b9a2a6f',
  '100.dat': 'b2ea3c250e56e48f4b7b90697832b8ecd1afa1e0bb31f2dcfea4ed6e1075a639',
  '106.hea': 'edda68c7de6d1101b23d4f71822dd5660f48db02e8184e048a617a2d60addfe0',
  '106.dat': 'c017bc18b95b1f970bca143a044ee5d54168648b541e47aa656f2737a59c1202',
  '108.hea': '2cb0924c50f6e1a5b48c77150cc4da07831ca0eb93d1d5f0a13341b834832c69',
  '108.dat': '229a4ef62679dc5c6ea781bfbaec2bd784151fc9f9517f4cdecd533a9431eb20',
  '100.atr': '8d8a5349fb16638ebbf649f1779d12e96d91b736b2aafe59db43719ae583d471',
};

export interface MitdbDownloadOptions extends CommonDownloadOptions {
  /** Folder URL holding NNN.hea, NNN.dat, NNN.atr and SHA256SUMS.txt (default PhysioNet's mitdb 1.0.0). */
  baseUrl?: string;
  /** File name -> sha256 known in advance; other files are checked against the server's SHA256SUMS.txt. */
  known?: Readonly<Record<string, string>>;
}

/** GETs `url` whole, with progress; an unreachable host or a non-2xx answer is an error naming the URL. */
async function fetchBytes(url: string, progress: ProgressStream | null): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`download failed: ${url}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
  }
  if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status} ${response.statusText} from ${url}`);
  return readBody(response, progress, path.basename(new URL(url).pathname) || 'download');
}

/** "sha256  name" lines (sha256sum's format) -> name -> sha256. */
export function parseSha256Sums(text: string, source: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (!m) throw new Error(`${source}:${i + 1}: expected "SHA256  FILE", got "${line.slice(0, 80)}"`);
    out.set(path.posix.basename(m[2].trim()), m[1].toLowerCase());
  });
  return out;
}

/**
 * Downloads WFDB records (NNN.hea + NNN.dat) with their reference annotations (NNN.atr) and verifies every file's sha256 (against the known
 * table, else the server's SHA256SUMS.txt) before anything is written; writes atomically.
 */
export async function downloadMitdb(records: string[], opts: MitdbDownloadOptions = {}): Promise<{ files: string[]; downloaded: string[] }> {
  const base = (opts.baseUrl ?? MITDB_BASE_URL).replace(/\/?$/, '/');
  const outDir = opts.outDir ?? path.join('data', 'mitdb');
  const known = opts.known ?? MITDB_SHA256;
  const log = opts.log ?? (() => {});
  const progress = opts.progress === undefined ? process.stderr : opts.progress;
  if (records.length === 0) throw new Error('name at least one record, e.g. 100 106');
  for (const r of records) if (!/^[A-Za-z0-9_-]+$/.test(r)) throw new Error(`"${r}" is not a record name (e.g. 100)`);
  const names = records.flatMap((r) => [`${r}.hea`, `${r}.dat`, `${r}.atr`]);

  let sums: Map<string, string> | null = null;
  const expectedOf = async (name: string): Promise<string> => {
    if (known[name]) return known[name].toLowerCase();
    if (!sums) sums = parseSha256Sums(new TextDecoder().decode(await fetchBytes(`${base}SHA256SUMS.txt`, null)), `${base}SHA256SUMS.txt`);
    const v = sums.get(name);
    if (!v) throw new Error(`${base}SHA256SUMS.txt lists no ${name}: is "${name.replace(/\.\w+$/, '')}" a record of this database?`);
    return v;
  };

  const todo: { name: string; target: string; expected: string }[] = [];
  const files: string[] = [];
  for (const name of names) {
    const target = path.join(outDir, name);
    files.push(target);
    const expected = await expectedOf(name);
    if (!opts.force && existsSync(target) && sha256(readFileSync(target)) === expected) { log(`${target}: already present and verified`); continue; }
    todo.push({ name, target, expected });
  }
  const fetched: VerifiedFile[] = [];
  for (const t of todo) {
    log(`downloading ${base}${t.name}`);
    fetched.push({ ...t, bytes: await fetchBytes(`${base}${t.name}`, progress) });
  }
  installVerified(outDir, fetched, log);
  return { files, downloaded: todo.map((t) => t.target) };
}
