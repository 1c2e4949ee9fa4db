// The main job on other inputs: a CSV built from the shared data, the synthetic fallback on a
// machine with no data, and bad inputs that must fail clearly and leave no model folder behind.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { readManifest } from '../helpers/model-files.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-inputs-'));
const rowsOf = (file: string) => readFileSync(path.join(ECG5000_DIR, file), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
const fast = ['--epochs', '3', '--no-plots'];

describe('training from CSV files', () => {
  it('gives the same metrics as the UCR files (label last, header row)', () => {
    // The TensorFlow tutorial's layout: values then the label, here with a header line.
    const toCsv = (rows: string[][]) => ['' + rows[0].slice(1).map((_, i) => `t${i}`).join(',') + ',label',
      ...rows.map((r) => [...r.slice(1), r[0]].join(','))].join('\n') + '\n';
    writeFileSync(path.join(tmp, 'train.csv'), toCsv(rowsOf('ECG5000_TRAIN.txt')));
    writeFileSync(path.join(tmp, 'test.csv'), toCsv(rowsOf('ECG5000_TEST.txt')));
    const csv = runCli('train', ['--train', path.join(tmp, 'train.csv'), '--test', path.join(tmp, 'test.csv'),
      '--label-column', 'last', '--out', path.join(tmp, 'csv-model'), '--json', ...fast]);
    expect(csv.code, csv.stderr).toBe(0);
    const ucr = runCli('train', ['--data', ECG5000_DIR, '--out', path.join(tmp, 'ucr-model'), '--json', ...fast]);
    expect(ucr.code, ucr.stderr).toBe(0);
    expect(csv.json.metrics).toEqual(ucr.json.metrics);
    expect(csv.json.metrics.rocAuc).toBeGreaterThan(0.8); // 3 epochs already separate the classes
  });
});

describe('no data present', () => {
  it('says so and trains on the synthetic ECG generator', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-fresh-'));
    const r = runCli('train', ['--json', ...fast], { cwd: empty });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no data found.*synthetic/s);
    expect(r.json.data).toMatch(/synthetic/);
    expect(r.json.metrics.rocAuc).toBeGreaterThan(0.5);
    expect(existsSync(path.join(empty, 'models', 'dense', 'model.safetensors'))).toBe(true);
  });
});

