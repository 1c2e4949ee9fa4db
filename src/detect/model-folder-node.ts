// A model folder on disk (Node only):
//   NAME/model.safetensors    the model: weights + manifest in the safetensors metadata
//                             (detect/model-file.ts). Everything scoring needs, in one file.
//   NAME/report.html, NAME/plots/...   by-products a save writes beside it (listed, with their
//                             SHA-256, in the manifest's "byProducts")
// No symbolic link anywhere: the folder can be copied, moved, tarred, zipped or mounted read-only.
//
// Saving replaces NAME/model.safetensors atomically: the bytes go to a temporary file in the
// same folder (model.safetensors.tmp-<pid>-<rand>), are fsynced, and renamed over the old file,
// so at every instant (kill -9 included) NAME holds the old model or the new one. By-products
// follow, each replaced the same way. A save deletes only what it can prove it wrote: its own
// temporary files (on failure), and by-products whose bytes match a SHA-256 the model in NAME
// lists (written by that save or the one before it). A save refuses to overwrite any other file.
// A killed save may leave its temporary file behind: named *.tmp-<pid>-<rand>, ignored by
// loading, never removed by a later save (it cannot prove the bytes are its own); delete it freely.
//
// The older layout (NAME/manifest.json + NAME/weights.safetensors, possibly with NAME a link to
// NAME.v-*) still loads; a save never writes into it (docs/model-files.md).
// Loading: one validation path with detectorFromParts (detect/model-check.ts), errors naming files.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MODEL_SPECS } from '../autoencoders/registry.ts';
import type { ModelSpec } from '../autoencoders/model-spec.ts';
import { fsyncDirectory, replaceFileAtomically, writeFileDurably } from '../io/durable-file-node.ts';
import { checkModelParts, type CheckedModel } from './model-check.ts';
import { checkModelFile, encodeModelFile, MODEL_FILE, readModelFileManifest } from './model-file.ts';
import { MANIFEST_FILE, MODEL_FORMAT_VERSION, scoringDigest, WEIGHTS_FILE, WRITTEN_BY } from './model-manifest.ts';
import { encodeSafetensors, type TensorMap } from '../io/safetensors.ts';

export { MANIFEST_FILE, MODEL_FORMAT_VERSION, WEIGHTS_FILE, WRITTEN_BY, type ModelManifest } from './model-manifest.ts';
export { MODEL_FILE } from './model-file.ts';

/** What loadModelFolder returns: the checked manifest and tensors (plus the kind's spec and scaler). */
export type LoadedModelFolder = CheckedModel & {
  /** The folder read (the link target for an older layout's link); the file's folder when a file was named. */
  folder: string;
  /** "file": model.safetensors; "two-files": the older manifest.json + weights.safetensors. */
  layout: 'file' | 'two-files';
};

/** The temporary names this code writes (FILE.tmp-<pid>-<8 hex>): skipped when judging a folder. */
const TEMP_NAME = /\.tmp-\d+-[0-9a-f]{8}$/;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// Saving

interface SavePlan {
  target: string;
  /** By-products on disk that the model there lists with these bytes: ours to replace or remove. */
  verified: Record<string, string>;
}

/**
 * Throws unless `dir` can receive a model: it does not exist, is empty (but for temporary files
 * of killed saves), or holds a model.safetensors this program wrote. Every file of `byProducts`
 * already there must be one the model there lists with the same bytes. So a save never
 * overwrites or deletes a user's file.
 */
export function checkModelFolderTarget(dir: string, byProducts: readonly string[] = []): void {
  planSave(dir, byProducts);
}

function planSave(dir: string, byProducts: readonly string[]): SavePlan {
  const target = path.resolve(dir); // also drops a trailing slash
  const refuse = (why: string) => new Error(`"${dir}" ${why}: refusing to write a model there; choose another --out (or move it away yourself)`);
  const st = lstatOrNull(target);
  if (!st) return { target, verified: {} };
  if (st.isSymbolicLink()) throw refuse(`is a symbolic link (older cardiograd saved models as a link to NAME.v-*; it still loads as it is)`);
  if (!st.isDirectory()) throw refuse('exists and is a file');
  const names = fs.readdirSync(target).filter((n) => !TEMP_NAME.test(n));
  if (!names.includes(MODEL_FILE)) {
    if (names.includes(MANIFEST_FILE) || names.includes(WEIGHTS_FILE)) {
      throw refuse(`holds a model in the older layout (${MANIFEST_FILE} + ${WEIGHTS_FILE}; it still loads as it is)`);
    }
    if (names.length > 0) throw refuse(`is not a model folder (no ${MODEL_FILE}, and not empty: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`);
    return { target, verified: {} };
  }
  let m: Record<string, unknown>;
  try { m = readModelFileManifest(readWholeFile(path.join(target, MODEL_FILE)), path.join(dir, MODEL_FILE)); } catch (e) {
    throw refuse(`holds a ${MODEL_FILE} that cannot be read (${(e as Error).message})`);
  }
  if (m.writtenBy !== WRITTEN_BY) throw refuse(`holds a ${MODEL_FILE} not written by cardiograd (no "writtenBy": "${WRITTEN_BY}")`);
  // Files the model lists, by the bytes they had: its own by-products and the ones it replaced
  // (a save killed between the model and its by-products leaves those).
  const listed = [hashMap(m.byProducts), hashMap(m.byProductsBefore)];
  const verified: Record<string, string> = {};
  for (const name of new Set([...byProducts, ...listed.flatMap((l) => Object.keys(l))])) {
    const file = path.join(target, name);
    const fst = lstatOrNull(file);
    if (!fst) continue;
    const hash = fst.isFile() ? sha256(readWholeFile(file)) : null;
    if (hash !== null && listed.some((l) => l[name] === hash)) verified[name] = hash;
    else if (byProducts.includes(name)) throw refuse(`holds ${name}, which its model did not write (edited, or someone else's)`);
  }
  return { target, verified };
}

