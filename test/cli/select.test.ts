// `npm run select` (bench/select.ts), the protocol that chooses defaults from training data only:
// its scoring math, its choice rule, and a small real run that must not read the test file.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseRule, TIE_TOLERANCE, type RuleRow } from '../../bench/select/choose-rule.ts';
import type { InnerResult } from '../../bench/select/inner-split.ts';
import { innerAuc, scoreThreshold } from '../../bench/select/rules.ts';
import { BETA_GRID, gridNeighbours, VAL_FRACTION_GRID, variantPart, variantsFor } from '../../bench/select/choose-settings.ts';
import { defaultArchitecture, trainingDefaults } from '../../src/autoencoders/defaults.ts';
import type { VaeArchitecture } from '../../src/autoencoders/vae.ts';
import { DEFAULT_THRESHOLD } from '../../src/detect/thresholds.ts';
import { ECG5000_DIR, REPO } from '../helpers/cli.ts';

const inner = (heldOutNormal: number[], anomalies: number[], prevalence: number): InnerResult => ({
  fitErrors: new Float32Array([1]), valErrors: null, heldOutNormal: Float32Array.from(heldOutNormal),
  anomalies: Float32Array.from(anomalies), prevalence, epochs: 1, seconds: 0,
});

describe('selection math', () => {
  it('F1 at the training set\'s prevalence from held-out false alarms and anomaly recall', () => {
    // 1 of 4 normal beats above 0.5 (25%), 3 of 4 anomalies (75%), prevalence 40%:
    // precision = 0.4·0.75 / (0.4·0.75 + 0.6·0.25) = 0.3 / 0.45
    const s = scoreThreshold(inner([0.1, 0.2, 0.3, 0.9], [0.4, 0.6, 0.7, 0.8], 0.4), 0.5);
    expect(s.falseAlarms).toBe(0.25);
    expect(s.recall).toBe(0.75);
    const p = 0.3 / 0.45;
    expect(s.f1).toBeCloseTo((2 * p * 0.75) / (p + 0.75), 12);
    expect(innerAuc(inner([0.1, 0.2], [0.3, 0.4], 0.5))).toBe(1);
  });
  it('chooses the best mean among rules whose worst scenario is within the tolerance of the best', () => {
    const row = (rule: string, worstF1: number, meanF1: number): RuleRow => ({ rule, worstF1, meanF1, byScenario: {} });
    const ranked = [row('a', 0.957, 0.959), row('b', 0.955, 0.965), row('c', 0.957 - TIE_TOLERANCE - 0.001, 0.99)];
    expect(chooseRule(ranked).rule).toBe('b');
    expect(chooseRule([row('a', 0.957, 0.959), row('c', 0.9, 0.99)]).rule).toBe('a');
  });
});

describe('stage 1 variants', () => {
  it('tries the VAE\'s β with both scalers, never the defaults twice', () => {
    const variants = variantsFor('vae');
    const names = variants.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    const { scaler } = trainingDefaults('vae');
    const { beta } = defaultArchitecture('vae', 140) as VaeArchitecture;
    const withBeta = variants.filter((v) => v.settings.architecture?.beta !== undefined);
    expect(withBeta).toHaveLength(2 * BETA_GRID.length - 1);
    for (const s of ['standard', 'minmax']) {
      const betas = withBeta.filter((v) => (v.settings.scaler ?? scaler) === s).map((v) => v.settings.architecture!.beta);
      expect(betas.sort()).toEqual(BETA_GRID.filter((b) => !(s === scaler && b === beta)).sort());
    }
    // a lone scaler change would judge the other scaler at this scaler's β
    expect(variants.some((v) => v.settings.scaler && v.settings.architecture === undefined)).toBe(false);
    expect(variantsFor('dense').some((v) => v.settings.scaler && v.settings.scaler !== trainingDefaults('dense').scaler)).toBe(true);
  });
  it('--part K/N: every part has the defaults, and the parts share out every change once', () => {
    const all = variantsFor('lstm');
    const parts = [1, 2, 3].map((k) => variantPart(all, k, 3));
    for (const p of parts) expect(p[0]).toBe(all[0]);
    expect(parts.flatMap((p) => p.slice(1)).map((v) => v.name).sort()).toEqual(all.slice(1).map((v) => v.name).sort());
  });
  it('tries the validation hold-outs on either side of each kind\'s own default', () => {
    expect(gridNeighbours([0.05, 0.1, 0.2, 0.3], 0.1)).toEqual([0.05, 0.2]);
    expect(gridNeighbours([0.05, 0.1, 0.2, 0.3], 0.3)).toEqual([0.2]);
    expect(gridNeighbours([0.05, 0.1, 0.2, 0.3], 0.15)).toEqual([0.1, 0.2]);
    for (const kind of ['dense', 'vae', 'lstm', 'conv'] as const) {
      const tried = variantsFor(kind).flatMap((v) => (v.settings.valFraction !== undefined ? [v.settings.valFraction] : []));
      expect(tried).toEqual(gridNeighbours(VAL_FRACTION_GRID, trainingDefaults(kind).valFraction));
      expect(tried).not.toContain(trainingDefaults(kind).valFraction);
    }
  });
});

describe('npm run select', () => {
  const tsx = path.join(REPO, 'node_modules/.bin/tsx');
  const run = (args: string[]) => spawnSync(tsx, [path.join(REPO, 'bench/select.ts'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });

  it('--help explains the protocol; bad flags exit 2', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/training data only/);
    const bad = run(['--models', 'dense,gru']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--models: unknown model "gru"/);
    const badPart = run(['--part', '3/2', '--only', 'settings']);
    expect(badPart.status).toBe(2);
    expect(badPart.stderr).toMatch(/--part: "3\/2" is not K\/N/);
    const partWithRules = run(['--part', '1/2']);
    expect(partWithRules.status).toBe(2);
    expect(partWithRules.stderr).toMatch(/--part needs --only settings/);
  });

  it('ranks the rules on the official training file without reading the test file', () => {
    // The TEST file here is not beats at all: the run only succeeds if it never parses it.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-select-'));
    copyFileSync(path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), path.join(dir, 'ECG5000_TRAIN.txt'));
    writeFileSync(path.join(dir, 'ECG5000_TEST.txt'), 'not a beat file\n');
    const out = path.join(dir, 'select.json');
    const r = run(['--data', dir, '--only', 'rules', '--split-seeds', 'none', '--models', 'dense', '--repeats', '1', '--out', out]);
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stderr).toMatch(/official dense repeat 0: 211 fitted, 58 held-out normal, 208 anomalies/);
    const escaped = DEFAULT_THRESHOLD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(r.stdout).toMatch(new RegExp(`\\| ${escaped} \\| 0\\.\\d{3} \\|`));
    expect(r.stdout).toMatch(new RegExp(`chosen rule: \\S+ .* code default ${escaped}: (reproduced|DIFFERS)`));
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.rules.length).toBeGreaterThan(25);
    for (const row of json.rules) {
      expect(Object.keys(row.byScenario)).toEqual(['official']);
      expect(row.worstF1).toBeGreaterThanOrEqual(0);
      expect(row.worstF1).toBeLessThanOrEqual(1);
    }
    // the protocol's numbers are not constant: rules that flag more have more false alarms
    const far = (rule: string) => json.rules.find((x: RuleRow) => x.rule === rule).byScenario.official.falseAlarms;
    expect(far('p90')).toBeGreaterThan(far('p99'));
  });
});
