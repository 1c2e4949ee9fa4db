// A trained model a user can move (issue 28 item 1): `train` writes no symbolic link, and a copy
// (cp -r), a move (mv), a tar round trip, a zip round trip and a read-only copy each score the
// test beats exactly like the original.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { loadDetector } from '../../src/cli/model-store.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-portable-'));
const model = path.join(tmp, 'models', 'dense');
const beatsFile = path.join(tmp, 'BEATS.txt');
afterAll(() => {
  execFileSync('chmod', ['-R', 'u+w', tmp]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

let original: number[];
const scores = (dir: string) => {
  const beats = loadBeatFile(beatsFile);
  return Array.from(loadDetector(dir).detector.detect(beats.beats, beats.n).scores);
};

beforeAll(() => {
  fs.writeFileSync(beatsFile, fs.readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, 60).join('\n') + '\n');
  const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--out', model]); // with plots and report: by-products too
  expect(r.code, r.stderr).toBe(0);
  original = scores(model);
}, 300_000);

/** Every path under `dir`, relative, each with whether it is a symbolic link. */
function entries(dir: string): { rel: string; link: boolean }[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .map((rel) => ({ rel, link: fs.lstatSync(path.join(dir, rel)).isSymbolicLink() }));
}

describe('a model folder moves like any folder', () => {
  it('train writes no symbolic link: the model file plus its by-products, in one plain folder', () => {
    const all = entries(path.join(tmp, 'models'));
    expect(all.filter((e) => e.link)).toEqual([]);
    expect(all.map((e) => e.rel)).toEqual(expect.arrayContaining(['dense', 'dense/model.safetensors', 'dense/report.html', 'dense/plots/loss.svg']));
    expect(fs.readdirSync(path.join(tmp, 'models'))).toEqual(['dense']);
    expect(original.every(Number.isFinite)).toBe(true);
  });

  it('cp -r, then mv: each scores exactly like the original', () => {
    execFileSync('cp', ['-r', model, path.join(tmp, 'copy')]);
    expect(scores(path.join(tmp, 'copy'))).toEqual(original);
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    execFileSync('mv', [path.join(tmp, 'copy'), path.join(tmp, 'elsewhere', 'moved')]);
    expect(scores(path.join(tmp, 'elsewhere', 'moved'))).toEqual(original);
  });

  it('tar then untar elsewhere (the folder itself, not a link), and zip then unzip', () => {
    const archive = path.join(tmp, 'dense.tar');
    execFileSync('tar', ['-cf', archive, '-C', path.dirname(model), 'dense']);
    const out = path.join(tmp, 'untarred');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    expect(entries(path.join(out, 'dense')).map((e) => e.rel)).toEqual(entries(model).map((e) => e.rel));
    expect(scores(path.join(out, 'dense'))).toEqual(original);

    const files: Record<string, Uint8Array> = {};
    for (const { rel } of entries(model)) if (fs.statSync(path.join(model, rel)).isFile()) files[`dense/${rel}`] = new Uint8Array(fs.readFileSync(path.join(model, rel)));
    const unzipped = unzipSync(zipSync(files));
    const zdir = path.join(tmp, 'unzipped');
    for (const [name, bytes] of Object.entries(unzipped)) {
      fs.mkdirSync(path.dirname(path.join(zdir, name)), { recursive: true });
      fs.writeFileSync(path.join(zdir, name), bytes);
    }
    expect(Object.keys(unzipped)).toContain('dense/model.safetensors');
    expect(scores(path.join(zdir, 'dense'))).toEqual(original);
  });

  it('a read-only copy (chmod -R a-w) loads and scores the same, through the CLI too', () => {
    const ro = path.join(tmp, 'read-only');
    execFileSync('cp', ['-r', model, ro]);
    execFileSync('chmod', ['-R', 'a-w', ro]);
    expect(scores(ro)).toEqual(original);
    const det = runCli('detect', ['--model', ro, beatsFile, '--json']);
    expect(det.code, det.stderr).toBe(0);
    expect(det.json.beats.map((b: { score: number }) => b.score)).toEqual(original);
  });
});