/** A manifest's {relative path: sha256} map, or {} when absent or malformed. */
function hashMap(x: unknown): Record<string, string> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) if (typeof v === 'string' && safeRelative(k)) out[k] = v;
  return out;
}

/** A relative path that stays inside the folder ("plots/loss.svg"), in '/' form; null otherwise. */
function safeRelative(name: string): string | null {
  const norm = path.posix.normalize(name.split(path.sep).join('/'));
  if (norm === '.' || norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm) || norm.includes('\0')) return null;
  return norm;
}

export interface SaveOptions {
  /**
   * Keep the by-products of the model replaced that this save does not write again (listed in
   * the new manifest with their bytes' SHA-256), e.g. when only the threshold changes. Default:
   * remove them, since they describe the run replaced (train after --no-plots).
   */
  keepByProducts?: boolean;
}

/**
 * Writes DIR/model.safetensors (the manifest in its metadata, with version, marker, tensor list,
 * checksums and the save time added) atomically, then any `extraFiles` (relative paths, e.g.
 * "plots/loss.svg") beside it, each atomically.
 */
export function saveModelFolder(dir: string, manifest: object, tensors: TensorMap,
                                extraFiles: Record<string, string | Uint8Array> = {}, options: SaveOptions = {}): void {
  const given = (manifest as { formatVersion?: unknown }).formatVersion;
  if (given !== undefined && given !== MODEL_FORMAT_VERSION) {
    throw new Error(`cannot save "${dir}": manifest formatVersion ${JSON.stringify(given)}, this code writes ${MODEL_FORMAT_VERSION}`);
  }
  const extras: [string, string | Uint8Array][] = [];
  for (const [name, content] of Object.entries(extraFiles)) {
    const rel = safeRelative(name);
    if (rel === null) throw new Error(`extra file "${name}" would land outside the model folder`);
    if (rel === MODEL_FILE || TEMP_NAME.test(rel) || extras.some(([n]) => n === rel)) throw new Error(`extra files repeat a name or overwrite ${MODEL_FILE}: "${name}"`);
    extras.push([rel, content]);
  }
  const plan = planSave(dir, extras.map(([n]) => n));
  const { target } = plan;

  const byProducts: Record<string, string> = {};
  for (const [name, content] of extras) byProducts[name] = sha256(content);
  const kept = options.keepByProducts ? Object.entries(plan.verified).filter(([name]) => !Object.hasOwn(byProducts, name)) : [];
  for (const [name, hash] of kept) byProducts[name] = hash;
  const full: Record<string, unknown> = {
    ...manifest,
    formatVersion: MODEL_FORMAT_VERSION,
    writtenBy: WRITTEN_BY,
    savedAt: new Date().toISOString(),
    tensors: tensorList(tensors),
    weightsSha256: sha256(encodeSafetensors(tensors)),
    byProducts,
    byProductsBefore: plan.verified,
  };
  delete full.files; // the older layout's file list
  delete full.scoringSha256;
  full.scoringSha256 = scoringDigest(JSON.parse(JSON.stringify(full))); // of the manifest as read back
  const bytes = encodeModelFile(full, tensors);

  const created = lstatOrNull(target) === null;
  fs.mkdirSync(target, { recursive: true });
  if (created) fsyncDirectory(path.dirname(target));
  const file = path.join(target, MODEL_FILE);
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileDurably(temp, bytes, 'wx');
    fs.renameSync(temp, file); // the commit point: the old model until here, the new one after
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDirectory(target);

  for (const [name, content] of extras) {
    const out = path.join(target, name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    replaceFileAtomically(out, content);
  }
  // By-products of the model replaced that this save did not write again (e.g. --no-plots):
  // proven ours by their bytes, so they go, with any sub-folder they leave empty.
  for (const name of Object.keys(plan.verified)) {
    if (Object.hasOwn(byProducts, name)) continue; // written again, or kept
    fs.rmSync(path.join(target, name), { force: true });
    for (let sub = path.dirname(name); sub !== '.'; sub = path.dirname(sub)) {
      try { fs.rmdirSync(path.join(target, sub)); } catch { break; } // not empty: keep it
    }
  }
}

/** name -> shape, in sorted order (the order of the safetensors file). */
function tensorList(tensors: TensorMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of Object.keys(tensors).sort()) out[name] = [...tensors[name].shape];
  return out;
}

