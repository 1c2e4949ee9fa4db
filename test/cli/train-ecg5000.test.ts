// The main job's acceptance on the real ECG5000 official split (../shared/data/ecg5000):
// default settings, train on the 292 normal beats of ECG5000_TRAIN, score all 4500 test beats,
// threshold chosen from training errors only. Median over seeds 0, 1, 2.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD } from '../../src/detect/thresholds.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest, readTensors } from '../helpers/model-files.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-train-'));

describe('npm run train on ECG5000 (dense, defaults)', () => {
  const runs = [0, 1, 2].map((seed) => ({ seed, out: path.join(tmp, `dense-${seed}`) }));
  const results: any[] = [];

  it('median ROC-AUC >= 0.98 and F1 >= 0.95 over seeds 0, 1, 2', () => {
    for (const { seed, out } of runs) {
      const r = runCli('train', ['--data', ECG5000_DIR, '--seed', String(seed), '--out', out, '--json', '--no-plots']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.metrics.confusion.tp + r.json.metrics.confusion.fp + r.json.metrics.confusion.tn + r.json.metrics.confusion.fn).toBe(4500);
      results.push(r.json);
    }
    const auc = median(results.map((r) => r.metrics.rocAuc));
    const f1 = median(results.map((r) => r.metrics.f1));
    console.log(`dense ECG5000 seeds 0-2: AUC ${results.map((r) => r.metrics.rocAuc.toFixed(4))}, F1 ${results.map((r) => r.metrics.f1.toFixed(4))}`);
    expect(auc).toBeGreaterThanOrEqual(0.98);
    expect(f1).toBeGreaterThanOrEqual(0.95);
  });

  it('same command, same seed: the same metrics and weights, bit for bit', () => {
    const again = runCli('train', ['--data', ECG5000_DIR, '--seed', '0', '--out', path.join(tmp, 'dense-0-again'), '--json', '--no-plots']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.metrics).toEqual(results[0].metrics);
    expect(again.json.threshold).toBe(results[0].threshold);
    // The weights bit for bit (the file also holds the manifest, whose save time and training time differ).
    expect(encodeSafetensors(readTensors(path.join(tmp, 'dense-0-again')))).toEqual(encodeSafetensors(readTensors(runs[0].out)));
  });

  it('evaluate and detect read the saved model folder', () => {
    const ev = runCli('evaluate', ['--model', runs[0].out, '--data', ECG5000_DIR, '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    for (const key of ['rocAuc', 'prAuc', 'f1', 'precision', 'recall', 'accuracy', 'threshold']) expect(typeof ev.json[key]).toBe('number');
    expect(ev.json.rocAuc).toBe(results[0].metrics.rocAuc); // same scores as at training time
    expect(ev.json.confusion).toEqual(results[0].metrics.confusion);

    // detect on a small file: the first 5 test beats.
    const lines = readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, 5).join('\n') + '\n';
    const few = path.join(tmp, 'FEW.txt');
    writeFileSync(few, lines);
    const det = runCli('detect', ['--model', runs[0].out, few, '--json']);
    expect(det.code, det.stderr).toBe(0);
    expect(det.json.beats).toHaveLength(5);
    for (const b of det.json.beats) expect(b.flag).toBe(b.score > det.json.threshold);
  });

  it('the manifest records architecture, scaler, threshold, history, metrics and data checksums', () => {
    const manifest = readManifest(runs[0].out);
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.architecture).toEqual({ kind: 'dense', length: 140, hidden: [64, 32, 16] });
    expect(manifest.threshold.method).toBe(`${DEFAULT_THRESHOLD} of training and held-out errors`);
    expect(manifest.training.history.length).toBe(manifest.training.epochs);
    expect(manifest.data.files.map((f: any) => f.sha256)).toEqual([
      '0d96aff193311a6dc6111bf0dbd2f7d2313987fbf7a1da4a383d92563876057b',
      'baf4ad57d28daa5e79050edd4185968181762bc83d45a757753015b4ba8ab295',
    ]);
    expect(readdirSync(runs[0].out)).toEqual(['model.safetensors']); // --no-plots: the model file alone
  });
});