describe('bad inputs fail clearly and write nothing', () => {
  const bad = path.join(tmp, 'bad');
  beforeAll(() => mkdirSync(bad, { recursive: true }));
  const good = (n: number, len = 140, label = '1') => Array.from({ length: n }, (_, i) =>
    [label, ...Array.from({ length: len }, (_, j) => Math.sin(i + j / 7).toFixed(4))].join(' ')).join('\n') + '\n';

  const cases: { name: string; content?: string; extra?: string[]; message: RegExp }[] = [
    { name: 'missing.txt', message: /no such file: .*missing\.txt/ },
    { name: 'empty.txt', content: '', message: /empty\.txt.*empty/ },
    { name: 'ragged.txt', content: good(3) + '1 0.5 0.25\n', message: /ragged\.txt.*line 4.*3 values|ragged\.txt.*line 4/ },
    { name: 'nonnumeric.txt', content: good(2) + ['1', ...Array.from({ length: 139 }, () => '0.1'), 'abc'].join(' ') + '\n', message: /nonnumeric\.txt line 3, field 141.*abc/ },
  ];
  for (const c of cases) {
    it(`${c.name}: error names the file (and line/field) and exits non-zero`, () => {
      const file = path.join(bad, c.name);
      if (c.content !== undefined) writeFileSync(file, c.content);
      const out = path.join(bad, `model-${c.name}`);
      const r = runCli('train', ['--train', file, '--out', out, ...fast]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(c.message);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(bad).filter((f) => f.includes('.tmp'))).toEqual([]);
    });
  }

  it('a test label that is neither normal nor a known class', () => {
    writeFileSync(path.join(bad, 'TRAIN.txt'), good(40) + good(5, 140, '2'));
    writeFileSync(path.join(bad, 'TEST.txt'), good(5) + good(2, 140, '9'));
    const out = path.join(bad, 'model-label');
    const r = runCli('train', ['--train', path.join(bad, 'TRAIN.txt'), '--test', path.join(bad, 'TEST.txt'), '--out', out, ...fast]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/"9"/);
    expect(existsSync(out)).toBe(false);
  });

  it('a normal label that no beat has', () => {
    writeFileSync(path.join(bad, 'TRAIN2.txt'), good(10));
    const r = runCli('train', ['--train', path.join(bad, 'TRAIN2.txt'), '--normal-label', '0', '--out', path.join(bad, 'm2'), ...fast]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no beats with the normal label "0"/);
  });

  it('a beat length that does not match the model', () => {
    writeFileSync(path.join(bad, 'TRAIN3.txt'), good(40));
    const model = path.join(bad, 'm3');
    expect(runCli('train', ['--train', path.join(bad, 'TRAIN3.txt'), '--val-fraction', '0.2', '--out', model, ...fast]).code).toBe(0);
    writeFileSync(path.join(bad, 'SHORT.txt'), good(3, 100));
    const r = runCli('detect', ['--model', model, path.join(bad, 'SHORT.txt')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/100 samples.*expects 140/);
    const ev = runCli('evaluate', ['--model', model, '--test', path.join(bad, 'SHORT.txt')]);
    expect(ev.code).not.toBe(0);
    expect(ev.stderr).toMatch(/100 samples.*expects 140/);
  });

  it('bad flags exit 2 with a pointer to --help; --help works on every command', () => {
    const r = runCli('train', ['--epochz', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/epochz.*--help/s);
    expect(runCli('train', ['--epochs', 'many']).stderr).toMatch(/--epochs must be an integer/);
    expect(runCli('train', ['--threshold', 'p200']).code).toBe(2);
    for (const cmd of ['train', 'evaluate', 'detect', 'serve', 'data'] as const) {
      const h = runCli(cmd, ['--help']);
      expect(h.code, cmd).toBe(0);
      expect(h.stdout, cmd).toMatch(/usage:/);
    }
  });
});

describe('Kaggle PTB folder (ptbdb_normal.csv + ptbdb_abnormal.csv)', () => {
  it('merges the pair, splits 80/20, and uses label 0 as normal', () => {
    const dir = path.join(tmp, 'ptb');
    mkdirSync(dir, { recursive: true });
    // 187 values then the label, trailing zero padding, as the Kaggle files are laid out.
    const ptbRow = (r: string[], label: string) => [...r.slice(1), ...Array(47).fill('0'), label].join(',');
    const rows = rowsOf('ECG5000_TRAIN.txt');
    writeFileSync(path.join(dir, 'ptbdb_normal.csv'), rows.filter((r) => Number(r[0]) === 1).map((r) => ptbRow(r, '0')).join('\n') + '\n');
    writeFileSync(path.join(dir, 'ptbdb_abnormal.csv'), rows.filter((r) => Number(r[0]) !== 1).map((r) => ptbRow(r, '1')).join('\n') + '\n');
    const r = runCli('train', ['--data', dir, '--out', path.join(tmp, 'ptb-model'), '--json', ...fast]);
    expect(r.code, r.stderr).toBe(0);
    const { tp, fp, tn, fn } = r.json.metrics.confusion;
    expect(tp + fp + tn + fn).toBe(100); // 20% of 500 beats
    const manifest = readManifest(path.join(tmp, 'ptb-model'));
    expect(manifest.normalLabel).toBe('0');
    expect(manifest.architecture.length).toBe(187);
  });
});

describe('threshold from a labelled validation file', () => {
  it('--val FILE picks the threshold with the best F1 on that file', () => {
    // The training file doubles as the labelled validation file here (its abnormal beats are
    // never trained on); the test file stays untouched.
    const r = runCli('train', ['--train', path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), '--val', path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'),
      '--test', path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), '--epochs', '20', '--no-plots', '--json', '--out', path.join(tmp, 'val-model')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.thresholdMethod).toMatch(/best F1 on labelled validation file ECG5000_TRAIN\.txt/);
    const p95 = runCli('train', ['--train', path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), '--threshold', 'p95',
      '--epochs', '20', '--no-plots', '--json', '--out', path.join(tmp, 'p95-model')]);
    expect(r.json.threshold).not.toBe(p95.json.threshold);
  });
});

