// A model folder on disk (Node only):
//   NAME/manifest.json        what the model is: architecture, scaler, threshold, metrics, ...
//                             plus, written here: formatVersion, writtenBy, the file list, the
//                             tensor list and the weights' checksum
//   NAME/weights.safetensors  the parameters, by name (PyTorch-compatible safetensors)
//   NAME/plots/..., ...       any extra files the caller adds (listed in the manifest too)
//
// Saving: NAME is a symlink to a complete, versioned sibling folder NAME.v-<time>-<pid>-<rand>.
// A save writes and fsyncs a new version under NAME.tmp-<pid>-<rand>, renames it to its
// version name, then swaps the link with rename(2) (atomic): at every instant NAME is the old
// model or the new one, even under kill -9. Old versions and dead saves' temp folders are
// removed at the next save, but only those it can prove it wrote (exact sibling name, dead pid,
// marker + exact file set) and no version another link points at (see staleSiblings). A plain folder at NAME (older cardiograd, or a copy) still loads.
// Only a folder this program wrote (manifest "writtenBy": "cardiograd" and exactly the files
// its manifest lists) is ever replaced.
// Loading: one validation path with detectorFromParts (detect/model-check.ts), errors naming files.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MODEL_SPECS } from '../autoencoders/registry.ts';
import type { ModelSpec } from '../autoencoders/model-spec.ts';
import { fsyncDirectory, writeFileDurably } from '../io/durable-file-node.ts';
import { checkModelParts, type CheckedModel } from './model-check.ts';
import { MANIFEST_FILE, MODEL_FORMAT_VERSION, scoringDigest, WEIGHTS_FILE, WRITTEN_BY } from './model-manifest.ts';
import { encodeSafetensors, type TensorMap } from '../io/safetensors.ts';
import { sha256Hex } from '../io/sha256.ts';

export { MANIFEST_FILE, MODEL_FORMAT_VERSION, WEIGHTS_FILE, WRITTEN_BY, type ModelManifest } from './model-manifest.ts';

/** What loadModelFolder returns: the checked manifest and tensors (plus the kind's spec and scaler). */
export type LoadedModelFolder = CheckedModel & {
  /** The folder actually read (NAME's link target, or NAME itself when it is a plain folder). */
  folder: string;
};

// Sibling names: NAME.v-<time>-<pid>-<rand> (a complete version), NAME.tmp-<pid>-<rand> (a save
// in progress), NAME.link-<pid>-<rand> (the new link before the swap).
const VERSION = '.v-';
const TEMP = '.tmp-';
const LINK = '.link-';

/** Files other cardiograd commands may add to a saved folder (`evaluate --report`: report-<data>.html). */
const ADDED_LATER = ['report.html'];
const ADDED_LATER_PATTERN = /^report-[A-Za-z0-9._-]{1,100}\.html$/;

// ---------------------------------------------------------------------------------------------
// Saving

/**
 * Throws unless `dir` can receive a model folder: it does not exist, is an empty folder, or is
 * a model folder this program wrote (marker + exactly the files its manifest lists), directly
 * or through the link a save makes. Anything else is refused, so a save never deletes a user's files.
 */
export function checkModelFolderTarget(dir: string): void {
  const target = path.resolve(dir);
  let st: fs.Stats;
  try { st = fs.lstatSync(target); } catch { return; } // nothing there
  if (st.isSymbolicLink()) {
    const link = fs.readlinkSync(target);
    if (path.dirname(path.resolve(path.dirname(target), link)) !== path.dirname(target) || !path.basename(link).startsWith(path.basename(target) + VERSION)) {
      throw new Error(`"${dir}" is a symbolic link to "${link}", not one cardiograd made: refusing to replace it; choose another --out`);
    }
    if (!fs.existsSync(target)) return; // a dangling link of ours: its version is gone, nothing to lose
    checkOwnFolder(dir, path.resolve(path.dirname(target), link));
    return;
  }
  if (!st.isDirectory()) throw new Error(`"${dir}" exists and is a file: refusing to replace it with a model folder`);
  if (fs.readdirSync(target).length === 0) return;
  checkOwnFolder(dir, target);
}

