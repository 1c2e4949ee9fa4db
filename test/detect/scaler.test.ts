import { describe, expect, it } from 'vitest';
import { fitScaler, inverseTransform, scalerFromJSON, scalerToJSON, transform } from '../../src/detect/scaler.ts';

// 3 beats of length 2: column 0 = [1, 2, 3], column 1 = [5, 5, 5] (constant).
const beats = Float32Array.from([1, 5, 2, 5, 3, 5]);

describe('scalers', () => {
  it('standard: per-timestep mean and population std; constant column divided by 1', () => {
    const s = fitScaler('standard', beats, 3, 2);
    expect(Array.from(s.offset)).toEqual([2, 5]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(s.scale[1]).toBe(1);
    const out = transform(s, beats);
    expect(out[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 6);
    expect(Array.from(out.filter((_, i) => i % 2 === 1))).toEqual([0, 0, 0]);
  });
  it('minmax maps the fitted beats to [0, 1]', () => {
    const s = fitScaler('minmax', beats, 3, 2);
    expect(Array.from(transform(s, beats))).toEqual([0, 0, 0.5, 0, 1, 0]);
  });
  it('round-trips through inverseTransform and JSON', () => {
    const data = Float32Array.from({ length: 50 * 7 }, (_, i) => Math.sin(i * 0.37) * (i % 7) + (i % 7));
    for (const kind of ['standard', 'minmax'] as const) {
      const s = fitScaler(kind, data, 50, 7);
      const back = inverseTransform(s, transform(s, data));
      back.forEach((v, i) => expect(v).toBeCloseTo(data[i], 5));
      const copy = scalerFromJSON(JSON.parse(JSON.stringify(scalerToJSON(s))), 7);
      expect(transform(copy, data)).toEqual(transform(s, data));
    }
  });
  it('accumulates in float64 (large offset, small spread)', () => {
    const n = 1000, data = Float32Array.from({ length: n }, (_, i) => 10000 + (i % 2)); // length 1
    const s = fitScaler('standard', data, n, 1);
    expect(s.offset[0]).toBe(10000.5);
    expect(s.scale[0]).toBe(0.5);
  });
  it('validates input and JSON', () => {
    expect(() => fitScaler('robust' as 'standard', beats, 3, 2)).toThrow(/unknown scaler/);
    expect(() => fitScaler('standard', beats, 4, 2)).toThrow(/beats.length/);
    const s = fitScaler('standard', beats, 3, 2);
    expect(() => transform(s, Float32Array.from([1, 2, 3]))).toThrow('transform: 3 values are not whole beats of length 2');
    const json = scalerToJSON(s);
    expect(() => scalerFromJSON(json, 140)).toThrow('scaler: fitted on beats of length 2, but the model expects 140');
    expect(() => scalerFromJSON({ ...json, kind: 'zscore' })).toThrow(/unknown kind "zscore"/);
    expect(() => scalerFromJSON({ ...json, std: [1] })).toThrow('scaler: "std" has 1 values, expected 2');
    expect(() => scalerFromJSON({ ...json, std: [1, 0] })).toThrow(/positive/);
    expect(() => scalerFromJSON(null)).toThrow(/object/);
  });
});
