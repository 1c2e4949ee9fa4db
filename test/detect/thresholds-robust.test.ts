// The robust threshold rules (issue 12): their math, their robustness to a long right tail, the
// false-alarm rate a log-normal fit targets, and the pooled 80/20 split.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.ts';
import type { BeatSet } from '../../src/data/dataset.ts';
import { pooledSplit } from '../../src/data/pooled-split.ts';
import {
  computeThreshold, DEFAULT_THRESHOLD, formatThresholdSpec, logMedianPlusKMad, MAD_TO_STD, meanPlusKStd,
  median, medianPlusKMad, parseThresholdSpec, thresholdMethod, defaultThreshold,
} from '../../src/detect/thresholds.ts';

describe('median + k·MAD', () => {
  it('is median + k · 1.4826 · median(|e - median|)', () => {
    // median 3; |e - 3| = 2, 1, 0, 1, 97 -> MAD 1
    expect(median([4, 1, 100, 3, 2])).toBe(3);
    expect(medianPlusKMad([4, 1, 100, 3, 2], 2)).toBeCloseTo(3 + 2 * 1.482602218505602, 12);
    expect(MAD_TO_STD).toBeCloseTo(1 / 0.6744897501960817, 12); // 1 / Φ⁻¹(0.75)
    // even count: numpy's median averages the middle two
    expect(medianPlusKMad([1, 2, 3, 10], 0)).toBe(2.5);
  });
  it('the log version is exp of the rule on ln(errors)', () => {
    const e = [0.05, 0.08, 0.1, 0.12, 0.2, 3];
    const logs = e.map(Math.log);
    expect(logMedianPlusKMad(e, 3)).toBeCloseTo(Math.exp(medianPlusKMad(logs, 3)), 12);
    // hand-computed: ln median = ln(0.11); MAD of logs
    const m = (Math.log(0.1) + Math.log(0.12)) / 2;
    const dev = logs.map((x) => Math.abs(x - m)).sort((a, b) => a - b);
    const mad = (dev[2] + dev[3]) / 2;
    expect(logMedianPlusKMad(e, 3)).toBeCloseTo(Math.exp(m + 3 * MAD_TO_STD * mad), 12);
  });
  it('refuses what it cannot compute: non-finite errors, and errors <= 0 for the log rule', () => {
    expect(() => medianPlusKMad([0.1, NaN], 3)).toThrow(/not finite/);
    expect(() => logMedianPlusKMad([0.1, 0], 3)).toThrow(/needs > 0/);
    expect(() => logMedianPlusKMad([], 3)).toThrow(/no errors/);
  });
  it('a 5% tail of huge errors moves mean + 3·std far more than the robust rules', () => {
    const rng = createRng('tail');
    const clean = Array.from({ length: 950 }, () => Math.exp(-2.5 + 0.4 * rng.normal()));
    const tail = Array.from({ length: 50 }, () => 2 + 5 * rng.uniform());
    const dirty = [...clean, ...tail];
    const moved = (f: (x: number[]) => number) => f(dirty) / f(clean);
    expect(moved((x) => meanPlusKStd(x, 3))).toBeGreaterThan(5);
    expect(moved((x) => medianPlusKMad(x, 3))).toBeLessThan(1.15);
    expect(moved((x) => logMedianPlusKMad(x, 3))).toBeLessThan(1.15);
  });
  it('on log-normal errors, logmedian + z·MAD flags the targeted share of new normal beats', () => {
    const rng = createRng('lognormal');
    const draw = (n: number) => Array.from({ length: n }, () => Math.exp(-2 + 0.5 * rng.normal()));
    const t = logMedianPlusKMad(draw(4000), 2.3263); // z(0.99): a 1% false-alarm target
    const fresh = draw(20000);
    const rate = fresh.filter((e) => e > t).length / fresh.length;
    expect(rate).toBeGreaterThan(0.006);
    expect(rate).toBeLessThan(0.014);
  });
  it('parses and names the new specs; the default is one of them', () => {
    expect(parseThresholdSpec('median+4mad')).toEqual({ kind: 'medianPlusKMad', value: 4 });
    expect(parseThresholdSpec('LogMedian+2.5mad')).toEqual({ kind: 'logMedianPlusKMad', value: 2.5 });
    expect(formatThresholdSpec(parseThresholdSpec('logmedian+3mad'))).toBe('logmedian+3mad');
    expect(formatThresholdSpec(parseThresholdSpec('median+6mad'))).toBe('median+6mad');
    for (const bad of ['median+mad', 'logmedian+3', 'median-3mad', 'log+3mad']) expect(() => parseThresholdSpec(bad), bad).toThrow(/threshold/);
    expect(formatThresholdSpec(parseThresholdSpec(DEFAULT_THRESHOLD))).toBe(DEFAULT_THRESHOLD);
    expect(computeThreshold('median+2mad', [4, 1, 100, 3, 2])).toBeCloseTo(3 + 2 * MAD_TO_STD, 12);
  });
});

