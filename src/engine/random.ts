// Seeded randomness. Every random draw in cardiograd (init, shuffling, VAE noise, synthetic data)
// goes through one of these generators, so the same seed gives the same bits.

import { arc4Generator } from './arc4.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

/**
 * Everything a generator needs to continue exactly where it was: seedrandom's ARC4 state
 * (i, j and the 256-entry permutation S) and the Box-Muller spare, if one is pending.
 * Plain JSON, so a training checkpoint can store it.
 */
export interface RngState { arc4: { i: number; j: number; S: number[] }; spare: number | null }

/** A generator whose state can be saved and restored (createRng returns one). */
export interface StatefulRng extends Rng {
  state(): RngState;
}

/**
 * A seeded generator. With `restore`, it continues from a saved state instead (the seed must
 * still be given: seedrandom derives nothing from it then, but the call stays explicit).
 */
export function createRng(seed: number | string, restore?: RngState): StatefulRng {
  if (restore) checkRngState(restore);
  const next = arc4Generator(String(seed), restore?.arc4);
  let spare: number | null = restore ? restore.spare : null;
  return {
    state: () => ({ arc4: next.state(), spare }),
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

function checkRngState(s: RngState): void {
  const a = s?.arc4;
  const ok = a && Number.isInteger(a.i) && Number.isInteger(a.j) && Array.isArray(a.S) && a.S.length === 256 &&
    a.S.every((v) => Number.isInteger(v) && v >= 0 && v < 256) && (s.spare === null || Number.isFinite(s.spare));
  if (!ok) throw new Error('invalid random generator state (expected {arc4: {i, j, S[256]}, spare})');
}

/** Fisher-Yates shuffle of 0..n-1 into `order` (reused across epochs). */
export function shuffleIndices(order: Int32Array | number[], rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
}

// ---- the global generator ----------------------------------------------------------------
// What layers, dropout and the random initialisers draw from when no seed is given (PyTorch's
// default generator). It starts from a fixed seed, so a program that never calls manualSeed
// still gives the same numbers on every run. An explicit seed never touches it.

/** The seed the global generator starts from (and `manualSeed()` without arguments restores). */
export const DEFAULT_GLOBAL_SEED = 0;

let globalGenerator: StatefulRng = createRng(DEFAULT_GLOBAL_SEED);

/** Restarts the global generator from `seed` (torch.manual_seed). */
export function manualSeed(seed: number | string = DEFAULT_GLOBAL_SEED): void {
  globalGenerator = createRng(seed);
}

/** The global generator itself: draws from it advance it. */
export function globalRng(): StatefulRng {
  return globalGenerator;
}

/**
 * A seed drawn from the global generator, for code whose seeded path derives several streams
 * from one seed (a layer seeds `${seed}:weight` and `${seed}:bias`).
 */
export function drawSeed(): string {
  return `global:${Math.floor(globalGenerator.uniform() * 2 ** 32)}`;
}

/** `createRng(seed)` when a seed is given, else the global generator. */
export function rngFor(seed: number | string | undefined): Rng {
  return seed === undefined ? globalGenerator : createRng(seed);
}