function lstatOrNull(p: string): fs.Stats | null {
  try { return fs.lstatSync(p); } catch { return null; }
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Reads and checks a model: DIR/model.safetensors, a model file named directly, or a folder of
 * the older layout (manifest.json + weights.safetensors). The same checks as detectorFromParts
 * (format version, schema, tensor names and shapes against the architecture, checksum, finite
 * weights, scaler). Every error names the folder and the file.
 */
export function loadModelFolder(dir: string, specs: readonly ModelSpec<any>[] = MODEL_SPECS): LoadedModelFolder {
  const found = findModel(dir);
  if (found.layout === 'file') {
    return { ...checkModelFile(readFile(dir, found.file), specs, found.file), folder: path.dirname(found.file), layout: 'file' };
  }
  const manifestPath = path.join(found.folder, MANIFEST_FILE);
  const weightsPath = path.join(found.folder, WEIGHTS_FILE);
  const manifestText = new TextDecoder().decode(readFile(dir, manifestPath));
  const bytes = readFile(dir, weightsPath);
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (e) {
    throw new Error(`${manifestPath}: not valid JSON: ${(e as Error).message}`);
  }
  const checked = checkModelParts(json, null, { specs, bytes, manifestName: manifestPath, weightsName: weightsPath });
  return { ...checked, folder: found.folder, layout: 'two-files' };
}

/**
 * The model's bytes as one model file (what a browser fetches): DIR/model.safetensors as it is,
 * or an older folder's two files joined (after every load check) into one.
 */
export function modelFileBytes(dir: string): Uint8Array {
  const found = findModel(dir);
  if (found.layout === 'file') return readFile(dir, found.file);
  const { manifest, tensors } = loadModelFolder(dir);
  const m: Record<string, unknown> = { ...manifest, weightsSha256: sha256(encodeSafetensors(tensors)) };
  delete m.files;
  if (m.scoringSha256 !== undefined) { delete m.scoringSha256; m.scoringSha256 = scoringDigest(JSON.parse(JSON.stringify(m))); }
  return encodeModelFile(m, tensors);
}

/**
 * The manifest of the model at `dir` (either layout), read without checking the weights, or
 * null when there is no model there: for listings and the "already holds a model" refusal.
 */
export function peekManifest(dir: string): { manifest: Record<string, any>; file: string } | null {
  let found;
  try { found = findModel(dir); } catch { return null; }
  const file = found.layout === 'file' ? found.file : path.join(found.folder, MANIFEST_FILE);
  const bytes = readFile(dir, file);
  if (found.layout === 'file') return { manifest: readModelFileManifest(bytes, file), file };
  try { return { manifest: JSON.parse(new TextDecoder().decode(bytes)), file }; } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

type Found = { layout: 'file'; file: string } | { layout: 'two-files'; folder: string };

/** Where the model at `dir` is, and in which layout; errors say what is there instead. */
function findModel(dir: string): Found {
  const st = lstatOrNull(dir);
  if (!st) {
    // An older cardiograd kept versions beside the folder (NAME.v-*, NAME.old-*): name them.
    const target = path.resolve(dir), base = path.basename(target);
    let left: string[] = [];
    try { left = fs.readdirSync(path.dirname(target)).filter((n) => n.startsWith(`${base}.v-`) || n.startsWith(`${base}.old-`)); } catch { /* no parent */ }
    throw new Error(`model folder "${dir}" does not exist` +
      (left.length ? ` (beside it are folders an older cardiograd saved versions of it in: ${left.sort().join(', ')}; point --model at one)` : ''));
  }
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    throw new Error(`model folder "${dir}" is a link to "${fs.readlinkSync(dir)}", which does not exist`);
  }
  const rst = fs.statSync(real);
  if (rst.isFile()) {
    if (!dir.endsWith('.safetensors')) throw new Error(`"${dir}" is not a model folder (it is a file, not a folder; a model file ends in .safetensors)`);
    return { layout: 'file', file: dir };
  }
  if (!rst.isDirectory()) throw new Error(`"${dir}" is not a model folder`);
  if (lstatOrNull(path.join(real, MODEL_FILE))) return { layout: 'file', file: path.join(dir, MODEL_FILE) };
  if (lstatOrNull(path.join(real, MANIFEST_FILE)) || lstatOrNull(path.join(real, WEIGHTS_FILE))) return { layout: 'two-files', folder: real };
  throw new Error(`model folder "${dir}" has no ${MODEL_FILE} (nor the older layout's ${MANIFEST_FILE} + ${WEIGHTS_FILE})`);
}

/** A whole regular file. */
function readWholeFile(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

/** A whole regular file, or an error naming it (missing, a directory, unreadable). */
function readFile(dir: string, file: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new Error((e as NodeJS.ErrnoException).code === 'ENOENT'
      ? `model folder "${dir}" has no ${path.basename(file)} (expected ${file})`
      : `${file}: cannot read it: ${(e as Error).message}`);
  }
  if (!st.isFile()) throw new Error(`${file}: expected a file, found ${st.isDirectory() ? 'a directory' : 'something else'}`);
  try {
    return readWholeFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
