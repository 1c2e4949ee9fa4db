// `train` on an ECG200-sized UCR file (70 normal beats) cross-fits: the manifest records the
// out-of-fold errors and what they are, `npm run threshold` lists the oof- rules and a false-alarm
// column on those errors, and an oof- rule where no out-of-fold errors will exist is refused
// before any training time is spent.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { percentile } from '../../src/detect/thresholds.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest } from '../helpers/model-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-crossfit-'));
const model = path.join(tmp, 'dense');
const trainFile = path.join(tmp, 'SMALL_TRAIN.txt'), testFile = path.join(tmp, 'SMALL_TEST.txt');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** UCR text rows (label first) of the beats picked by `keep`, at most `n` of them. */
function ucrRows(file: string, keep: (label: string) => boolean, n: number): string[] {
  const set = loadBeatFile(file);
  const rows: string[] = [];
  for (let i = 0; i < set.n && rows.length < n; i++) {
    if (keep(set.labels[i])) rows.push([set.labels[i], ...set.beats.subarray(i * set.length, (i + 1) * set.length)].join(' '));
  }
  return rows;
}

beforeAll(() => {
  writeFileSync(trainFile, ucrRows(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), (l) => l === '1', 70).join('\n') + '\n');
  const test = path.join(ECG5000_DIR, 'ECG5000_TEST.txt');
  writeFileSync(testFile, [...ucrRows(test, (l) => l === '1', 64), ...ucrRows(test, (l) => l !== '1', 36)].join('\n') + '\n');
  const r = runCli('train', ['--train', trainFile, '--test', testFile, '--epochs', '5', '--no-plots', '--out', model, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/cross-fitted 5 extra models on the 63 training beats/);
  expect(r.stdout).toMatch(/out-of-fold errors above it: \d+\.\d% \(63 training beats, each scored by a cross-fitted model that never saw it\)/);
  const oof: number[] = readManifest(model).training.errorValues.outOfFold;
  expect(r.json.outOfFoldFalseAlarmRate).toBe(oof.filter((e) => e > r.json.threshold).length / 63);
}, 300_000);

describe('train on 70 normal beats', () => {
  it('stores the out-of-fold errors of the 63 fitted beats and says what they are', () => {
    const m = readManifest(model);
    expect(m.training.counts).toEqual({ normalBeats: 70, train: 63, validation: 7 });
    expect(m.training.errorValues.outOfFold).toHaveLength(63);
    expect(m.training.crossFit).toMatchObject({ folds: 5 });
    expect(m.training.crossFit.errors).toMatch(/never saw it/);
    expect(m.threshold.method).toBe('min(median+5mad,heldout-max) of training and held-out errors');
  });

  it('npm run threshold lists the oof- rules with a false-alarm rate on the out-of-fold errors', () => {
    const r = runCli('threshold', ['--model', model, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/on the out-of-fold errors of 63 training beats \(5 cross-fitted models/);
    const oof = Float64Array.from(readManifest(model).training.errorValues.outOfFold as number[]);
    const p95 = r.json.rules.find((x: any) => x.rule === 'oof-p95');
    expect(p95.threshold).toBeCloseTo(percentile(oof, 95), 5);
    expect(p95.outOfFoldFalseAlarmRate).toBe(oof.filter((e) => e > p95.threshold).length / 63);
    expect(r.stdout).toMatch(/oof-p95 \+/);
  });

  it('--threshold oof-p95 after training reads the stored out-of-fold errors', () => {
    const r = runCli('evaluate', ['--model', model, '--test', testFile, '--json', '--threshold', 'oof-p95']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.threshold).toBeCloseTo(percentile(readManifest(model).training.errorValues.outOfFold, 95), 5);
  });
});

describe('refused before training', () => {
  it('an oof- rule with --cross-fit 0, or on a set of 200+ fitted beats', () => {
    const off = runCli('train', ['--train', trainFile, '--cross-fit', '0', '--threshold', 'oof-p95', '--out', path.join(tmp, 'x')]);
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/reads out-of-fold errors.*63 fitted normal beats.*--cross-fit is 0/);
    const large = runCli('train', ['--data', ECG5000_DIR, '--threshold', 'oof-p95', '--out', path.join(tmp, 'y')]);
    expect(large.code).toBe(2);
    expect(large.stderr).toMatch(/263 fitted normal beats; train cross-fits dense and vae models under 200/);
    expect(runCli('train', ['--train', trainFile, '--cross-fit', '1', '--out', path.join(tmp, 'z')]).stderr).toMatch(/2 or more folds/);
    expect(runCli('train', ['--train', trainFile, '--cross-fit', '64', '--out', path.join(tmp, 'z')]).stderr).toMatch(/only 63 normal beats are fitted/);
  }, 120_000);

  it('the LSTM and Conv1D cross-fit only when asked (4.6-4.9x their training time), and say so when an oof- rule needs it', () => {
    const lstm = path.join(tmp, 'lstm');
    const plain = runCli('train', ['--model', 'lstm', '--train', trainFile, '--epochs', '1', '--no-plots', '--out', lstm]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/cross-fitted/);
    expect(readManifest(lstm).training.crossFit ?? null).toBeNull();
    const refused = runCli('train', ['--model', 'lstm', '--train', trainFile, '--threshold', 'oof-p95', '--out', path.join(tmp, 'l2')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/63 fitted normal beats; train cross-fits dense and vae models under 200\): pass --cross-fit K/);
    const asked = runCli('train', ['--model', 'conv', '--train', trainFile, '--epochs', '1', '--cross-fit', '2', '--no-plots', '--out', path.join(tmp, 'conv')]);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toMatch(/cross-fitted 2 extra models on the 56 training beats/); // the Conv1D holds out 20%
  }, 120_000);

  it('--help says what happens on small sets', () => {
    const r = runCli('train', ['--help']);
    expect(r.stdout).toMatch(/--cross-fit K\s+small sets: under 200 fitted normal beats train of a dense or vae model also fits K = 5 extra models/);
  });
});
