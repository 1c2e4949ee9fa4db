// A save deletes nothing it did not write itself (issue 28's three reproductions). With the
// model in one file inside NAME/, a save touches nothing beside NAME: a user's look-alike
// siblings, a `cp -r` backup and a model moved away all survive, byte for byte, and a save
// makes no sibling of its own. Each of these failed on the NAME -> NAME.v-* link layout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFolder, saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { smallManifest, smallTensors } from './small-model.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-keep-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  return dir;
}

/** Every file under `dir` with its bytes, and any symbolic link: a snapshot to compare. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const st = fs.lstatSync(path.join(dir, rel));
    if (st.isSymbolicLink()) out[rel] = `link -> ${fs.readlinkSync(path.join(dir, rel))}`;
    else if (st.isFile()) out[rel] = fs.readFileSync(path.join(dir, rel)).toString('base64');
  }
  return out;
}

describe('a save deletes nothing it did not write', () => {
  it("keeps a user's models/dense.v-2 and models/dense.tmp-keep, and makes no sibling of its own", () => {
    const models = fresh('lookalike');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    for (const n of ['dense.v-2', 'dense.tmp-keep', 'dense.link-x', 'dense.v-00000000000001-1-0123abcd']) {
      fs.mkdirSync(path.join(models, n));
      fs.writeFileSync(path.join(models, n, 'mine.txt'), 'user data');
    }
    const before = snapshot(models);
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    saveModelFolder(dir, smallManifest({ seed: 3 }), smallTensors(3));
    expect(fs.readdirSync(models).sort()).toEqual(['dense', 'dense.link-x', 'dense.tmp-keep', 'dense.v-00000000000001-1-0123abcd', 'dense.v-2']);
    const after = snapshot(models);
    for (const [rel, bytes] of Object.entries(before)) if (!rel.startsWith('dense/')) expect(after[rel]).toBe(bytes);
    expect(loadModelFolder(dir).manifest.seed).toBe(3);
  });

  it('a user file inside the model folder is kept by later saves', () => {
    const dir = path.join(fresh('inside'), 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(dir, 'model.safetensors.tmp-keep'), 'mine too');
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2), { 'plots/a.svg': '<svg/>' });
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readFileSync(path.join(dir, 'model.safetensors.tmp-keep'), 'utf8')).toBe('mine too');
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
  });

  it('cp -r models/dense models/dense-backup: a real copy, which loads as before after the next save', () => {
    const models = fresh('backup');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1), { 'plots/a.svg': '<svg>1</svg>' });
    execFileSync('cp', ['-r', dir, path.join(models, 'dense-backup')]);
    const backup = snapshot(path.join(models, 'dense-backup'));
    expect(Object.values(backup).some((v) => v.startsWith('link'))).toBe(false);
    expect(fs.lstatSync(path.join(models, 'dense-backup')).isDirectory()).toBe(true);
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    expect(snapshot(path.join(models, 'dense-backup'))).toEqual(backup);
    const loaded = loadModelFolder(path.join(models, 'dense-backup'));
    expect(loaded.manifest.seed).toBe(1);
    expect(loaded.tensors).toEqual(smallTensors(1));
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
    expect(fs.readdirSync(models).sort()).toEqual(['dense', 'dense-backup']);
  });

  it('after mv models/dense elsewhere: an honest "does not exist", and the next save deletes nothing', () => {
    const models = fresh('moved');
    const elsewhere = fresh('elsewhere');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1), { 'plots/a.svg': '<svg>1</svg>' });
    execFileSync('mv', [dir, path.join(elsewhere, 'dense')]);
    const moved = snapshot(elsewhere);
    let message = '';
    try { loadModelFolder(dir); } catch (e) { message = (e as Error).message; }
    expect(message).toBe(`model folder "${dir}" does not exist`); // no "interrupted save", no leftover to point at
    expect(fs.readdirSync(models)).toEqual([]);
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    expect(snapshot(elsewhere)).toEqual(moved);
    expect(loadModelFolder(path.join(elsewhere, 'dense')).manifest.seed).toBe(1);
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
    expect(fs.readdirSync(models)).toEqual(['dense']);
  });
});

describe('files evaluate --report adds', () => {
  it('a folder holding report-<data>.html is still replaceable, and the page is kept', () => {
    const dir = path.join(fresh('reports'), 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    fs.writeFileSync(path.join(dir, 'report-ECG5000_TEST.html'), '<html></html>');
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'report-ECG5000_TEST.html'), 'utf8')).toBe('<html></html>');
  });
});
