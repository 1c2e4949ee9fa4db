// Seeded randomness. Every random draw in cardiograd (init, shuffling, VAE noise, synthetic data)
// goes through one of these generators, so the same seed gives the same bits.

import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number | string): Rng {
  const next = seedrandom(String(seed));
  let spare: number | null = null;
  return {
    uniform: () => next(),
    normal() {
      if (spare !== null) { const s = spare; spare = null; return s; }
      let u = 0;
      while (u === 0) u = next(); // log(0) would be -Infinity
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => Math.floor(next() * n),
  };
}

/** Fisher-Yates shuffle of 0..n-1 into `order` (reused across epochs). */
export function shuffleIndices(order: Int32Array | number[], rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
}
