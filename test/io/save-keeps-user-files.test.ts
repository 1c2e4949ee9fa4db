// A save removes only what it provably wrote (issue 28's three reproductions): a user's
// look-alike siblings, a `cp -r` backup of the link, and a model moved away all survive.
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

describe('a save deletes nothing it did not write', () => {
  it("keeps a user's NAME.v-2 and NAME.tmp-keep folders", () => {
    const models = fresh('lookalike');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    for (const n of ['dense.v-2', 'dense.tmp-keep', 'dense.link-x']) {
      fs.mkdirSync(path.join(models, n));
      fs.writeFileSync(path.join(models, n, 'mine.txt'), 'user data');
    }
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    for (const n of ['dense.v-2', 'dense.tmp-keep', 'dense.link-x']) {
      expect(fs.readFileSync(path.join(models, n, 'mine.txt'), 'utf8')).toBe('user data');
    }
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
  });

  it('a cp -r backup of the model still loads after the next save', () => {
    const models = fresh('backup');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    execFileSync('cp', ['-r', dir, path.join(models, 'dense-backup')]);
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    const backup = loadModelFolder(path.join(models, 'dense-backup'));
    expect(backup.manifest.seed).toBe(1);
    expect(backup.tensors).toEqual(smallTensors(1));
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
  });

  it('after mv of the model, the next save to the old name keeps the moved version', () => {
    const models = fresh('moved');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    const version = fs.readlinkSync(dir);
    fs.renameSync(dir, path.join(models, 'dense-moved'));
    expect(() => loadModelFolder(dir)).toThrow(/left by an interrupted save or a move/);
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    expect(fs.existsSync(path.join(models, version))).toBe(true);
    expect(loadModelFolder(path.join(models, version)).manifest.seed).toBe(1);
    expect(loadModelFolder(path.join(models, 'dense-moved')).manifest.seed).toBe(1);
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
  });
});

describe('files evaluate --report adds', () => {
  it('a folder holding report-<data>.html is still replaceable; a user file beside it is not', () => {
    const models = fresh('reports');
    const dir = path.join(models, 'dense');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    fs.writeFileSync(path.join(dir, 'report-ECG5000_TEST.html'), '<html></html>');
    saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2));
    expect(loadModelFolder(dir).manifest.seed).toBe(2);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(() => saveModelFolder(dir, smallManifest({ seed: 3 }), smallTensors(3))).toThrow(/did not write \(notes\.txt\)/);
  });
});