describe('what train refuses before spending any time', () => {
  it('--out pointing at a folder that is not a model folder, or at a file', () => {
    const precious = path.join(tmp, 'precious');
    mkdirSync(precious, { recursive: true });
    writeFileSync(path.join(precious, 'thesis.txt'), 'do not delete');
    const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--out', precious]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a model folder/);
    expect(readFileSync(path.join(precious, 'thesis.txt'), 'utf8')).toBe('do not delete');
    const file = path.join(tmp, 'afile.txt');
    writeFileSync(file, 'keep');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--out', file]).stderr).toMatch(/is a file/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('an earlier run in --out is kept: refused without --force (naming it), replaced with it', () => {
    const out = path.join(tmp, 'replace-me');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--no-plots', '--out', out]).code).toBe(0);
    const first = readFileSync(path.join(out, 'model.safetensors'));
    const again = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--no-plots', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run, a dense model saved \d{4}-\d\d-\d\d \d\d:\d\d UTC \(seed 0, 1 epoch, test ROC-AUC 0\.\d{4}\): refusing to replace it\. Pass --force/);
    expect(readFileSync(path.join(out, 'model.safetensors')).equals(first)).toBe(true);
    expect(runCli('train', ['--help']).stdout).toMatch(/--force\s+replace the run already saved in --out/);
    const forced = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--no-plots', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readManifest(out).training.epochs).toBe(2);
  });

  it('--test/--val without training data, and --threshold together with --val', () => {
    expect(runCli('train', ['--test', path.join(ECG5000_DIR, 'ECG5000_TEST.txt')]).stderr).toMatch(/--test needs the training data/);
    const both = runCli('train', ['--train', path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), '--val', path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), '--threshold', 'p95']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('flags that do not fit the model kind, and malformed integers', () => {
    expect(runCli('train', ['--model', 'dense', '--beta', '2']).stderr).toMatch(/--beta applies to --model vae/);
    expect(runCli('train', ['--model', 'conv', '--kernel', '4']).stderr).toMatch(/--kernel must be odd/);
    expect(runCli('train', ['--model', 'lstm', '--hidden', '64,32']).stderr).toMatch(/one number/);
    for (const bad of ['', '0x10', '1e2', '2.5']) expect(runCli('train', ['--epochs', bad]).code, bad).toBe(2);
  });
});

describe('a training file with normal beats only', () => {
  it('evaluates on a labelled test file with every class', () => {
    const normals = rowsOf('ECG5000_TRAIN.txt').filter((r) => Number(r[0]) === 1).map((r) => r.join(' ')).join('\n') + '\n';
    const file = path.join(tmp, 'NORMALS.txt');
    writeFileSync(file, normals);
    const r = runCli('train', ['--train', file, '--test', path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), '--epochs', '3', '--no-plots', '--json', '--out', path.join(tmp, 'normals-model')]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(r.json.metrics.byClass).sort()).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('detect on unlabelled beats', () => {
  it('--label-column none reads rows of values only (.txt and .csv)', () => {
    const model = path.join(tmp, 'for-unlabelled');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--no-plots', '--out', model]).code).toBe(0);
    const rows = rowsOf('ECG5000_TEST.txt').slice(0, 4);
    writeFileSync(path.join(tmp, 'beats.txt'), rows.map((r) => r.slice(1).join(' ')).join('\n') + '\n');
    writeFileSync(path.join(tmp, 'beats.csv'), rows.map((r) => r.slice(1).join(',')).join('\n') + '\n');
    const labelled = runCli('detect', ['--model', model, path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), '--json']);
    for (const f of ['beats.txt', 'beats.csv']) {
      const r = runCli('detect', ['--model', model, path.join(tmp, f), '--label-column', 'none', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.beats.map((b: any) => b.score)).toEqual(labelled.json.beats.slice(0, 4).map((b: any) => b.score));
    }
    // Without the flag the first value is taken as a label and the length check names the problem.
    expect(runCli('detect', ['--model', model, path.join(tmp, 'beats.txt')]).stderr).toMatch(/139 samples.*expects 140/);
  });
});

describe('issue 10: values beyond float32, ambiguous labels and layouts, divergence', () => {
  const dir = path.join(tmp, 'issue10');
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  const ucr = rowsOf('ECG5000_TRAIN.txt');
  const withValue = (rows: string[][], row: number, field: number, value: string) =>
    rows.map((r, i) => (i === row ? r.map((f, j) => (j === field - 1 ? value : f)) : r).join(' ')).join('\n') + '\n';
  const noModel = (out: string) => { expect(existsSync(out)).toBe(false); expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]); };

  it('1e39 / 1e999 in a training, test or validation file is an input error naming file, line and field', () => {
    writeFileSync(path.join(dir, 'BIG_TRAIN.txt'), withValue(ucr, 6, 42, '1e39'));
    writeFileSync(path.join(dir, 'HUGE_TEST.txt'), withValue(ucr.slice(0, 20), 2, 3, '-1e999'));
    const out = path.join(dir, 'm-big');
    const train = runCli('train', ['--train', path.join(dir, 'BIG_TRAIN.txt'), '--out', out, ...fast]);
    expect(train.code).toBe(1);
    expect(train.stderr).toMatch(/BIG_TRAIN\.txt line 7, field 42: "1e39" is outside float32's range/);
    expect(train.stderr).not.toMatch(/diverged/);
    noModel(out);
    const test = runCli('train', ['--data', ECG5000_DIR, '--test', path.join(dir, 'HUGE_TEST.txt'), '--out', out, ...fast]);
    expect(test.stderr).toMatch(/HUGE_TEST\.txt line 3, field 3: "-1e999" is outside float32's range/);
    noModel(out);
  });

  it('detect refuses 1e39 in its input instead of scoring it null', () => {
    const model = path.join(dir, 'm-detect');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--no-plots', '--out', model]).code).toBe(0);
    writeFileSync(path.join(dir, 'beats.txt'), withValue(ucr.slice(0, 3), 1, 10, '1e39'));
    const r = runCli('detect', ['--model', model, path.join(dir, 'beats.txt'), '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/beats\.txt line 2, field 10: "1e39" is outside float32's range/);
  });

  it('0/1 labels without --normal-label: asks for the flag instead of guessing', () => {
    // PTB's convention (0 = normal) in a file whose name says nothing.
    const rows = ucr.map((r) => [Number(r[0]) === 1 ? '0' : '1', ...r.slice(1)].join(' ')).join('\n') + '\n';
    writeFileSync(path.join(dir, 'zero_one.txt'), rows);
    const out = path.join(dir, 'm-01');
    const r = runCli('train', ['--train', path.join(dir, 'zero_one.txt'), '--out', out, ...fast]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/labels are 0 and 1.*ambiguous.*--normal-label 0 or --normal-label 1/);
    noModel(out);
    const ok = runCli('train', ['--train', path.join(dir, 'zero_one.txt'), '--normal-label', '0', '--val-fraction', '0.2', '--out', out, ...fast]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readManifest(out).normalLabel).toBe('0');
  });

  it('a label-first CSV without --label-column is refused, naming the flag', () => {
    writeFileSync(path.join(dir, 'label_first.csv'), ucr.map((r) => r.join(',')).join('\n') + '\n');
    const out = path.join(dir, 'm-first');
    const r = runCli('train', ['--train', path.join(dir, 'label_first.csv'), '--out', out, ...fast]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/label_first\.csv: the first column looks like an integer class label.*--label-column first/);
    noModel(out);
    expect(runCli('train', ['--train', path.join(dir, 'label_first.csv'), '--label-column', 'first', '--out', out, ...fast]).code).toBe(0);
  });

  it('--lr 100 stops with a divergence error, exit 1, nothing saved', () => {
    const out = path.join(dir, 'm-lr100');
    const r = runCli('train', ['--data', ECG5000_DIR, '--lr', '100', '--epochs', '30', '--no-plots', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/training diverged at epoch \d+ .*over 1000x/);
    noModel(out);
  });
});
