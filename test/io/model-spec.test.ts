// Each kind's spec computes, without building a model, exactly the parameters the model has.

import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { MODEL_SPECS, specOf } from '../../src/autoencoders/registry.ts';

const shapesOfModel = (arch: any) =>
  Object.fromEntries(specOf(arch.kind).create(arch, 0).namedParameters().map(([k, t]) => [k, [...t.shape]]));

describe('model specs', () => {
  const cases = [
    defaultArchitecture('dense', 140), defaultArchitecture('dense', 37, { hidden: [5] }),
    defaultArchitecture('vae', 140), defaultArchitecture('vae', 21, { hidden: [7, 3, 2], latent: 2 }),
    defaultArchitecture('lstm', 140), defaultArchitecture('lstm', 23, { hidden: [5], latent: 3, patch: 6 }),
    defaultArchitecture('conv', 140), defaultArchitecture('conv', 45, { channels: [3, 4, 5], kernel: 3, latent: 2 }),
  ];
  for (const arch of cases) {
    it(`${JSON.stringify(arch)}: parameterShapes = the built model's parameters, in order`, () => {
      const spec = specOf(arch.kind);
      const shapes = spec.parameterShapes(arch);
      expect(Object.entries(shapes)).toEqual(Object.entries(shapesOfModel(arch)));
    });
  }

  it('the registry lists the four kinds, and an unknown kind names the known ones', () => {
    expect(MODEL_SPECS.map((s) => s.kind)).toEqual(['dense', 'vae', 'lstm', 'conv']);
    expect(() => specOf('bogus')).toThrow('unknown model kind "bogus" (known: dense, vae, lstm, conv)');
  });

  it('a huge architecture is sized in microseconds, not allocated', () => {
    const t0 = performance.now();
    const shapes = specOf('dense').parameterShapes({ kind: 'dense', length: 140, hidden: [2_000_000, 32, 16] });
    expect(shapes['encoder.0.weight']).toEqual([2_000_000, 140]);
    expect(performance.now() - t0).toBeLessThan(1000); // generous: the point is "no 2.8 GB model"
  });
});
