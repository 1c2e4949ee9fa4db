// `train` with the selected default threshold and the pooled-split flags (issue 12), run as a
// user runs it: it prints the false-alarm rate on held-out normal beats, and that rate is what
// the saved model gives on exactly those beats; --pool-split reproduces the TensorFlow recipe.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { loadDetector } from '../../src/cli/model-store.ts';
import { selectRows, splitValidation, type BeatSet } from '../../src/data/dataset.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { pooledSplit } from '../../src/data/pooled-split.ts';
import { DEFAULT_THRESHOLD } from '../../src/detect/thresholds.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-select-train-'));
const trainFile = loadBeatFile(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'));
const testFile = loadBeatFile(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'));

/** Share of the held-out normal beats (train's own seeded 10% hold-out) the saved model flags. */
function heldOutRate(modelDir: string, trainSet: BeatSet, seed: number): { rate: number; n: number } {
  const { detector } = loadDetector(modelDir);
  const normals = selectRows(trainSet, (l) => l === '1');
  const { validation } = splitValidation(normals, 0.1, `${seed}:split`);
  const flags = detector.detect(validation.beats, validation.n).flags;
  return { rate: flags.reduce((s: number, f: number | boolean) => s + (f ? 1 : 0), 0) / validation.n, n: validation.n };
}

const printedRate = (stdout: string) => Number(/held-out normal beats above it: ([\d.]+)%/.exec(stdout)?.[1]);

describe('train: default threshold and held-out false alarms', () => {
  it('official split: prints the rule and the held-out false-alarm rate the saved model reproduces', () => {
    const out = path.join(tmp, 'official');
    const r = runCli('train', ['--data', ECG5000_DIR, '--seed', '1', '--epochs', '30', '--out', out, '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(${DEFAULT_THRESHOLD} of training and held-out errors)`);
    expect(r.json.thresholdMethod).toBe(`${DEFAULT_THRESHOLD} of training and held-out errors`);
    const { rate, n } = heldOutRate(out, trainFile, 1);
    expect(n).toBe(29);
    expect(r.json.heldOutFalseAlarmRate).toBeCloseTo(rate, 12);
    expect(printedRate(r.stdout)).toBeCloseTo(100 * rate, 1);
  });

  it('--pool-split 0.2 --split-seed 2: trains on 80% of the pooled 5000 beats and tests on the other 1000', () => {
    const out = path.join(tmp, 'pooled');
    const r = runCli('train', ['--data', ECG5000_DIR, '--pool-split', '0.2', '--split-seed', '2', '--seed', '0',
      '--epochs', '5', '--patience', '0', '--out', out, '--no-plots', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = r.json.metrics.confusion;
    expect(c.tp + c.fp + c.tn + c.fn).toBe(1000);
    const split = pooledSplit(trainFile, testFile, 0.2, 2);
    expect(r.json.metrics.confusion.tp + r.json.metrics.confusion.fn).toBe(split.test.labels.filter((l) => l !== '1').length);
    expect(r.stderr).toMatch(/pooled ECG5000_TRAIN.txt \+ ECG5000_TEST.txt, split seed 2/);
    const { rate, n } = heldOutRate(out, split.train, 0);
    expect(n).toBe(Math.round(0.1 * split.train.labels.filter((l) => l === '1').length));
    expect(r.json.heldOutFalseAlarmRate).toBeCloseTo(rate, 12);
    const manifest = loadDetector(out).manifest;
    expect(manifest.training.options).toMatchObject({ poolSplit: 0.2, splitSeed: 2, threshold: DEFAULT_THRESHOLD });
  });

  it('rejects --split-seed without --pool-split, and a zero or whole pool split', () => {
    expect(runCli('train', ['--data', ECG5000_DIR, '--split-seed', '1']).stderr).toMatch(/--split-seed needs --pool-split/);
    for (const bad of ['0', '1', 'x']) {
      const r = runCli('train', ['--data', ECG5000_DIR, '--pool-split', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--pool-split/);
    }
  });
});
