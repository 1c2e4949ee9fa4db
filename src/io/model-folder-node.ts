// A model folder on disk (Node only):
//   DIR/manifest.json        what the model is: architecture, scaler, threshold, metrics, ...
//                            plus, written here: formatVersion, the tensor list and a checksum
//   DIR/weights.safetensors  the parameters, by name (PyTorch-compatible safetensors)
//
// Saving is atomic: both files are written into a temporary sibling folder and swapped in by
// rename, so a crash or an error mid-save never leaves a half-written model behind.
// Loading checks everything it can and names the folder and file in every error.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeSafetensors, encodeSafetensors, type TensorMap } from './safetensors.ts';

/** The manifest layout this code writes and reads. Bump it when the layout changes. */
export const MODEL_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export interface ModelManifest {
  formatVersion: number;
  /** name -> shape of every tensor in weights.safetensors (written by saveModelFolder). */
  tensors: Record<string, number[]>;
  /** SHA-256 (hex) of weights.safetensors (written by saveModelFolder; optional when hand-made). */
  weightsSha256?: string;
  [key: string]: unknown;
}

export interface LoadedModelFolder {
  manifest: ModelManifest;
  tensors: TensorMap;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Saving

/**
 * Throws unless `dir` can receive a model folder: it does not exist, is an empty folder, or is
 * a model folder already (which a save replaces). Anything else, a file or a folder of other
 * things (`--out models`, `--out .`), is refused so a save never deletes a user's files.
 */
export function checkModelFolderTarget(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new Error(`"${dir}" exists and is a file: refusing to replace it with a model folder`);
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return;
  let isModel = false;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { formatVersion?: unknown };
    isModel = typeof m.formatVersion === 'number';
  } catch { /* no readable manifest: not a model folder */ }
  if (!isModel) {
    throw new Error(`"${dir}" exists and is not a model folder (${entries.length} entries, no ${MANIFEST_FILE}): ` +
      'refusing to replace it; choose another --out');
  }
}

/**
 * Writes DIR/manifest.json, DIR/weights.safetensors and any `extraFiles` (relative paths, e.g.
 * "plots/loss.svg") into a temporary sibling, then renames it into place: all or nothing.
 */
