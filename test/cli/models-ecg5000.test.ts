// Issue 4's acceptance: VAE, LSTM and Conv1D autoencoders on the ECG5000 official split with
// default settings, seed 0, thresholds from training errors only. Each also round-trips its
// model folder through evaluate.

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest } from '../helpers/model-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-models-'));
const floors = { vae: 0.98, lstm: 0.97, conv: 0.97 } as const;

describe('VAE, LSTM and Conv1D autoencoders on ECG5000 (defaults, seed 0)', () => {
  for (const [kind, aucFloor] of Object.entries(floors)) {
    it(`${kind}: ROC-AUC >= ${aucFloor} and F1 >= 0.95; evaluate reproduces the metrics`, () => {
      const out = path.join(tmp, kind);
      const r = runCli('train', ['--model', kind, '--data', ECG5000_DIR, '--seed', '0', '--out', out, '--json', '--no-plots'], { timeoutMs: 1_500_000 });
      expect(r.code, r.stderr).toBe(0);
      console.log(`${kind}: AUC ${r.json.metrics.rocAuc.toFixed(4)} F1 ${r.json.metrics.f1.toFixed(4)} epochs ${r.json.epochs} train ${r.json.trainSeconds.toFixed(1)} s`);
      expect(r.json.metrics.rocAuc).toBeGreaterThanOrEqual(aucFloor);
      expect(r.json.metrics.f1).toBeGreaterThanOrEqual(0.95);
      const manifest = readManifest(out);
      expect(manifest.architecture.kind).toBe(kind);
      const ev = runCli('evaluate', ['--model', out, '--data', ECG5000_DIR, '--json']);
      expect(ev.code, ev.stderr).toBe(0);
      expect(ev.json.rocAuc).toBe(r.json.metrics.rocAuc);
      expect(ev.json.confusion).toEqual(r.json.metrics.confusion);
    }, 1_600_000);
  }

  it('VAE Monte-Carlo scoring: seeded, saved with the model, reproduced by evaluate', () => {
    const out = path.join(tmp, 'vae-mc');
    const r = runCli('train', ['--model', 'vae', '--data', ECG5000_DIR, '--score-samples', '8', '--epochs', '20', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.scoring).toEqual({ kind: 'monte-carlo', samples: 8, seed: 0 });
    const ev = runCli('evaluate', ['--model', out, '--data', ECG5000_DIR, '--json']);
    expect(ev.json.rocAuc).toBe(r.json.metrics.rocAuc);
    // The latent means are exported for plotting: one row per test beat.
    expect(readFileSync(path.join(out, 'plots', 'latent-means.csv'), 'utf8').trim().split('\n')).toHaveLength(4501);
    expect(runCli('train', ['--model', 'dense', '--score-samples', '8', '--epochs', '1']).code).toBe(2);
  });
});
