// Model folders: save/load round trip of model.safetensors (weights + manifest in one file),
// its atomic replacement, refusing to overwrite what this program did not write, clear load
// errors, and the older two-file layout (manifest.json + weights.safetensors) still loading.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkModelFolderTarget, loadModelFolder, MODEL_FORMAT_VERSION, modelFileBytes, saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { encodeModelFile, MANIFEST_KEY } from '../../src/detect/model-file.ts';
import { detectorFromModelFile } from '../../src/detect/detector.ts';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.ts';
import { sampleBeats, smallManifest, smallTensors } from '../io/small-model.ts';
import { saveTwoFileFolder, TWO_FILE_FIXTURE } from '../io/two-file-model.ts';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-folder-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

/** Every entry under `dir`, recursively, as relative paths. */
const tree = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
const modelFile = (dir: string) => path.join(dir, 'model.safetensors');

describe('saveModelFolder / loadModelFolder', () => {
  it('round-trips the manifest and the tensors in one file, model.safetensors; no link anywhere', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(fs.lstatSync(dir).isDirectory()).toBe(true);
    expect(tree(root)).toEqual(['model', 'model/model.safetensors']);
    const { manifest: m, tensors: t, layout } = loadModelFolder(dir);
    expect(layout).toBe('file');
    expect(m.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(m.writtenBy).toBe('cardiograd');
    expect(Date.parse(m.savedAt as string)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(m.architecture).toEqual(smallManifest().architecture);
    expect(t).toEqual(smallTensors());
    // The file is plain safetensors: the tensors, and the manifest as a metadata string.
    const decoded = decodeSafetensors(new Uint8Array(fs.readFileSync(modelFile(dir))));
    expect(decoded.tensors).toEqual(smallTensors());
    expect(decoded.metadata.format).toBe('pt');
    expect(JSON.parse(decoded.metadata[MANIFEST_KEY])).toEqual(m);
  });

  it('the file alone is the model: --model may name it, and detectorFromModelFile scores from its bytes', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(), { 'plots/a.svg': '<svg/>' });
    fs.copyFileSync(modelFile(dir), path.join(root, 'alone.safetensors'));
    const a = loadModelFolder(dir), b = loadModelFolder(path.join(root, 'alone.safetensors'));
    expect(b.tensors).toEqual(a.tensors);
    expect(b.manifest).toEqual(a.manifest);
    const scores = detectorFromModelFile(new Uint8Array(fs.readFileSync(modelFile(dir)))).detect(sampleBeats, 5).scores;
    expect(scores.length).toBe(5);
    expect(scores.every(Number.isFinite)).toBe(true);
  });

  it('creates missing parent folders and accepts a trailing slash', () => {
    const dir = path.join(root, 'a', 'b', 'model') + path.sep;
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(loadModelFolder(dir).tensors['encoder.0.bias'].shape).toEqual([4]);
    expect(tree(path.join(root, 'a', 'b'))).toEqual(['model', 'model/model.safetensors']);
  });

  it('replaces a model: one file renamed over the other; by-products listed with their SHA-256', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1));
    const inode = fs.statSync(dir).ino;
    saveModelFolder(dir, smallManifest({ threshold: { value: 0.5, method: 'x' } }), smallTensors(2), { 'plots/a.svg': '<svg/>' });
    expect(fs.statSync(dir).ino).toBe(inode); // the same folder: only its files were replaced
    expect(tree(root)).toEqual(['model', 'model/model.safetensors', 'model/plots', 'model/plots/a.svg']);
    const { manifest: m, tensors: t } = loadModelFolder(dir);
    expect(m.threshold).toEqual({ value: 0.5, method: 'x' });
    expect(m.byProducts).toEqual({ 'plots/a.svg': createHash('sha256').update('<svg/>').digest('hex') });
    expect(t).toEqual(smallTensors(2));
  });

  it('a later save without a by-product removes the earlier one (its bytes prove it ours), and its empty folder', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1), { 'plots/a.svg': '<svg/>', 'report.html': '<html></html>' });
    saveModelFolder(dir, smallManifest(), smallTensors(2), { 'report.html': '<html>2</html>' });
    expect(tree(root)).toEqual(['model', 'model/model.safetensors', 'model/report.html']);
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe('<html>2</html>');
  });

  it('keepByProducts: a save that only changes the manifest keeps the earlier by-products, still provably its own', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1), { 'plots/a.svg': '<svg/>', 'report.html': '<html></html>' });
    saveModelFolder(dir, smallManifest({ threshold: { value: 0.5, method: 'x' } }), smallTensors(1), {}, { keepByProducts: true });
    expect(tree(root)).toEqual(['model', 'model/model.safetensors', 'model/plots', 'model/plots/a.svg', 'model/report.html']);
    expect(Object.keys(loadModelFolder(dir).manifest.byProducts as object).sort()).toEqual(['plots/a.svg', 'report.html']);
    saveModelFolder(dir, smallManifest(), smallTensors(2)); // a later save without them still proves and removes them
    expect(tree(root)).toEqual(['model', 'model/model.safetensors']);
  });

  it('a by-product the user edited is neither overwritten nor removed: the save is refused before it writes', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors(1), { 'report.html': '<html></html>', 'plots/a.svg': '<svg/>' });
    fs.writeFileSync(path.join(dir, 'report.html'), '<html>my notes</html>');
    expect(() => saveModelFolder(dir, smallManifest(), smallTensors(2), { 'report.html': '<html>2</html>' }))
      .toThrow(/holds report\.html, which its model did not write/);
    expect(loadModelFolder(dir).tensors).toEqual(smallTensors(1));
    fs.writeFileSync(path.join(dir, 'plots', 'a.svg'), '<svg>mine</svg>');
    saveModelFolder(dir, smallManifest(), smallTensors(3), {}); // writes no report: the edited files stay
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe('<html>my notes</html>');
    expect(fs.readFileSync(path.join(dir, 'plots', 'a.svg'), 'utf8')).toBe('<svg>mine</svg>');
    expect(loadModelFolder(dir).tensors).toEqual(smallTensors(3));
  });

  it('a failure mid-save leaves the old model untouched and no temp file', () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    const before = loadModelFolder(dir).tensors;
    const broken = { ...smallTensors(), 'encoder.0.bias': { shape: [4], data: new Float32Array(3) } };
    expect(() => saveModelFolder(dir, smallManifest(), broken)).toThrow(/needs 4 values, data has 3/);
    expect(loadModelFolder(dir).tensors).toEqual(before);
    expect(tree(root)).toEqual(['model', 'model/model.safetensors']);
  });

  it('a failed first save leaves nothing at all', () => {
    expect(() => saveModelFolder(path.join(root, 'm'), smallManifest(), { w: { shape: [5], data: new Float32Array(1) } })).toThrow();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('refuses to write a manifest claiming another format version, and extra files outside the folder', () => {
    expect(() => saveModelFolder(path.join(root, 'm'), { formatVersion: 2 }, smallTensors())).toThrow(/formatVersion 2/);
    expect(() => saveModelFolder(path.join(root, 'm'), smallManifest(), smallTensors(), { '../x.svg': '' })).toThrow(/outside the model folder/);
    expect(() => saveModelFolder(path.join(root, 'm'), smallManifest(), smallTensors(), { 'model.safetensors': '' })).toThrow(/overwrite model\.safetensors/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('a folder holding files but no model, a file, a foreign link, another tool\'s model file: refused, kept', () => {
    const dir = () => path.join(root, 'model');
    fs.mkdirSync(dir());
    fs.writeFileSync(path.join(dir(), 'notes.txt'), 'mine');
    expect(() => saveModelFolder(dir(), smallManifest(), smallTensors())).toThrow(/is not a model folder \(no model\.safetensors, and not empty: notes\.txt\)/);
    fs.rmSync(dir(), { recursive: true });
    fs.writeFileSync(dir(), 'x');
    expect(() => checkModelFolderTarget(dir())).toThrow(/exists and is a file/);
    fs.rmSync(dir());
    fs.symlinkSync('elsewhere', dir());
    expect(() => checkModelFolderTarget(dir())).toThrow(/is a symbolic link/);
    fs.rmSync(dir());
    fs.mkdirSync(dir());
    fs.writeFileSync(modelFile(dir()), encodeSafetensors(smallTensors(), { [MANIFEST_KEY]: JSON.stringify({ formatVersion: 1 }) }));
    expect(() => checkModelFolderTarget(dir())).toThrow(/not written by cardiograd/);
    expect(tree(dir())).toEqual(['model.safetensors']);
    fs.rmSync(modelFile(dir()));
    saveModelFolder(dir(), smallManifest(), smallTensors()); // an empty folder is fine
    expect(loadModelFolder(dir()).tensors).toEqual(smallTensors());
  });

  it('temporary files of a killed save are ignored by loading and by the next save, and kept', () => {
    const dir = path.join(root, 'model');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.safetensors.tmp-99999-0123abcd'), 'half a model');
    saveModelFolder(dir, smallManifest(), smallTensors());
    expect(loadModelFolder(dir).tensors).toEqual(smallTensors());
    expect(tree(root)).toEqual(['model', 'model/model.safetensors', 'model/model.safetensors.tmp-99999-0123abcd']);
  });
});

describe('the older two-file layout', () => {
  it('a folder written by the older code (test/fixtures/model-two-files) loads, also through its NAME -> NAME.v-* link', () => {
    const plain = loadModelFolder(TWO_FILE_FIXTURE);
    expect(plain.layout).toBe('two-files');
    expect(plain.manifest.seed).toBe(3);
    expect(plain.tensors).toEqual(smallTensors(3));
    fs.cpSync(TWO_FILE_FIXTURE, path.join(root, 'dense.v-01796299567909-2859-10c2108f'), { recursive: true });
    fs.symlinkSync('dense.v-01796299567909-2859-10c2108f', path.join(root, 'dense'));
    expect(loadModelFolder(path.join(root, 'dense')).tensors).toEqual(smallTensors(3));
  });

  it('a save does not write into it (nothing of it is deleted): refused, naming the layout', () => {
    fs.cpSync(TWO_FILE_FIXTURE, path.join(root, 'dense'), { recursive: true });
    expect(() => saveModelFolder(path.join(root, 'dense'), smallManifest(), smallTensors())).toThrow(/holds a model in the older layout/);
    fs.symlinkSync('dense', path.join(root, 'linked'));
    expect(() => saveModelFolder(path.join(root, 'linked'), smallManifest(), smallTensors())).toThrow(/is a symbolic link/);
    expect(tree(path.join(root, 'dense'))).toEqual(tree(TWO_FILE_FIXTURE));
  });

  it('modelFileBytes joins its two files into one model file that scores the same', () => {
    const joined = detectorFromModelFile(modelFileBytes(TWO_FILE_FIXTURE)).detect(sampleBeats, 5).scores;
    const folder = loadModelFolder(TWO_FILE_FIXTURE);
    const direct = detectorFromModelFile(encodeModelFile(folder.manifest, folder.tensors)).detect(sampleBeats, 5).scores;
    expect(Array.from(joined)).toEqual(Array.from(direct));
  });
});

describe('loadModelFolder errors', () => {
  const dir = () => path.join(root, 'model');
  const save = () => saveTwoFileFolder(dir(), smallManifest(), smallTensors()); // the two-file layout's own errors
  const readManifest = () => JSON.parse(fs.readFileSync(path.join(dir(), 'manifest.json'), 'utf8'));
  const writeManifest = (m: unknown) => fs.writeFileSync(path.join(dir(), 'manifest.json'), JSON.stringify(m));

  it('missing folder', () => {
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" does not exist`);
  });

  it('a missing folder names the versions an older cardiograd kept beside it (.v-*, .old-*), blaming nothing', () => {
    const version = 'model.v-01796299567909-2859-10c2108f';
    saveTwoFileFolder(path.join(root, version), smallManifest(), smallTensors());
    fs.mkdirSync(path.join(root, 'model.old-123-abcd'));
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" does not exist (beside it are folders an older cardiograd saved versions of it in: model.old-123-abcd, ${version}; point --model at one)`);
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
    expect(() => loadModelFolder(dir())).toThrow(`model folder "${dir()}" has no model.safetensors (nor the older layout's manifest.json + weights.safetensors)`);
    saveTwoFileFolder(dir(), smallManifest(), smallTensors());
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

describe('model.safetensors errors', () => {
  const dir = () => path.join(root, 'model');
  const save = () => saveModelFolder(dir(), smallManifest(), smallTensors());

  it('a flipped bit in the tensor data fails the checksum, naming the file', () => {
    save();
    const bytes = fs.readFileSync(modelFile(dir()));
    bytes[bytes.length - 1] ^= 0x01; // the last float: still a valid safetensors file
    fs.writeFileSync(modelFile(dir()), bytes);
    expect(() => loadModelFolder(dir())).toThrow(`${modelFile(dir())}: checksum mismatch`);
  });

  it('a manifest edited in the header fails scoringSha256; weights-only and truncated files are refused by name', () => {
    save();
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(fs.readFileSync(modelFile(dir()))));
    const m = JSON.parse(metadata[MANIFEST_KEY]);
    fs.writeFileSync(modelFile(dir()), encodeModelFile({ ...m, threshold: { ...m.threshold, value: 9 } }, tensors));
    expect(() => loadModelFolder(dir())).toThrow(/model\.safetensors \(metadata "cardiograd\.manifest"\): field "scoringSha256"/);
    fs.writeFileSync(modelFile(dir()), encodeSafetensors(tensors));
    expect(() => loadModelFolder(dir())).toThrow(/model\.safetensors: a safetensors file without a "cardiograd\.manifest" entry/);
    fs.writeFileSync(modelFile(dir()), encodeModelFile(m, tensors).subarray(0, 100));
    expect(() => loadModelFolder(dir())).toThrow(/model\.safetensors: not a safetensors file: header length/);
  });

  it('a model.safetensors that is a directory: an error with the path', () => {
    fs.mkdirSync(modelFile(dir()), { recursive: true });
    expect(() => loadModelFolder(dir())).toThrow(`${modelFile(dir())}: expected a file, found a directory`);
  });
});
