// Model folders: save/load round trip, the versioned link and its atomic replacement, refusing
// to replace what this program did not write, and clear load errors.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkModelFolderTarget, loadModelFolder, MODEL_FORMAT_VERSION, saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';
import { smallManifest, smallTensors } from '../io/small-model.ts';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-folder-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

/** Everything in `root`, so leftovers (temp or old versions) show up; versions as "NAME.v-*". */
const entries = () => fs.readdirSync(root).map((n) => n.replace(/\.v-.*$/, '.v-*')).sort();

describe('saveModelFolder / loadModelFolder', () => {
  it('round-trips the manifest and the tensors; NAME is a link to one complete version', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(fs.lstatSync(dir).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(dir)).toMatch(/^model\.v-\d{14}-\d+-[0-9a-f]{8}$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', 'weights.safetensors']);
    const { manifest: m, tensors: t } = loadModelFolder(dir);
    expect(m.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(m.writtenBy).toBe('cardiograd');
    expect(m.files).toEqual(['manifest.json', 'weights.safetensors']);
    expect(m.architecture).toEqual(smallManifest().architecture);
    expect(m.threshold).toEqual({ value: 0.75, method: 'test' });
    expect(Object.keys(m.tensors)).toEqual(Object.keys(smallTensors()).sort());
    expect(m.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(t).toEqual(smallTensors());
    expect(entries()).toEqual(['model', 'model.v-*']);
  });

  it('creates missing parent folders and accepts a trailing slash', () => {
    const dir = path.join(root, 'models', 'nested', 'm') + '/';
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(loadModelFolder(dir).tensors['encoder.0.bias'].shape).toEqual([4]);
    expect(fs.readdirSync(path.join(root, 'models', 'nested')).map((n) => n.replace(/\.v-.*$/, '.v-*')).sort()).toEqual(['m', 'm.v-*']);
  });

  it('replaces a model: the new version in, the old one removed, extra files listed in the manifest', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1));
    const first = fs.readlinkSync(dir);
    saveModelFolder(dir, smallManifest({ threshold: { value: 0.5, method: 'x' } }), smallTensors(2), { 'plots/a.svg': '<svg/>' });
    expect(fs.readlinkSync(dir)).not.toBe(first);
    const { manifest: m, tensors: t } = loadModelFolder(dir);
    expect(m.threshold.value).toBe(0.5);
    expect(m.files).toEqual(['manifest.json', 'plots/a.svg', 'weights.safetensors']);
    expect(t).toEqual(smallTensors(2));
    expect(entries()).toEqual(['model', 'model.v-*']);
  });

  it('a failure mid-save leaves the old model untouched and no temp folder', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    const before = loadModelFolder(dir).tensors;
    const broken = { w: { shape: [2, 2], data: new Float32Array(3) } }; // encode throws
    expect(() => saveModelFolder(dir, smallManifest(), broken)).toThrow(/needs 4 values, data has 3/);
    expect(loadModelFolder(dir).tensors).toEqual(before);
    expect(entries()).toEqual(['model', 'model.v-*']);
  });

  it('a failed first save leaves nothing at all', () => {
    const dir = path.join(root, 'model');
    expect(() => saveModelFolder(dir, smallManifest(), { w: { shape: [5], data: new Float32Array(1) } })).toThrow();
    expect(entries()).toEqual([]);
  });

  it('refuses to write a manifest claiming another format version', () => {
    expect(() => saveModelFolder(path.join(root, 'm'), { formatVersion: 2 }, smallTensors())).toThrow(/formatVersion 2/);
    expect(entries()).toEqual([]);
  });

  it('a plain folder (older cardiograd, or a copy) still loads, and is replaced by a link', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1));
    const plain = path.join(root, 'plain');
    fs.cpSync(dir, plain, { recursive: true, dereference: true });
    expect(fs.lstatSync(plain).isDirectory()).toBe(true);
    expect(loadModelFolder(plain).tensors).toEqual(smallTensors(1));
    saveModelFolder(plain, smallManifest(), smallTensors(2));
    expect(fs.lstatSync(plain).isSymbolicLink()).toBe(true);
    expect(loadModelFolder(plain).tensors).toEqual(smallTensors(2));
    expect(entries()).toEqual(['model', 'model.v-*', 'plain', 'plain.v-*']);
  });

  it('stale siblings of a dead save (temp folder, old version, loose link) are removed at the next save', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process
    fs.mkdirSync(path.join(root, `model.tmp-${deadPid}-0000abcd`));
    // a complete version of ours (marker + exact file set): empty look-alikes are not provably ours
    fs.cpSync(fs.realpathSync(dir), path.join(root, `model.v-00000000000001-${deadPid}-0000abcd`), { recursive: true });
    fs.symlinkSync('nowhere', path.join(root, `model.link-${deadPid}-0000abcd`));
    fs.mkdirSync(path.join(root, 'model-other.tmp-1-x')); // not ours: another name
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(entries()).toEqual(['model', 'model-other.tmp-1-x', 'model.v-*']);
  });
});

