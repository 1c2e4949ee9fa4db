import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { confusion, detectionRateByClass, evaluate, formatMetricsTable, prAuc, rocAuc } from '../../src/evaluation/metrics.ts';

/** AUC by its definition: P(score of anomaly > score of normal), ties count 1/2. O(n²). */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0, pairs = 0;
  scores.forEach((sp, i) => { if (!labels[i]) return;
    scores.forEach((sn, j) => { if (labels[j]) return; pairs++; wins += sp > sn ? 1 : sp === sn ? 0.5 : 0; }); });
  return wins / pairs;
}

describe('rocAuc / prAuc', () => {
  it('match sklearn on the textbook case', () => {
    // sklearn: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75, average_precision_score = 0.8333…
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9);
  });

  it('handle ties (hand-computed)', () => {
    const s = [0.5, 0.5, 0.2, 0.9, 0.5, 0.1, 0.9, 0.3], y = [1, 0, 0, 1, 1, 0, 0, 0];
    expect(rocAuc(s, y)).toBeCloseTo(11.5 / 15, 12);
    // thresholds 0.9: P = 1/2, R = 1/3; 0.5: P = 3/5, R = 1 → AP = 1/3·1/2 + 2/3·3/5
    expect(prAuc(s, y)).toBeCloseTo(1 / 6 + 2 / 5, 12);
    expect(rocAuc([1, 1, 1], [0, 1, 0])).toBe(0.5);
  });

  it('perfect, reversed, and one-class cases', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(prAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
    expect(prAuc([1, 2], [0, 0])).toBeNaN();
  });

  it('rocAuc equals the pairwise definition (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 40 }),
      (pairs) => {
        const s = pairs.map((p) => p[0] / 5), y = pairs.map((p) => p[1]);
        if (!y.includes(0) || !y.includes(1)) return;
        expect(rocAuc(s, y)).toBeCloseTo(pairwiseAuc(s, y), 12);
      }));
  });
});

describe('thresholded metrics', () => {
  const scores = [0.1, 0.4, 0.35, 0.8, 0.6], labels = [0, 0, 1, 1, 0];
  it('confusion uses score > threshold', () => {
    expect(confusion(scores, labels, 0.35)).toEqual({ tp: 1, fp: 2, tn: 1, fn: 1 });
    expect(confusion(scores, labels, 0.8)).toEqual({ tp: 0, fp: 0, tn: 3, fn: 2 });
  });
  it('evaluate puts it all together', () => {
    const m = evaluate(scores, labels, 0.35, ['1', '1', '2', '3', '1']);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBeCloseTo(1 / 2, 12);
    expect(m.f1).toBeCloseTo(0.4, 12);
    expect(m.accuracy).toBeCloseTo(2 / 5, 12);
    expect(m.threshold).toBe(0.35);
    expect(m.byClass).toEqual({ 1: { count: 3, flagged: 2, rate: 2 / 3 }, 2: { count: 1, flagged: 0, rate: 0 }, 3: { count: 1, flagged: 1, rate: 1 } });
  });
  it('guards divisions by zero', () => {
    const m = evaluate([0, 0], [0, 0], 1);
    expect([m.precision, m.recall, m.f1, m.accuracy]).toEqual([0, 0, 0, 1]);
    expect(m.byClass).toEqual({ normal: { count: 2, flagged: 0, rate: 0 } });
    expect(evaluate([], [], 1).accuracy).toBe(0);
  });
  it('detectionRateByClass', () => {
    expect(detectionRateByClass([1, 0, 1, 1], ['2', '2', '5', '1'])).toEqual({
      2: { count: 2, flagged: 1, rate: 0.5 }, 5: { count: 1, flagged: 1, rate: 1 }, 1: { count: 1, flagged: 1, rate: 1 } });
    expect(() => detectionRateByClass([1], ['1', '2'])).toThrow();
  });
  it('formats a table', () => {
    const table = formatMetricsTable(evaluate(scores, labels, 0.35, ['1', '1', '2', '3', '1']));
    expect(table).toMatch(/^ROC AUC\s+0\.6667$/m);
    expect(table).toMatch(/^F1\s+0\.4000$/m);
    expect(table).toMatch(/^1\s+3\s+2\s+66\.7%$/m);
    expect(formatMetricsTable(evaluate([1, 2], [0, 0], 1))).toMatch(/^ROC AUC\s+n\/a$/m);
  });
});
