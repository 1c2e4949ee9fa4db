// A detector never answers "normal" because it could not compute (issue 10, item 1): a beat
// whose reconstruction error is NaN or infinite scores +Infinity, is flagged, and is reported as
// such by the detect and evaluate commands.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { denseSpec } from '../../src/autoencoders/dense.ts';
import { Detector } from '../../src/detect/detector.ts';
import { fitScaler, scalerToJSON } from '../../src/detect/scaler.ts';
import { saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

const L = 140;
const rows = fs.readFileSync(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), 'utf8').trim().split('\n').slice(0, 60);
const labels = rows.map((r) => r.trim().split(/\s+/)[0]);
const beats = Float32Array.from(rows.flatMap((r) => r.trim().split(/\s+/).slice(1).map(Number)));
const n = rows.length;
const scaler = fitScaler('standard', beats, n, L);
const arch = { kind: 'dense' as const, length: L, hidden: [16, 8] };

describe('Detector.detect with non-finite errors', () => {
  it('a NaN weight (set after loading, past the checks) makes every beat an anomaly, never normal', () => {
    const model = denseSpec.create(arch, 1);
    model.namedParameters().find(([k]) => k === 'decoder.2.bias')![1].data[4] = NaN;
    const d = new Detector(model, scaler, { value: 1e9, method: 'test' }).detect(beats, n);
    expect(d.nonFinite).toBe(n);
    expect(Array.from(d.flags)).toEqual(Array(n).fill(1));
    expect(Array.from(d.scores)).toEqual(Array(n).fill(Infinity));
  });

  it('one beat that overflows is flagged alone; the others keep their scores', () => {
    const model = denseSpec.create(arch, 1);
    const d = new Detector(model, scaler, { value: 1e9, method: 'test' });
    const clean = d.detect(beats, n);
    const hot = beats.slice();
    hot.fill(3e38, 5 * L, 6 * L); // finite float32, but its error overflows
    const r = d.detect(hot, n);
    expect(r.nonFinite).toBe(1);
    expect(r.flags[5]).toBe(1);
    expect(r.scores[5]).toBe(Infinity);
    expect(Array.from(r.flags).filter((_, i) => i !== 5)).toEqual(Array.from(clean.flags).filter((_, i) => i !== 5));
    expect(Array.from(r.scores).filter((_, i) => i !== 5)).toEqual(Array.from(clean.scores).filter((_, i) => i !== 5));
  });
});

describe('detect and evaluate report non-finite scores distinctly', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-nonfinite-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const model = path.join(root, 'model');
  const m = denseSpec.create(arch, 3);
  saveModelFolder(model, { architecture: arch, scaler: scalerToJSON(scaler), threshold: { value: 1e6, method: 'test' },
    normalLabel: '1', knownLabels: ['1', '2', '3', '4', '5'] }, m.stateDict());
  // The first 20 real beats, and beat 3 replaced by huge (still float32) values.
  const file = path.join(root, 'beats.txt');
  const lines = rows.slice(0, 20);
  lines[3] = `${labels[3]} ${Array(L).fill('3e38').join(' ')}`;
  fs.writeFileSync(file, lines.join('\n') + '\n');

  it('detect: "non-finite", ANOM, score null + nonFinite true in --json, and a summary line', () => {
    const r = runCli('detect', ['--model', model, file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+3 {2}non-finite {2}.*ANOM/m);
    expect(r.stdout).toContain('1 of them could not be scored (non-finite reconstruction error) and count as anomalies');
    expect(r.json.nonFinite).toBe(1);
    expect(r.json.beats[3]).toMatchObject({ index: 3, score: null, nonFinite: true, flag: true });
    expect(r.json.beats.filter((b: { nonFinite: boolean }) => b.nonFinite)).toHaveLength(1);
  });

  it('evaluate: says how many beats could not be scored, and counts them as flagged', () => {
    const r = runCli('evaluate', ['--model', model, '--test', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 beats could not be scored (non-finite reconstruction error); they count as flagged anomalies');
    expect(r.json.nonFinite).toBe(1);
    const { tp, fp } = r.json.confusion;
    expect(tp + fp).toBe(1); // threshold 1e6: only the unscorable beat is flagged
  });
});