export function saveModelFolder(dir: string, manifest: object, tensors: TensorMap,
                                extraFiles: Record<string, string | Uint8Array> = {}): void {
  const given = (manifest as { formatVersion?: unknown }).formatVersion;
  if (given !== undefined && given !== MODEL_FORMAT_VERSION) {
    throw new Error(`cannot save "${dir}": manifest formatVersion ${JSON.stringify(given)}, this code writes ${MODEL_FORMAT_VERSION}`);
  }
  checkModelFolderTarget(dir);

  const target = path.resolve(dir); // also drops a trailing slash, so the siblings stay siblings
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(temp);
  try {
    const weights = encodeSafetensors(tensors);
    writeFileDurably(path.join(temp, WEIGHTS_FILE), weights);
    const full: ModelManifest = {
      ...manifest,
      formatVersion: MODEL_FORMAT_VERSION,
      tensors: tensorList(tensors),
      weightsSha256: sha256Hex(weights),
    };
    writeFileDurably(path.join(temp, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(full, null, 2) + '\n'));
    for (const [name, content] of Object.entries(extraFiles)) {
      const file = path.resolve(temp, name);
      if (!file.startsWith(temp + path.sep)) throw new Error(`extra file "${name}" would land outside the model folder`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileDurably(file, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }
    fsyncDirectory(temp);
    swapIn(temp, target);
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

/** name -> shape, in sorted order (the order of the safetensors file). */
function tensorList(tensors: TensorMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of Object.keys(tensors).sort()) out[name] = [...tensors[name].shape];
  return out;
}

/** Write and fsync, so the bytes are on disk before the rename makes them visible. */
function writeFileDurably(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Best effort: makes a rename durable on Linux/macOS; directories cannot be opened on Windows. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here; the rename is still atomic, just not yet flushed
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replace `target` by `temp`: old folder aside, new one in, old one removed. */
function swapIn(temp: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(temp, target);
  } else {
    const old = `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    fs.renameSync(target, old);
    try {
      fs.renameSync(temp, target);
    } catch (e) {
      fs.renameSync(old, target); // put the previous model back
      throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
  }
  fsyncDirectory(path.dirname(target));
}

// ---------------------------------------------------------------------------------------------
// Loading

export function loadModelFolder(dir: string): LoadedModelFolder {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const weightsPath = path.join(dir, WEIGHTS_FILE);

  if (!fs.existsSync(dir)) throw new Error(`model folder "${dir}" does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new Error(`"${dir}" is not a model folder (it is a file, not a folder)`);
  if (!fs.existsSync(manifestPath)) throw new Error(`model folder "${dir}" has no ${MANIFEST_FILE} (expected ${manifestPath})`);
  if (!fs.existsSync(weightsPath)) throw new Error(`model folder "${dir}" has no ${WEIGHTS_FILE} (expected ${weightsPath})`);

  const manifest = readManifest(manifestPath);

  const weights = new Uint8Array(fs.readFileSync(weightsPath));
  if (manifest.weightsSha256 !== undefined && sha256Hex(weights) !== manifest.weightsSha256) {
    throw new Error(`${weightsPath}: ${WEIGHTS_FILE} is corrupt: checksum mismatch (does not match weightsSha256 in ${MANIFEST_FILE})`);
  }
  let tensors: TensorMap;
  try {
    tensors = decodeSafetensors(weights).tensors;
  } catch (e) {
    throw new Error(`${weightsPath}: ${(e as Error).message}`);
  }
  checkTensorList(manifest.tensors, tensors, manifestPath, weightsPath);
  return { manifest, tensors };
}

function readManifest(manifestPath: string): ModelManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new Error(`${manifestPath}: not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${manifestPath}: must be a JSON object`);
  }
  const m = parsed as Record<string, unknown>;

  const version = m.formatVersion;
  if (typeof version !== 'number') throw new Error(`${manifestPath}: has no numeric formatVersion`);
  if (version > MODEL_FORMAT_VERSION) {
    throw new Error(`${manifestPath}: formatVersion ${version} is newer than this cardiograd supports (${MODEL_FORMAT_VERSION}); upgrade cardiograd`);
  }
  if (version !== MODEL_FORMAT_VERSION) {
    throw new Error(`${manifestPath}: formatVersion ${version} is older than this cardiograd supports (${MODEL_FORMAT_VERSION}); retrain or convert the model`);
  }

  const list = m.tensors;
  if (list === null || typeof list !== 'object' || Array.isArray(list)) {
    throw new Error(`${manifestPath}: "tensors" must be an object of name -> shape`);
  }
  if (m.weightsSha256 !== undefined && typeof m.weightsSha256 !== 'string') {
    throw new Error(`${manifestPath}: "weightsSha256" must be a hex string`);
  }
  return m as ModelManifest;
}

/** The manifest's tensor list and the weights file must agree exactly: same names, same shapes. */
function checkTensorList(list: Record<string, unknown>, tensors: TensorMap, manifestPath: string, weightsPath: string): void {
  for (const [name, shape] of Object.entries(list)) {
    if (!Object.hasOwn(tensors, name)) throw new Error(`${weightsPath}: missing tensor "${name}" listed in ${manifestPath}`);
    const t = tensors[name];
    const same = Array.isArray(shape) && shape.length === t.shape.length && shape.every((d, i) => d === t.shape[i]);
    if (!same) {
      throw new Error(`${weightsPath}: tensor "${name}" has shape [${t.shape.join(', ')}], ${manifestPath} says ${JSON.stringify(shape)}`);
    }
  }
  for (const name of Object.keys(tensors)) {
    if (!Object.hasOwn(list, name)) throw new Error(`${weightsPath}: extra tensor "${name}" not listed in ${manifestPath}`);
  }
}