/** Throws unless `folder` holds a manifest with our marker and exactly the files it lists. */
function checkOwnFolder(dir: string, folder: string): void {
  const refuse = (why: string) => new Error(`"${dir}" ${why}: refusing to replace it; choose another --out (or delete it yourself)`);
  let m: { writtenBy?: unknown; files?: unknown };
  try {
    m = JSON.parse(fs.readFileSync(path.join(folder, MANIFEST_FILE), 'utf8'));
  } catch {
    throw refuse(`exists and is not a model folder (no readable ${MANIFEST_FILE})`);
  }
  if (m === null || typeof m !== 'object' || m.writtenBy !== WRITTEN_BY || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) {
    throw refuse(`was not written by cardiograd (its ${MANIFEST_FILE} lacks "writtenBy": "${WRITTEN_BY}" and the file list)`);
  }
  const listed = new Set([...(m.files as string[]), ...ADDED_LATER]);
  const present = listFiles(folder);
  const extra = present.filter((f) => !listed.has(f) && !ADDED_LATER_PATTERN.test(f));
  if (extra.length > 0) throw refuse(`holds files cardiograd did not write (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', ...' : ''})`);
}

/** Relative paths of every non-directory entry under `folder` (symlinks count as files). */
function listFiles(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(folder, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Writes DIR/manifest.json, DIR/weights.safetensors and any `extraFiles` (relative paths, e.g.
 * "plots/loss.svg") as a new version, then points DIR at it atomically: all or nothing.
 */
export function saveModelFolder(dir: string, manifest: object, tensors: TensorMap,
                                extraFiles: Record<string, string | Uint8Array> = {}): void {
  const given = (manifest as { formatVersion?: unknown }).formatVersion;
  if (given !== undefined && given !== MODEL_FORMAT_VERSION) {
    throw new Error(`cannot save "${dir}": manifest formatVersion ${JSON.stringify(given)}, this code writes ${MODEL_FORMAT_VERSION}`);
  }
  checkModelFolderTarget(dir);

  const target = path.resolve(dir); // also drops a trailing slash, so the siblings stay siblings
  const parent = path.dirname(target), base = path.basename(target);
  fs.mkdirSync(parent, { recursive: true });
  const tag = () => `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = path.join(parent, `${base}${TEMP}${tag()}`);
  const version = path.join(parent, `${base}${VERSION}${String(Date.now()).padStart(14, '0')}-${tag()}`);
  fs.mkdirSync(temp);
  try {
    const weights = encodeSafetensors(tensors);
    const extra = Object.keys(extraFiles).map((name) => {
      const file = path.resolve(temp, name);
      if (!file.startsWith(temp + path.sep)) throw new Error(`extra file "${name}" would land outside the model folder`);
      return path.relative(temp, file).split(path.sep).join('/');
    });
    const files = [...new Set([MANIFEST_FILE, WEIGHTS_FILE, ...extra])].sort();
    if (files.length !== 2 + extra.length) throw new Error(`extra files repeat a name or overwrite ${MANIFEST_FILE}/${WEIGHTS_FILE}`);
    writeFileDurably(path.join(temp, WEIGHTS_FILE), weights);
    const full: Record<string, unknown> = {
      ...manifest,
      formatVersion: MODEL_FORMAT_VERSION,
      writtenBy: WRITTEN_BY,
      files,
      tensors: tensorList(tensors),
      weightsSha256: sha256Hex(weights),
    };
    delete full.scoringSha256;
    full.scoringSha256 = scoringDigest(JSON.parse(JSON.stringify(full))); // of the manifest as read back
    writeFileDurably(path.join(temp, MANIFEST_FILE), JSON.stringify(full, null, 2) + '\n');
    for (const [name, content] of Object.entries(extraFiles)) {
      const file = path.resolve(temp, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileDurably(file, content);
    }
    for (const sub of new Set(extra.map((f) => path.dirname(path.join(temp, f))))) fsyncDirectory(sub);
    fsyncDirectory(temp);
    fs.renameSync(temp, version); // a version folder is always complete
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  fsyncDirectory(parent);
  pointAt(target, version, tag());
  removeStaleSiblings(target);
}

/** name -> shape, in sorted order (the order of the safetensors file). */
function tensorList(tensors: TensorMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of Object.keys(tensors).sort()) out[name] = [...tensors[name].shape];
  return out;
}

/**
 * Points the link `target` at `version` (a sibling): a new link under a temporary name, then
 * rename(2) over `target`, which replaces an old link atomically. A plain folder at `target`
 * (older cardiograd) cannot be replaced by a link in one step: it is first renamed to a version
 * name of its own, and a crash between the two renames leaves no model at NAME (reported at
 * load). An empty folder is simply removed.
 */
function pointAt(target: string, version: string, tag: string): void {
  const parent = path.dirname(target);
  const link = path.join(parent, `${path.basename(target)}${LINK}${tag}`);
  fs.symlinkSync(path.basename(version), link);
  try {
    const st = lstatOrNull(target);
    if (st?.isDirectory()) {
      if (fs.readdirSync(target).length === 0) fs.rmdirSync(target);
      else fs.renameSync(target, path.join(parent, `${path.basename(target)}${VERSION}${String(Date.now()).padStart(14, '0')}-${tag}-plain`));
    }
    fs.renameSync(link, target);
  } catch (e) {
    fs.rmSync(link, { force: true });
    throw e;
  }
  fsyncDirectory(parent);
}

function lstatOrNull(p: string): fs.Stats | null {
  try { return fs.lstatSync(p); } catch { return null; }
}

function pidOf(name: string, marker: string): number | null {
  const m = /^(?:\d+-)?(\d+)-/.exec(name.slice(name.indexOf(marker) + marker.length));
  return m ? Number(m[1]) : null;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // our own leftovers: this process is past them
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

// The exact names a save makes (after "NAME"): a user's "NAME.v-2" or "NAME.tmp-keep" never matches.
const OWN_NAME: Record<string, RegExp> = {
  [VERSION]: /^\.v-\d{14}-\d+-[0-9a-f]{8}(?:-plain)?$/,
  [TEMP]: /^\.tmp-\d+-[0-9a-f]{8}$/,
  [LINK]: /^\.link-\d+-[0-9a-f]{8}$/,
};

/** True when `folder` holds only what a save writes: marker + listed files, or (a save cut short) weights and a half-written manifest at most. */
function looksOwn(folder: string, partial: boolean): boolean {
  try { if (listFiles(folder).length === 0) return true; } catch { return false; } // empty (a removal cut short): nothing to lose
  try {
    checkOwnFolder(folder, folder);
    return true;
  } catch {
    if (!partial) return false;
    try { return listFiles(folder).every((f) => f === WEIGHTS_FILE || f === MANIFEST_FILE); } catch { return false; }
  }
}

/** Versions some symbolic link in `parent` points at (a user's `cp -r NAME NAME-backup` copies the link). */
function linkedVersions(parent: string, names: string[]): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    if (OWN_NAME[LINK].test(name.slice(name.indexOf(LINK)))) continue; // a dead save's loose link, not a user's
    try { out.add(path.basename(path.resolve(parent, fs.readlinkSync(path.join(parent, name))))); } catch { /* not a link */ }
  }
  return out;
}

/**
 * NAME's siblings a save may remove, each provably written by this program: the exact name a save
 * makes, a process id that is not alive, and contents that pass the marker + exact-file-set check
 * (a link must be a link). Versions any link in the folder points at are kept, and when NAME itself
 * is missing (moved away by the user) no version is removed: it cannot be told from a moved model.
 */
export function staleSiblings(target: string): string[] {
  const parent = path.dirname(target), base = path.basename(target);
  let names: string[];
  try { names = fs.readdirSync(parent); } catch { return []; }
  const nameMissing = lstatOrNull(target) === null;
  const linked = linkedVersions(parent, names);
  const stale: string[] = [];
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    const rest = name.slice(base.length);
    for (const marker of [VERSION, TEMP, LINK]) {
      if (!OWN_NAME[marker].test(rest)) continue;
      const pid = pidOf(name, marker);
      if (pid === null || alive(pid)) continue;
      const full = path.join(parent, name);
      const st = lstatOrNull(full);
      if (!st) continue;
      if (marker === LINK) { if (st.isSymbolicLink()) stale.push(full); continue; }
      if (!st.isDirectory()) continue;
      if (marker === VERSION && (nameMissing || linked.has(name))) continue;
      if (looksOwn(full, marker === TEMP)) stale.push(full);
    }
  }
  return stale;
}

function removeStaleSiblings(target: string): void {
  for (const p of staleSiblings(target)) {
    if (lstatOrNull(p)?.isSymbolicLink()) fs.rmSync(p, { force: true });
    else removeOwnFolder(p);
  }
}

/**
 * Removes a checked folder of ours with its manifest last, so a kill mid-removal leaves the
 * marker beside a subset of the listed files: the next save can still prove it ours and finish.
 */
function removeOwnFolder(folder: string): void {
  const files = listFiles(folder);
  for (const f of files) if (f !== MANIFEST_FILE) fs.rmSync(path.join(folder, f), { force: true });
  fs.rmSync(path.join(folder, MANIFEST_FILE), { force: true });
  fs.rmSync(folder, { recursive: true, force: true }); // only empty sub-folders are left here
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Reads and checks a model folder: the same checks as detectorFromParts (format version, schema,
 * tensor names and shapes against the architecture before anything is allocated, checksum,
 * finite weights, scaler). Every error names the folder and the file.
 */
export function loadModelFolder(dir: string, specs: readonly ModelSpec<any>[] = MODEL_SPECS): LoadedModelFolder {
  // A save may swap the link and remove the old version while we read: read again from the new one.
  for (let attempt = 0; ; attempt++) {
    const folder = resolveModelFolder(dir);
    const manifestPath = path.join(folder, MANIFEST_FILE);
    const weightsPath = path.join(folder, WEIGHTS_FILE);
    let manifestText: string, bytes: Uint8Array;
    try {
      manifestText = new TextDecoder().decode(readFile(dir, manifestPath));
      bytes = readFile(dir, weightsPath);
    } catch (e) {
      if (attempt < 3 && (e as { vanished?: boolean }).vanished && resolveModelFolder(dir) !== folder) continue;
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(manifestText);
    } catch (e) {
      throw new Error(`${manifestPath}: not valid JSON: ${(e as Error).message}`);
    }
    const checked = checkModelParts(json, null, { specs, bytes, manifestName: manifestPath, weightsName: weightsPath });
    return { ...checked, folder };
  }
}

/** The folder to read: NAME's link target, or NAME itself. */
function resolveModelFolder(dir: string): string {
  const st = lstatOrNull(dir);
  if (!st) {
    // Say where an interrupted replace left models: our versions, or an older cardiograd's
    // NAME.old-* (it moved the old folder aside before renaming the new one in).
    const target = path.resolve(dir), base = path.basename(target);
    let left: string[] = [];
    try { left = fs.readdirSync(path.dirname(target)).filter((n) => n.startsWith(base + VERSION) || n.startsWith(`${base}.old-`)); } catch { /* no parent */ }
    throw new Error(`model folder "${dir}" does not exist` +
      (left.length ? ` (other saved versions of it are here, left by an interrupted save or a move: ${left.sort().join(', ')}; point --model at one, or rename it to ${base})` : ''));
  }
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    throw new Error(`model folder "${dir}" is a link to "${fs.readlinkSync(dir)}", which does not exist`);
  }
  if (!fs.statSync(real).isDirectory()) throw new Error(`"${dir}" is not a model folder (it is a file, not a folder)`);
  return real;
}

/** A whole regular file, or an error naming it (missing, a directory, unreadable). */
function readFile(dir: string, file: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const err = new Error((e as NodeJS.ErrnoException).code === 'ENOENT'
      ? `model folder "${dir}" has no ${path.basename(file)} (expected ${file})`
      : `${file}: cannot read it: ${(e as Error).message}`);
    (err as { vanished?: boolean }).vanished = true;
    throw err;
  }
  if (!st.isFile()) throw new Error(`${file}: expected a file, found ${st.isDirectory() ? 'a directory' : 'something else'}`);
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new Error(`${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