describe('replacing only what this program wrote (issue 10, item 6)', () => {
  const dir = () => path.join(root, 'model');

  it('a folder with a file cardiograd did not write (notes.txt) is refused, and kept', () => {
    saveModelFolder(dir(), smallManifest(), smallTensors());
    fs.writeFileSync(path.join(dir(), 'notes.txt'), 'my notes');
    expect(() => saveModelFolder(dir(), smallManifest(), smallTensors(2))).toThrow(/holds files cardiograd did not write \(notes\.txt\)/);
    expect(fs.readFileSync(path.join(dir(), 'notes.txt'), 'utf8')).toBe('my notes');
    expect(loadModelFolder(dir()).tensors).toEqual(smallTensors());
  });

  it("another tool's folder with a numeric formatVersion is refused (the old rule accepted it)", () => {
    fs.mkdirSync(dir());
    fs.writeFileSync(path.join(dir(), 'manifest.json'), JSON.stringify({ formatVersion: 1, tool: 'other' }));
    fs.writeFileSync(path.join(dir(), 'notes.txt'), 'keep me');
    expect(() => checkModelFolderTarget(dir())).toThrow(/was not written by cardiograd/);
    expect(() => saveModelFolder(dir(), smallManifest(), smallTensors())).toThrow(/was not written by cardiograd/);
    expect(fs.readdirSync(dir()).sort()).toEqual(['manifest.json', 'notes.txt']);
  });

  it('a file, a non-model folder, and a foreign symlink are refused; an empty folder is fine', () => {
    fs.writeFileSync(dir(), 'x');
    expect(() => checkModelFolderTarget(dir())).toThrow(/exists and is a file/);
    fs.rmSync(dir());
    fs.mkdirSync(dir());
    fs.writeFileSync(path.join(dir(), 'a.txt'), 'x');
    expect(() => checkModelFolderTarget(dir())).toThrow(/is not a model folder/);
    fs.rmSync(dir(), { recursive: true });
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.symlinkSync('elsewhere', dir());
    expect(() => checkModelFolderTarget(dir())).toThrow(/symbolic link to "elsewhere", not one cardiograd made/);
    fs.rmSync(dir());
    fs.mkdirSync(dir());
    saveModelFolder(dir(), smallManifest(), smallTensors());
    expect(loadModelFolder(dir()).tensors).toEqual(smallTensors());
  });
});

