// Runs kept and compared (issue 28 item 3): `npm run runs -- DIR` lists every saved model with
// its settings, the training file's SHA-256 and its test metrics, read from the manifests; an
// older two-file folder is listed too, a corrupt model is named on stderr, other folders are skipped.

import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest } from '../helpers/model-files.ts';
import { TWO_FILE_FIXTURE } from '../io/two-file-model.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-runs-'));
const models = path.join(tmp, 'models');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const a = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--no-plots', '--out', path.join(models, 'a')]);
  expect(a.code, a.stderr).toBe(0);
  const b = runCli('train', ['--data', ECG5000_DIR, '--epochs', '3', '--seed', '4', '--lr', '0.002', '--batch', '64', '--no-plots', '--out', path.join(models, 'b')]);
  expect(b.code, b.stderr).toBe(0);
  cpSync(TWO_FILE_FIXTURE, path.join(models, 'old'), { recursive: true });
  mkdirSync(path.join(models, 'notes'));
  writeFileSync(path.join(models, 'notes', 'todo.txt'), 'not a model');
  mkdirSync(path.join(models, 'broken'));
  writeFileSync(path.join(models, 'broken', 'model.safetensors'), 'not safetensors');
}, 300_000);

describe('npm run runs', () => {
  it('lists the runs side by side with their settings, data checksum and test metrics', () => {
    const r = runCli('runs', [models, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped broken: .*model\.safetensors: not a safetensors file/);
    const byName = Object.fromEntries(r.json.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'b', 'old']);
    const trainSha = createHash('sha256').update(readFileSync(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'))).digest('hex');
    const mb = readManifest(path.join(models, 'b'));
    expect(byName.b).toMatchObject({ kind: 'dense', seed: 4, lr: 0.002, batch: 64, epochs: mb.training.epochs, maxEpochs: 3,
      backend: mb.training.options.backend, trainSha256: trainSha, rocAuc: mb.metrics.rocAuc, f1: mb.metrics.f1,
      threshold: mb.threshold.value, saved: mb.savedAt });
    expect(byName.a).toMatchObject({ seed: 0, lr: 0.003, batch: 32, maxEpochs: 2, trainSha256: trainSha });
    expect(byName.old).toMatchObject({ kind: 'dense', seed: 3, rocAuc: null });
    expect(Date.parse(byName.old.saved)).toBeGreaterThan(0); // the older layout has no savedAt: the file's time

    const table = runCli('runs', [models]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^name\s+kind\s+saved \(UTC\)\s+seed\s+lr\s+batch\s+epochs\s+backend\s+train sha256\s+ROC-AUC\s+F1\s+threshold$/);
    const rowB = lines.find((l) => l.startsWith('b '))!;
    expect(rowB).toContain(trainSha.slice(0, 12));
    expect(rowB).toContain(mb.metrics.rocAuc.toFixed(4));
    expect(rowB).toMatch(/\s4\s+0\.002\s+64\s+\d+\/3\s/);
  });

  it('a folder that is itself a model lists that one run; a missing folder is an error', () => {
    const one = runCli('runs', [path.join(models, 'a'), '--json']);
    expect(one.json.map((x: { name: string }) => x.name)).toEqual(['a']);
    const missing = runCli('runs', [path.join(tmp, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
  });
});
