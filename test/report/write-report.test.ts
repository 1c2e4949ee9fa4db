// writePlots: the right files in the plots folder, roc.svg only with test scores.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePlots, type PlotInputs } from '../../src/report/write-report-node.ts';
import { checkSvg } from './svg-check.ts';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-plots-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

const base: PlotInputs = {
  history: [{ epoch: 1, loss: 0.5, valLoss: 0.6 }, { epoch: 2, loss: 0.3, valLoss: 0.4 }],
  normalErrors: [0.1, 0.2, 0.15],
  anomalyErrors: [0.8, 0.9],
  threshold: 0.4,
  examples: [{ title: 'normal beat #0', original: new Float32Array([0, 1, 0]), reconstruction: new Float32Array([0, 0.9, 0.1]) }],
};

describe('writePlots', () => {
  it('writes loss, errors, roc and examples SVGs into a new plots folder', () => {
    const dir = path.join(root, 'model', 'plots');
    const written = writePlots(dir, { ...base, scores: [0.1, 0.2, 0.8, 0.9], labels: [0, 0, 1, 1], auc: 1 });
    expect(fs.readdirSync(dir).sort()).toEqual(['errors.svg', 'examples.svg', 'loss.svg', 'roc.svg']);
    expect(written.map((f) => path.basename(f)).sort()).toEqual(['errors.svg', 'examples.svg', 'loss.svg', 'roc.svg']);
    for (const f of written) checkSvg(fs.readFileSync(f, 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'roc.svg'), 'utf8')).toContain('AUC = 1');
  });

  it('skips roc.svg without scores, and examples.svg without examples', () => {
    const dir = path.join(root, 'plots');
    writePlots(dir, { ...base, examples: [] });
    expect(fs.readdirSync(dir).sort()).toEqual(['errors.svg', 'loss.svg']);
  });
});
