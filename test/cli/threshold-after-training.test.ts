// --threshold RULE|VALUE on detect, evaluate and serve, and `npm run threshold`, on one model
// trained here (3 epochs of ECG5000 with a held-out split, so the manifest stores both sets of errors).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';
import { DEFAULT_THRESHOLD, percentile } from '../../src/detect/thresholds.ts';
import { readManifest, rewriteManifest } from '../helpers/model-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-threshold-'));
const model = path.join(tmp, 'dense');
const test = path.join(ECG5000_DIR, 'ECG5000_TEST.txt');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '3', '--no-plots', '--val-fraction', '0.2', '--out', model]);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);

const manifest = () => readManifest(model);

describe('--threshold after training', () => {
  it('the manifest stores every training and held-out error', () => {
    const m = manifest();
    expect(m.training.errorValues.train.length).toBe(m.training.trainErrors.count);
    expect(m.training.errorValues.heldOut.length).toBeGreaterThan(0);
  });

  it('detect: the saved rule reproduces the saved threshold; p95 and a number replace it', () => {
    const m = manifest();
    const same = runCli('detect', ['--model', model, test, '--json', '--threshold', DEFAULT_THRESHOLD]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.json.threshold).toBeCloseTo(m.threshold.value, 5);
    const p95 = runCli('detect', ['--model', model, test, '--json', '--threshold', 'p95']);
    expect(p95.json.threshold).toBeCloseTo(percentile(m.training.errorValues.train, 95), 5);
    const fixed = runCli('detect', ['--model', model, test, '--json', '--threshold', '1e9']);
    expect(fixed.json.threshold).toBe(1e9);
    expect(fixed.json.flagged).toBe(0);
    expect(p95.json.flagged).toBeGreaterThan(0);
    const bad = runCli('detect', ['--model', model, test, '--threshold', 'p101']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threshold.*percentile 101/);
  }, 120_000);

  it('evaluate: a lower threshold raises recall', () => {
    const high = runCli('evaluate', ['--model', model, '--test', test, '--json', '--threshold', 'max']);
    const low = runCli('evaluate', ['--model', model, '--test', test, '--json', '--threshold', 'p90']);
    expect(high.code, high.stderr).toBe(0);
    expect(low.json.recall).toBeGreaterThan(high.json.recall);
    expect(low.json.thresholdMethod).toBe('p90 of training errors (set by --threshold)');
    expect(runCli('evaluate', ['--help']).stdout).toMatch(/--threshold RULE\|VALUE/);
  }, 120_000);

  it('a model that stores only the error summary takes p95 but refuses a MAD rule', () => {
    const old = path.join(tmp, 'old');
    const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--no-plots', '--out', old]);
    expect(r.code, r.stderr).toBe(0);
    const m = readManifest(old);
    delete m.training.errorValues;
    rewriteManifest(old, () => m); // not a scoring field: still loads
    const p95 = runCli('detect', ['--model', old, test, '--json', '--threshold', 'p95']);
    expect(p95.code, p95.stderr).toBe(0);
    expect(p95.json.threshold).toBeCloseTo(m.training.trainErrors.p95, 6);
    const mad = runCli('detect', ['--model', old, test, '--threshold', 'median+9mad']);
    expect(mad.code).toBe(2);
    expect(mad.stderr).toMatch(/only a summary/);
  }, 120_000);

  it('serve answers with the --threshold value', async () => {
    const child = spawn(`${REPO}node_modules/.bin/tsx`, [`${REPO}src/cli/serve.ts`, '--model', model, '--port', '0',
      '--workers', '1', '--log', 'none', '--threshold', '0.25'], { cwd: REPO });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => { out += d; if (/ready\n/.test(out)) resolve(); });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const port = /127\.0\.0\.1:(\d+)/.exec(out)![1];
      const beat = readFileSync(test, 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const res = await fetch(`http://127.0.0.1:${port}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ beats: [beat] }) });
      expect(res.status).toBe(200);
      expect((await res.json()).threshold).toBeCloseTo(0.25, 6);
    } finally { child.kill('SIGTERM'); }
  }, 60_000);
});

describe('npm run threshold', () => {
  it('lists every rule with false alarms on the held-out beats, and P/R/F1 with labels', () => {
    const r = runCli('threshold', ['--model', model, '--data', test, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = manifest();
    const held: number[] = m.training.errorValues.heldOut;
    expect(r.json.falseAlarmsOn).toBe(`${held.length} held-out normal beats`);
    const p95 = r.json.rules.find((x: any) => x.rule === 'p95');
    expect(p95.falseAlarmRate).toBeCloseTo(held.filter((e) => e > p95.threshold).length / held.length, 10);
    const saved = r.json.rules.find((x: any) => x.rule === DEFAULT_THRESHOLD);
    expect(saved.threshold).toBeCloseTo(m.threshold.value, 5);
    // heldout-max reads the held-out beats: none of them is above it, and the table says so.
    expect(r.json.rules.find((x: any) => x.rule === 'heldout-max').falseAlarmRate).toBe(0);
    expect(r.stdout).toMatch(/heldout-max \*/);
    for (const row of r.json.rules) expect(row.f1).toBeGreaterThanOrEqual(0);
    expect(r.json.best.f1).toBeGreaterThanOrEqual(Math.max(...r.json.rules.map((x: any) => x.f1)) - 1e-9);
    expect(r.stdout).toMatch(/median\+9mad/);
  }, 120_000);
});
