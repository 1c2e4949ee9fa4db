// The detector's scoring: deterministic and independent of the batch a beat arrives in,
// Monte-Carlo VAE scoring included.

import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { Detector } from '../../src/detect/detector.ts';
import { fitScaler } from '../../src/detect/scaler.ts';
import { generateSyntheticEcg } from '../../src/data/synthetic.ts';

const set = generateSyntheticEcg({ nNormal: 30, nAbnormal: 10, length: 140, seed: 5 });
const scaler = fitScaler('standard', set.beats, set.n, 140);
const beat = (i: number) => set.beats.subarray(i * 140, (i + 1) * 140);

describe('Detector', () => {
  for (const scoring of [{ kind: 'deterministic' as const }, { kind: 'monte-carlo' as const, samples: 4, seed: 3 }]) {
    it(`${scoring.kind}: a beat scores the same alone, in a batch, or twice in one request`, () => {
      const d = new Detector(createAutoencoder(defaultArchitecture('vae', 140), 1), scaler, { value: 1, method: 'test' }, scoring);
      const alone = d.detect(beat(7), 1).scores[0];
      const batch = d.detect(set.beats, set.n).scores;
      const twice = d.detect(Float32Array.from([...beat(3), ...beat(7), ...beat(7)]), 3).scores;
      expect(batch[7]).toBe(alone);
      expect(twice[1]).toBe(alone);
      expect(twice[2]).toBe(alone);
    });
  }

  it('Monte-Carlo scoring needs a VAE; beats of the wrong length are refused', () => {
    const dense = createAutoencoder(defaultArchitecture('dense', 140), 1);
    expect(() => new Detector(dense, scaler, { value: 1, method: 't' }, { kind: 'monte-carlo', samples: 2, seed: 0 })).toThrow(/needs a VAE/);
    expect(() => new Detector(dense, scaler, { value: 1, method: 't' }).detect(new Float32Array(139), 1)).toThrow(/139 samples each, this model expects 140/);
  });
});
