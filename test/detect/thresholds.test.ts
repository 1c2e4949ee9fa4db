import { describe, expect, it } from 'vitest';
import { bestF1Threshold, computeThreshold, max, meanPlusKStd, parseThresholdSpec, percentile } from '../../src/detect/thresholds.ts';
import { evaluate } from '../../src/evaluation/metrics.ts';

describe('label-free thresholds', () => {
  it('percentile matches numpy (linear)', () => {
    expect(percentile([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 12);             // np.percentile([1,2,3,4], 95)
    expect(percentile([3, 1, 4, 1, 5, 9, 2, 6], 37.5)).toBeCloseTo(2.625, 12);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([5, 1], 0)).toBe(1);
    expect(percentile([5, 1], 100)).toBe(5);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([], 50)).toThrow(/no errors/);
  });
  it('mean + k·std uses the population std (numpy default)', () => {
    const x = [0.2, 0.4, 0.1, 0.9, 0.3];
    expect(meanPlusKStd(x, 3)).toBeCloseTo(1.2157032966310473, 12);
    expect(meanPlusKStd(x, 2.5)).toBeCloseTo(1.076419413859206, 12);
    expect(max(x)).toBe(0.9);
    expect(() => max([1, NaN])).toThrow(/not finite/);
  });
  it('parses method specs', () => {
    expect(parseThresholdSpec('p95')).toEqual({ kind: 'percentile', value: 95 });
    expect(parseThresholdSpec('p99.5')).toEqual({ kind: 'percentile', value: 99.5 });
    expect(parseThresholdSpec('mean+3std')).toEqual({ kind: 'meanPlusKStd', value: 3 });
    expect(parseThresholdSpec('mean+2.5std')).toEqual({ kind: 'meanPlusKStd', value: 2.5 });
    expect(parseThresholdSpec('max').kind).toBe('max');
    for (const bad of ['p', 'p101', 'mean+std', 'mean-3std', '95', 'median', '']) {
      expect(() => parseThresholdSpec(bad), bad).toThrow(/threshold/);
    }
    expect(() => parseThresholdSpec('p96x')).toThrow('unknown threshold "p96x": expected p95, p99, p<0..100>, mean+<K>std (e.g. mean+3std), median+<K>mad, logmedian+<K>mad, max, heldout-RULE, scaled-RULE, shifted-RULE, oof-RULE or min(RULE,RULE)');
  });
  it('computeThreshold dispatches', () => {
    expect(computeThreshold('p95', [1, 2, 3, 4])).toBeCloseTo(3.85, 12);
    expect(computeThreshold({ kind: 'max', value: 0 }, [1, 2, 3, 4])).toBe(4);
  });
});

describe('bestF1Threshold', () => {
  it('finds the separating threshold', () => {
    const r = bestF1Threshold([0.1, 0.2, 0.3, 0.7, 0.8], [0, 0, 0, 1, 1]);
    expect(r).toEqual({ threshold: 0.3, f1: 1, precision: 1, recall: 1 });
  });
  it('never splits a group of tied scores', () => {
    // Flagging "0.9 and the first 0.5" would give F1 = 1, but no threshold does that.
    const r = bestF1Threshold([0.9, 0.5, 0.5, 0.5, 0.1], [1, 1, 0, 0, 0]);
    expect(r.threshold).toBe(0.5);
    expect(r.f1).toBeCloseTo(2 / 3, 12);
  });
  it('agrees with an exhaustive scan over unique scores (ties included)', () => {
    const scores = [0.5, 0.5, 0.2, 0.9, 0.5, 0.1, 0.9, 0.3, 0.7, 0.7], labels = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0];
    let best = { t: NaN, f1: -1 };
    for (const t of [...new Set(scores)].sort((a, b) => b - a)) {
      const f1 = evaluate(scores, labels, t).f1;
      if (f1 > best.f1) best = { t, f1 };
    }
    const r = bestF1Threshold(scores, labels);
    expect(r.threshold).toBe(best.t);
    expect(r.f1).toBeCloseTo(best.f1, 12);
    expect(r.f1).toBeCloseTo(evaluate(scores, labels, r.threshold).f1, 12);
  });
});