describe('pooledSplit', () => {
  const set = (n: number, label: (i: number) => string, source: string): BeatSet =>
    ({ beats: Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2) + (source === 'B' ? 1000 : 0)), n, length: 2,
      labels: Array.from({ length: n }, (_, i) => label(i)), source, normalLabel: '1' });
  const a = set(50, (i) => (i % 3 ? '1' : '2'), 'A'), b = set(450, (i) => (i % 4 ? '1' : '3'), 'B');

  it('pools both files and splits round(f · n) beats off, disjoint and complete', () => {
    const { train, test } = pooledSplit(a, b, 0.2, 7);
    expect([train.n, test.n]).toEqual([400, 100]);
    const ids = (s: BeatSet) => Array.from({ length: s.n }, (_, i) => s.beats[2 * i]);
    const all = [...ids(train), ...ids(test)].sort((x, y) => x - y);
    expect(all).toEqual([...Array.from({ length: 50 }, (_, i) => i), ...Array.from({ length: 450 }, (_, i) => 1000 + i)]);
    // beats from both files land in the test part (not just the tail of the pool)
    expect(ids(test).some((v) => v < 1000) && ids(test).some((v) => v >= 1000)).toBe(true);
    expect(train.normalLabel).toBe('1');
    expect(test.source).toMatch(/pooled A \+ B, split seed 7 \(test 20%\)/);
  });
  it('is deterministic per seed, and seeds differ', () => {
    const first = (s: number) => Array.from(pooledSplit(a, b, 0.2, s).test.beats);
    expect(first(1)).toEqual(first(1));
    expect(first(1)).not.toEqual(first(2));
    expect(() => pooledSplit(a, b, 0, 1)).toThrow(/\(0, 1\)/);
  });
});

describe('heldout- and min() rules', () => {
  const fit = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const heldOut = Float32Array.from([2, 4, 6.5]);

  it('parse, print back and compute on the held-out errors', () => {
    for (const text of ['heldout-max', 'heldout-p95', 'min(median+5mad,heldout-max)', 'min(p95,mean+3std,heldout-median+3mad)']) {
      expect(formatThresholdSpec(parseThresholdSpec(text))).toBe(text);
    }
    expect(computeThreshold('heldout-max', fit, heldOut)).toBe(6.5);
    expect(computeThreshold('heldout-p50', fit, heldOut)).toBe(4);
    expect(computeThreshold('min(median+5mad,heldout-max)', fit, heldOut)).toBe(Math.min(computeThreshold('median+5mad', fit), 6.5));
    expect(computeThreshold('min(p10,heldout-max)', fit, heldOut)).toBe(computeThreshold('p10', fit));
    expect(thresholdMethod(parseThresholdSpec('min(median+5mad,heldout-max)'))).toBe('min(median+5mad,heldout-max) of training and held-out errors');
    expect(thresholdMethod(parseThresholdSpec('p95'))).toBe('p95 of training errors');
  });

  it('a heldout- rule without held-out errors is an error, not a fallback; min() takes plain rules', () => {
    expect(() => computeThreshold('min(median+5mad,heldout-max)', fit, null)).toThrow(/needs the errors of held-out normal beats.*--val-fraction/);
    expect(() => computeThreshold('heldout-max', fit, new Float32Array(0))).toThrow(/held-out/);
    expect(() => parseThresholdSpec('min(p95)')).toThrow(/two or more/);
    expect(() => parseThresholdSpec('min(p95,min(p90,max))')).toThrow(/two or more plain/);
    expect(() => parseThresholdSpec('heldout-heldout-max')).toThrow(/unknown threshold/);
  });
});

describe('scaled- and shifted- rules', () => {
  const fit = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // median 5.5
  const heldOut = Float32Array.from([5, 11, 20]); // median 11: twice the fitted median

  it('stretch or move the fitted rule by the held-out median; parse and print back', () => {
    for (const text of ['scaled-median+5mad', 'shifted-median+3mad', 'scaled-logmedian+2.5mad', 'min(scaled-median+7mad,heldout-max)']) {
      expect(formatThresholdSpec(parseThresholdSpec(text))).toBe(text);
    }
    const fitted = computeThreshold('median+5mad', fit);
    expect(computeThreshold('scaled-median+5mad', fit, heldOut)).toBeCloseTo(fitted * 2, 12);
    expect(computeThreshold('shifted-median+5mad', fit, heldOut)).toBeCloseTo(fitted + 5.5, 12);
    expect(computeThreshold('min(scaled-median+5mad,heldout-max)', fit, heldOut)).toBe(20);
    // A model that does not overfit (same median) keeps the fitted rule.
    expect(computeThreshold('scaled-median+5mad', fit, Float32Array.from([5, 5.5, 6]))).toBeCloseTo(fitted, 12);
    expect(thresholdMethod(parseThresholdSpec('scaled-median+5mad'))).toBe('scaled-median+5mad of training and held-out errors');
  });

  it('need held-out errors and a positive fitted median; no nesting', () => {
    expect(() => computeThreshold('scaled-median+5mad', fit, null)).toThrow(/needs the errors of held-out normal beats/);
    expect(() => computeThreshold('shifted-median+5mad', fit, new Float32Array(0))).toThrow(/held-out/);
    expect(() => computeThreshold('scaled-median+5mad', Float32Array.from([0, 0, 0, 1]), heldOut)).toThrow(/median training error is 0/);
    expect(() => parseThresholdSpec('scaled-heldout-max')).toThrow(/unknown threshold/);
  });
});

describe('the default rule without held-out beats', () => {
  it('keeps the training-error part of a min() default; other defaults are unchanged', () => {
    expect(defaultThreshold('dense')).toBe('min(median+5mad,heldout-max)');
    expect(defaultThreshold('dense', false)).toBe('median+5mad');
    expect(defaultThreshold('lstm', false)).toBe('median+7mad');
  });
});
