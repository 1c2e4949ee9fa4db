// `npm run threshold -- --model DIR --write RULE|VALUE` (issue 28 item 2): the saved threshold
// changes through one atomic replace of model.safetensors; weights and by-products are kept; a bad
// rule changes nothing.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { percentile } from '../../src/detect/thresholds.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';
import { readManifest, readTensors } from '../helpers/model-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-threshold-write-'));
const model = path.join(tmp, 'dense');
const test = path.join(ECG5000_DIR, 'ECG5000_TEST.txt');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--out', model]);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);

const read = (name: string) => readFileSync(path.join(model, name));
const manifest = () => readManifest(model);
const weights = () => encodeSafetensors(readTensors(model));

describe('threshold --write', () => {
  it('writes a rule: detect uses it, the weights and the other files are unchanged, nothing is left over', () => {
    const before = manifest();
    const weightsBefore = weights();
    const others = Object.keys(before.byProducts);
    expect(others.length).toBeGreaterThan(0); // the report and plots
    const contents = Object.fromEntries(others.map((f) => [f, read(f)]));

    const r = runCli('threshold', ['--model', model, '--write', 'p95', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const expected = percentile(before.training.errorValues.train, 95);
    expect(r.json.written.value).toBeCloseTo(expected, 6);
    expect(r.json.previous.value).toBe(before.threshold.value);
    const after = manifest();
    expect(after.threshold).toEqual({ value: r.json.written.value, method: 'p95 of training errors (written by npm run threshold)' });
    expect(weights()).toEqual(weightsBefore);
    // The plots are kept byte for byte; report.html gains a banner naming both thresholds.
    for (const f of others.filter((n) => n !== 'report.html')) expect(read(f).equals(contents[f]), f).toBe(true);
    const report = read('report.html').toString('utf8');
    expect(report).toMatch(/Threshold changed after this report was drawn: now <b>[\d.e+-]+<\/b> \(p95 of training errors/);
    expect(report).toContain(`use the earlier ${before.threshold.value.toPrecision(5)}`);
    expect(report.replace(/<div class="threshold-changed"[^>]*>[\s\S]*?<\/div>/, '')).toBe(contents['report.html'].toString('utf8'));
    expect(Object.keys(after.byProducts).sort()).toEqual(Object.keys(before.byProducts).sort());
    expect(after.reportThreshold).toEqual(before.threshold);
    expect(readdirSync(model, { recursive: true, encoding: 'utf8' }).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(tmp)).toEqual(['dense']);

    const d = runCli('detect', ['--model', model, test, '--json']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.json.threshold).toBe(after.threshold.value);
  }, 120_000);

  it('writes a number; a bad rule exits 2 and leaves the model as it was', () => {
    expect(runCli('threshold', ['--model', model, '--write', '0.25']).code).toBe(0);
    expect(manifest().threshold.value).toBe(0.25);
    // A second write replaces the banner (one banner, the figures' threshold still the training one).
    const report = read('report.html').toString('utf8');
    expect(report.match(/class="threshold-changed"/g)).toHaveLength(1);
    expect(report).toMatch(/now <b>0\.25000<\/b>/);
    expect(manifest().reportThreshold.value).not.toBe(0.25);
    const text = read('model.safetensors');
    const bad = runCli('threshold', ['--model', model, '--write', 'p101']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--write: .*percentile 101/);
    expect(read('model.safetensors').equals(text)).toBe(true);
    expect(runCli('threshold', ['--help']).stdout).toMatch(/--write RULE\|VALUE/);
  }, 120_000);
});
