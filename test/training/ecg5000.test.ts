// The real UCR ECG5000 split in ../shared/data/ecg5000 (must be present: these tests never skip).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { findUcrPair, loadBeatFile, sha256File } from '../../src/data/load-node.ts';
import { parseArff, parseCsv, parseUcr } from '../../src/data/parse.ts';
import { ECG5000_SHA256 } from '../../src/data/download-node.ts';

const DIR = fileURLToPath(new URL('../../../shared/data/ecg5000/', import.meta.url));
const TRAIN = path.join(DIR, 'ECG5000_TRAIN.txt');
const TEST = path.join(DIR, 'ECG5000_TEST.txt');

describe('ECG5000 (real data)', () => {
  const train = loadBeatFile(TRAIN);
  const test = loadBeatFile(TEST);

  it('has 500 / 4500 beats of 140 samples', () => {
    expect([train.n, train.length, train.beats.length]).toEqual([500, 140, 500 * 140]);
    expect([test.n, test.length, test.beats.length]).toEqual([4500, 140, 4500 * 140]);
    expect(train.source).toBe('ECG5000_TRAIN.txt');
    expect(train.normalLabel).toBe('1');
  });

  it('has the published class counts', () => {
    expect(classCounts(train)).toEqual({ 1: 292, 2: 177, 3: 10, 4: 19, 5: 2 });
    expect(classCounts(test)).toEqual({ 1: 2627, 2: 1590, 3: 86, 4: 175, 5: 22 });
  });

  it('parses the values exactly (first line, last value, per-beat z-normalisation)', () => {
    const firstLine = readFileSync(TRAIN, 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    expect(Array.from(train.beats.subarray(0, 140))).toEqual(Array.from(Float32Array.from(firstLine.slice(1))));
    // ECG5000 beats are z-normalised: mean ~0 for every beat.
    for (let i = 0; i < train.n; i += 50) {
      const row = train.beats.subarray(i * 140, (i + 1) * 140);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) / 140)).toBeLessThan(1e-3);
    }
  });

  it('matches the published sha256', () => {
    expect(sha256File(TRAIN)).toBe(ECG5000_SHA256['ECG5000_TRAIN.txt']);
    expect(sha256File(TEST)).toBe(ECG5000_SHA256['ECG5000_TEST.txt']);
  });

  it('is found as a TRAIN/TEST pair in its folder', () => {
    expect(findUcrPair(DIR)).toEqual({ kind: 'ucr', train: TRAIN, test: TEST });
  });

  describe('the same beats written as CSV and ARFF parse identically', () => {
    const text = readFileSync(TRAIN, 'utf8');
    const rows = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const ucr = parseUcr(text, { source: 'ECG5000_TRAIN.txt' });
    const header = Array.from({ length: 140 }, (_, i) => `t${i}`);
    const cases: [string, 'first' | 'last', boolean][] = [
      ['label first, no header', 'first', false], ['label last, no header', 'last', false],
      ['label first, header', 'first', true], ['label last, header', 'last', true],
    ];
    for (const [name, labelColumn, withHeader] of cases) {
      it(name, () => {
        const lines = rows.map(([label, ...values]) => (labelColumn === 'first' ? [label, ...values] : [...values, label]).join(','));
        if (withHeader) lines.unshift((labelColumn === 'first' ? ['label', ...header] : [...header, 'label']).join(','));
        const csv = parseCsv(lines.join('\r\n') + '\r\n', { source: 'train.csv', labelColumn });
        expect(csv.n).toBe(500);
        expect(csv.length).toBe(140);
        expect(csv.labels).toEqual(ucr.labels);
        expect(csv.beats).toEqual(ucr.beats);
      });
    }

    it('ARFF with the class attribute last', () => {
      const arff = ['@relation ECG5000', ...header.map((h) => `@attribute ${h} numeric`),
        '@attribute target {1,2,3,4,5}', '', '@data',
        ...rows.map(([label, ...values]) => [...values.map((v) => String(Number(v))), label.replace(/\.0+e\+00$/, '')].join(','))].join('\n');
      const set = parseArff(arff, { source: 'ECG5000_TRAIN.arff' });
      expect(set.labels).toEqual(ucr.labels);
      expect(set.beats).toEqual(ucr.beats);
    });
  });
});
