import { describe, expect, it } from 'vitest';
import { classCounts } from '../../src/data/dataset.ts';
import { generateSyntheticEcg, syntheticTrainTest } from '../../src/data/synthetic.ts';

const L = 140;
const row = (b: Float32Array, i: number) => b.subarray(i * L, (i + 1) * L);

describe('synthetic ECG (McSharry model)', () => {
  const set = generateSyntheticEcg({ nNormal: 60, nAbnormal: 40, length: L, seed: 3 });

  it('has the requested shape, labels and per-beat z-normalisation', () => {
    expect([set.n, set.length, set.beats.length]).toEqual([100, L, 100 * L]);
    expect(classCounts(set)).toEqual({ 1: 60, 2: 10, 3: 10, 4: 10, 5: 10 });
    expect(set.normalLabel).toBe('1');
    for (let i = 0; i < set.n; i++) {
      const b = row(set.beats, i);
      const mean = b.reduce((s, v) => s + v, 0) / L;
      const sd = Math.sqrt(b.reduce((s, v) => s + (v - mean) ** 2, 0) / (L - 1));
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(sd).toBeCloseTo(1, 4);
    }
    expect(set.beats.every(Number.isFinite)).toBe(true);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = generateSyntheticEcg({ nNormal: 60, nAbnormal: 40, length: L, seed: 3 });
    expect(again.labels).toEqual(set.labels);
    expect(Buffer.from(again.beats.buffer).equals(Buffer.from(set.beats.buffer))).toBe(true);
    const other = generateSyntheticEcg({ nNormal: 60, nAbnormal: 40, length: L, seed: 4 });
    expect(Buffer.from(other.beats.buffer).equals(Buffer.from(set.beats.buffer))).toBe(false);
  });

  it('normal beats look like each other more than abnormal beats look like them', () => {
    const normals = set.labels.flatMap((l, i) => (l === '1' ? [i] : []));
    const template = new Float64Array(L);
    for (const i of normals) row(set.beats, i).forEach((v, t) => { template[t] += v / normals.length; });
    const mse = (i: number) => row(set.beats, i).reduce((s, v, t) => s + (v - template[t]) ** 2, 0) / L;
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const normalErr = median(normals.map(mse));
    for (const c of ['2', '3', '4', '5']) {
      const err = median(set.labels.flatMap((l, i) => (l === c ? [mse(i)] : [])));
      expect(err, `class ${c}`).toBeGreaterThan(2 * normalErr);
    }
  });

  it('other lengths resample the same cycle', () => {
    const s = generateSyntheticEcg({ nNormal: 2, nAbnormal: 0, length: 64, seed: 0 });
    expect(s.beats.length).toBe(128);
    expect(() => generateSyntheticEcg({ nNormal: -1, nAbnormal: 0 })).toThrow(/nNormal/);
  });

  it('train/test pair shaped like ECG5000', () => {
    const { train, test } = syntheticTrainTest(0);
    expect([train.n, test.n, train.length]).toEqual([500, 1500, 140]);
    expect(classCounts(train)['1']).toBe(300);
    expect(classCounts(test)['1']).toBe(900);
  });
});