describe('loadModelFolder errors', () => {
  const dir = () => path.join(root, 'model');
  const save = () => saveModelFolder(dir(), smallManifest(), smallTensors());
  const readManifest = () => JSON.parse(fs.readFileSync(path.join(dir(), 'manifest.json'), 'utf8'));
  const writeManifest = (m: unknown) => fs.writeFileSync(path.join(dir(), 'manifest.json'), JSON.stringify(m));

  it('missing folder', () => {
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" does not exist`);
  });

  it('a missing folder names the models an interrupted replace left beside it (ours, or an older cardiograd\'s .old-*)', () => {
    save();
    const version = fs.readlinkSync(dir());
    fs.rmSync(dir());
    fs.mkdirSync(path.join(root, 'model.old-123-abcd'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" does not exist (other saved versions of it are here, left by an interrupted save or a move: model.old-123-abcd, ${version}; point --model at one, or rename it to model)`);
    expect(loadModelFolder(path.join(root, version)).tensors).toEqual(smallTensors());
  });

  it('a file instead of a folder', () => {
    fs.writeFileSync(dir(), 'x');
    expect(() => loadModelFolder(dir())).toThrow(/is not a model folder/);
  });

  it('missing manifest, missing weights', () => {
    save();
    fs.rmSync(path.join(dir(), 'weights.safetensors'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" has no weights.safetensors`);
    fs.rmSync(path.join(dir(), 'manifest.json'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" has no manifest.json`);
  });

  it('weights.safetensors that is a directory: an error with the path, not a bare EISDIR (item 3)', () => {
    save();
    const file = path.join(fs.realpathSync(dir()), 'weights.safetensors');
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(() => loadModelFolder(dir())).toThrow(`${file}: expected a file, found a directory`);
  });

  it('weights.safetensors that cannot be read: an error with the path', () => {
    if (process.getuid?.() === 0) {
      // root reads anything: a dangling symlink is the unreadable file here
      save();
      const file = path.join(fs.realpathSync(dir()), 'weights.safetensors');
      fs.rmSync(file);
      fs.symlinkSync('/nonexistent/weights', file);
      expect(() => loadModelFolder(dir())).toThrow(/has no weights\.safetensors \(expected .*weights\.safetensors\)/);
      return;
    }
    save();
    fs.chmodSync(path.join(fs.realpathSync(dir()), 'weights.safetensors'), 0o000);
    expect(() => loadModelFolder(dir())).toThrow(/weights\.safetensors: cannot read it: EACCES/);
  });

  it('manifest that is not JSON', () => {
    save();
    fs.writeFileSync(path.join(dir(), 'manifest.json'), '{ broken');
    expect(() => loadModelFolder(dir())).toThrow(/manifest\.json: not valid JSON/);
  });

  it('newer, older and missing format versions', () => {
    save();
    const m = readManifest();
    writeManifest({ ...m, formatVersion: 99 });
    expect(() => loadModelFolder(dir())).toThrow(/formatVersion 99 is newer than this cardiograd supports \(1\); upgrade/);
    writeManifest({ ...m, formatVersion: 0 });
    expect(() => loadModelFolder(dir())).toThrow(/formatVersion 0 is older/);
    writeManifest({ ...m, formatVersion: undefined });
    expect(() => loadModelFolder(dir())).toThrow(/field "formatVersion": expected a number, got nothing/);
  });

  it('tampered weights fail the checksum, naming the file', () => {
    save();
    const file = path.join(fs.realpathSync(dir()), 'weights.safetensors');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 0x01; // flip one bit of the last float: still a valid file
    fs.writeFileSync(file, bytes);
    expect(() => loadModelFolder(dir())).toThrow(`${file}: checksum mismatch`);
  });

  it('truncated weights without a checksum are still caught by the format check', () => {
    save();
    const { weightsSha256: _, ...m } = readManifest();
    writeManifest(m);
    const file = path.join(fs.realpathSync(dir()), 'weights.safetensors');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 60));
    expect(() => loadModelFolder(dir())).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  // Key mismatches: rewrite the weights (dropping the checksum) so only the tensor list disagrees.
  const withWeights = (t: Record<string, { shape: number[]; data: Float32Array }>) => {
    save();
    fs.writeFileSync(path.join(dir(), 'weights.safetensors'), encodeSafetensors(t));
    const { weightsSha256: _, ...m } = readManifest();
    writeManifest(m);
  };

  it('missing key', () => {
    const { 'encoder.0.bias': _, ...rest } = smallTensors();
    withWeights(rest);
    expect(() => loadModelFolder(dir())).toThrow(/missing tensor "encoder\.0\.bias" listed in .*manifest\.json/);
  });

  it('extra key', () => {
    withWeights({ ...smallTensors(), 'dec.weight': { shape: [1], data: new Float32Array(1) } });
    expect(() => loadModelFolder(dir())).toThrow(/extra tensor "dec\.weight" not listed in .*manifest\.json/);
  });

  it('shape mismatch', () => {
    withWeights({ ...smallTensors(), 'encoder.0.weight': { shape: [8, 4], data: new Float32Array(32) } });
    expect(() => loadModelFolder(dir())).toThrow(/tensor "encoder\.0\.weight" has shape \[8, 4\], .*manifest\.json says \[4, 8\]/);
  });

  it('manifest without a tensor list', () => {
    save();
    const { tensors: _, ...m } = readManifest();
    writeManifest(m);
    expect(() => loadModelFolder(dir())).toThrow(/manifest\.json: field "tensors" is missing/);
  });
});
