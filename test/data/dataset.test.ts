import { describe, expect, it } from 'vitest';
import { binaryLabels, classCounts, concatBeatSets, normalizeLabel, selectRows, splitValidation, type BeatSet } from '../../src/data/dataset.ts';

function makeSet(n: number, length = 3): BeatSet {
  const beats = Float32Array.from({ length: n * length }, (_, i) => i);
  const labels = Array.from({ length: n }, (_, i) => String(1 + (i % 3)));
  return { beats, n, length, labels, source: 'test.txt' };
}

describe('labels', () => {
  it('normalises numeric labels, keeps others', () => {
    expect(['1.0000000e+00', '1', '1.0', '+1', ' 2 ', '-0', 'N'].map(normalizeLabel)).toEqual(['1', '1', '1', '1', '2', '0', 'N']);
  });
  it('binaryLabels: 0 = normal, 1 = anomaly; numeric comparison', () => {
    const set = { ...makeSet(4), labels: ['1', '2', '1', '5'] };
    expect(Array.from(binaryLabels(set, '1.0'))).toEqual([0, 1, 0, 1]);
    expect(Array.from(binaryLabels(set, '1', ['2', '3', '4', '5']))).toEqual([0, 1, 0, 1]);
  });
  it('binaryLabels names the first unknown label', () => {
    const set = { ...makeSet(4), labels: ['1', '2', '7', '8'] };
    expect(() => binaryLabels(set, '1', ['2', '3'])).toThrow('test.txt: beat 3 has label "7", which is neither the normal label "1" nor a known label (2, 3)');
  });
});

describe('rows', () => {
  it('selectRows keeps order and copies beats', () => {
    const set = makeSet(6);
    const normal = selectRows(set, (l) => l === '1');
    expect(normal.n).toBe(2);
    expect(Array.from(normal.beats)).toEqual([0, 1, 2, 9, 10, 11]);
    normal.beats[0] = 99;
    expect(set.beats[0]).toBe(0);
  });

  it('splitValidation is seeded, disjoint and complete', () => {
    const set = makeSet(100, 1);
    const a = splitValidation(set, 0.2, 7), b = splitValidation(set, 0.2, 7), c = splitValidation(set, 0.2, 8);
    expect(a.validation.n).toBe(20);
    expect(a.train.n).toBe(80);
    expect(Array.from(a.validation.beats)).toEqual(Array.from(b.validation.beats));
    expect(Array.from(a.validation.beats)).not.toEqual(Array.from(c.validation.beats));
    const all = [...a.train.beats, ...a.validation.beats].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(() => splitValidation(set, 1, 0)).toThrow(/fraction/);
  });

  it('concatBeatSets and classCounts', () => {
    const both = concatBeatSets([makeSet(2), makeSet(3)], 'both');
    expect(both.n).toBe(5);
    expect(classCounts(both)).toEqual({ 1: 2, 2: 2, 3: 1 });
    expect(() => concatBeatSets([makeSet(2, 3), makeSet(2, 4)], 'x')).toThrow(/length/);
  });
});
