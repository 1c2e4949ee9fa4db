// The ESM port of seedrandom's ARC4 generator (src/engine/arc4.ts) must give the package's
// bits: same doubles for every seed, same state, same continuation after a restore. Otherwise
// every seeded weight, shuffle and synthetic beat in cardiograd would silently change.

import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { arc4Generator } from '../../src/engine/arc4.ts';
import { createRng } from '../../src/engine/random.ts';

function draws(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => next());
}

describe('engine/arc4.ts against the seedrandom package', () => {
  const seeds = ['0', '1', '42', '', 'a', '0:enc0:weight', '7:train', 'x'.repeat(300), 'é∑😀 mixed ☃ seed', '-1.5e-7', String(2 ** 53)];
  for (const seed of seeds) {
    it(`seed ${JSON.stringify(seed.length > 20 ? `${seed.slice(0, 20)}…` : seed)}: the same 2000 doubles and the same state`, () => {
      const ours = arc4Generator(seed);
      const theirs = seedrandom(seed, { state: true });
      expect(draws(ours, 2000)).toEqual(draws(theirs, 2000));
      expect(ours.state()).toEqual(theirs.state());
    });
  }

  it('any seed string (property test)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), fc.integer({ min: 1, max: 50 }), (seed, n) => {
      expect(draws(arc4Generator(seed), n)).toEqual(draws(seedrandom(seed), n));
    }), { numRuns: 150 });
  });

  it('continues from a saved state exactly like seedrandom restored from the same state', () => {
    const g = arc4Generator('checkpoint');
    draws(g, 123);
    const saved = g.state();
    const ours = arc4Generator('ignored when restoring', saved);
    const theirs = seedrandom('', { state: saved });
    expect(draws(ours, 500)).toEqual(draws(theirs, 500));
    expect(draws(g, 500)).toEqual(draws(arc4Generator('x', saved), 500));
  });

  it('createRng (uniform, normal, int) is unchanged: the same values as on top of the package', () => {
    const rng = createRng('0:enc0:weight');
    const ref = seedrandom('0:enc0:weight');
    const u = Array.from({ length: 100 }, () => rng.uniform());
    expect(u).toEqual(draws(ref, 100));
  });
});
