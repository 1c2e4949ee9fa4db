// Model folders: save/load round trip, atomic replacement, and clear load errors.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelFolder, MODEL_FORMAT_VERSION, saveModelFolder } from '../../src/io/model-folder-node.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-folder-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

const tensors = () => ({
  'enc.weight': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
  'enc.bias': { shape: [2], data: new Float32Array([0.5, -0.5]) },
});
const manifest = { architecture: { kind: 'dense', sizes: [3, 2] }, threshold: 0.25 };

/** Everything in `root`, so leftovers (temp or old folders) show up. */
const entries = () => fs.readdirSync(root).sort();

describe('saveModelFolder / loadModelFolder', () => {
  it('round-trips the manifest and the tensors', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, manifest, tensors());
    expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', 'weights.safetensors']);
    const { manifest: m, tensors: t } = loadModelFolder(dir);
    expect(m.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(m.architecture).toEqual(manifest.architecture);
    expect(m.threshold).toBe(0.25);
    expect(m.tensors).toEqual({ 'enc.bias': [2], 'enc.weight': [2, 3] });
    expect(m.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(t).toEqual(tensors());
    expect(entries()).toEqual(['model']);
  });

  it('creates missing parent folders and accepts a trailing slash', () => {
    const dir = path.join(root, 'models', 'nested', 'm') + '/';
    saveModelFolder(dir, manifest, tensors());
    expect(loadModelFolder(dir).tensors['enc.bias'].shape).toEqual([2]);
    expect(fs.readdirSync(path.join(root, 'models', 'nested'))).toEqual(['m']);
  });

  it('replaces an existing folder completely (old extra files are gone)', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, manifest, tensors());
    fs.writeFileSync(path.join(dir, 'stale.txt'), 'old');
    saveModelFolder(dir, { ...manifest, threshold: 0.5 }, { only: { shape: [1], data: new Float32Array([9]) } });
    const { manifest: m, tensors: t } = loadModelFolder(dir);
    expect(m.threshold).toBe(0.5);
    expect(Object.keys(t)).toEqual(['only']);
    expect(fs.existsSync(path.join(dir, 'stale.txt'))).toBe(false);
    expect(entries()).toEqual(['model']);
  });

  it('is atomic: a failure mid-save leaves the old folder untouched and no temp folder', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, manifest, tensors());
    const before = fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]);
    const broken = { w: { shape: [2, 2], data: new Float32Array(3) } }; // encode throws
    expect(() => saveModelFolder(dir, { ...manifest, threshold: 9 }, broken)).toThrow(/needs 4 values, data has 3/);
    expect(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))])).toEqual(before);
    expect(entries()).toEqual(['model']);
  });

  it('is atomic: a failed first save leaves no folder at all', () => {
    const dir = path.join(root, 'model');
    expect(() => saveModelFolder(dir, manifest, { w: { shape: [5], data: new Float32Array(1) } })).toThrow();
    expect(entries()).toEqual([]);
  });

  it('refuses to write a manifest claiming another format version', () => {
    expect(() => saveModelFolder(path.join(root, 'm'), { formatVersion: 2 }, tensors())).toThrow(/formatVersion 2/);
    expect(entries()).toEqual([]);
  });
});

describe('loadModelFolder errors', () => {
  const dir = () => path.join(root, 'model');
  const save = () => saveModelFolder(dir(), manifest, tensors());
  const readManifest = () => JSON.parse(fs.readFileSync(path.join(dir(), 'manifest.json'), 'utf8'));
  const writeManifest = (m: unknown) => fs.writeFileSync(path.join(dir(), 'manifest.json'), JSON.stringify(m));

  it('missing folder', () => {
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" does not exist`);
  });

  it('a file instead of a folder', () => {
    fs.writeFileSync(dir(), 'x');
    expect(() => loadModelFolder(dir())).toThrow(/is not a model folder/);
  });

  it('missing manifest', () => {
    save();
    fs.rmSync(path.join(dir(), 'manifest.json'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" has no manifest.json`);
  });

  it('missing weights', () => {
    save();
    fs.rmSync(path.join(dir(), 'weights.safetensors'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" has no weights.safetensors`);
  });

  it('manifest that is not JSON', () => {
    save();
    fs.writeFileSync(path.join(dir(), 'manifest.json'), '{ broken');
    expect(() => loadModelFolder(dir())).toThrow(/manifest\.json: not valid JSON/);
  });

  it('newer, older and missing format versions', () => {
    save();
    const m = readManifest();
    writeManifest({ ...m, formatVersion: 2 });
    expect(() => loadModelFolder(dir())).toThrow(/formatVersion 2 is newer than this cardiograd supports \(1\); upgrade/);
    writeManifest({ ...m, formatVersion: 0 });
    expect(() => loadModelFolder(dir())).toThrow(/formatVersion 0 is older/);
    writeManifest({ ...m, formatVersion: undefined });
    expect(() => loadModelFolder(dir())).toThrow(/has no numeric formatVersion/);
  });

  it('tampered weights fail the checksum', () => {
    save();
    const file = path.join(dir(), 'weights.safetensors');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 0x01; // flip one bit of the last float: still a valid file
    fs.writeFileSync(file, bytes);
    expect(() => loadModelFolder(dir())).toThrow('weights.safetensors is corrupt: checksum mismatch');
    expect(() => loadModelFolder(dir())).toThrow(file);
  });

  it('truncated weights without a checksum are still caught by the format check', () => {
    save();
    const { weightsSha256: _, ...m } = readManifest();
    writeManifest(m);
    const file = path.join(dir(), 'weights.safetensors');
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
    const { 'enc.bias': _, ...rest } = tensors();
    withWeights(rest);
    expect(() => loadModelFolder(dir())).toThrow(/missing tensor "enc\.bias" listed in .*manifest\.json/);
  });

  it('extra key', () => {
    withWeights({ ...tensors(), 'dec.weight': { shape: [1], data: new Float32Array(1) } });
    expect(() => loadModelFolder(dir())).toThrow(/extra tensor "dec\.weight" not listed in .*manifest\.json/);
  });

  it('shape mismatch', () => {
    withWeights({ ...tensors(), 'enc.weight': { shape: [3, 2], data: new Float32Array(6) } });
    expect(() => loadModelFolder(dir())).toThrow(/tensor "enc\.weight" has shape \[3, 2\], .*manifest\.json says \[2,3\]/);
  });

  it('manifest without a tensor list', () => {
    save();
    const { tensors: _, ...m } = readManifest();
    writeManifest(m);
    expect(() => loadModelFolder(dir())).toThrow(/"tensors" must be an object/);
  });
});
