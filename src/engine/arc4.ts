// seedrandom's default generator (ARC4 keyed by the seed string; David Bau's seedrandom 3.0.5,
// MIT), ported as a plain ES module: the same bits for the same seed, and the same {i, j, S}
// state for checkpoints. Why a port and not the package: seedrandom is a CommonJS module that
// loads all seven of its generators, which a bundler cannot tree-shake, so every page that
// scores beats carried ~7 kB of generators it never called. test/package/arc4-compat.test.ts
// checks this port against the package, bit for bit.

const WIDTH = 256;            // each ARC4 output byte is 0 <= x < 256
const MASK = WIDTH - 1;
const CHUNKS = 6;             // six bytes (48 bits) start each double
const START_DENOM = 2 ** 48;  // WIDTH ** CHUNKS
const SIGNIFICANCE = 2 ** 52; // a double's significant bits
const OVERFLOW = 2 ** 53;

export interface Arc4State { i: number; j: number; S: number[] }

export interface Arc4Generator {
  /** Uniform double in [0, 1) with 53 random bits (seedrandom's prng()). */
  (): number;
  /** A copy of the generator's state. */
  state(): Arc4State;
}

/** seedrandom's mixkey: folds the seed's UTF-16 code units into a key of at most 256 bytes. */
function keyOf(seed: string): number[] {
  const key: number[] = [];
  let smear = 0;
  for (let j = 0; j < seed.length; j++) {
    smear ^= (key[MASK & j] ?? 0) * 19;
    key[MASK & j] = MASK & (smear + seed.charCodeAt(j));
  }
  return key;
}

/** The generator seedrandom(seed) returns; with `restore`, it continues from that state. */
export function arc4Generator(seed: string, restore?: Arc4State): Arc4Generator {
  let key = keyOf(seed);
  if (key.length === 0) key = [0];
  const S: number[] = [];
  for (let n = 0; n < WIDTH; n++) S[n] = n;
  for (let n = 0, j = 0; n < WIDTH; n++) { // key scheduling
    const t = S[n];
    j = MASK & (j + key[n % key.length] + t);
    S[n] = S[j];
    S[j] = t;
  }
  let i = 0, j = 0;
  /** The next `count` output bytes as one big-endian number. */
  const bytes = (count: number): number => {
    let r = 0;
    while (count--) {
      i = MASK & (i + 1);
      const t = S[i];
      j = MASK & (j + t);
      S[i] = S[j];
      S[j] = t;
      r = r * WIDTH + S[MASK & (S[i] + t)];
    }
    return r;
  };
  bytes(WIDTH); // RC4-drop[256], as seedrandom does
  if (restore) { i = restore.i; j = restore.j; for (let n = 0; n < WIDTH; n++) S[n] = restore.S[n]; }

  const next = (() => {
    let n = bytes(CHUNKS), d = START_DENOM, x = 0;
    while (n < SIGNIFICANCE) { n = (n + x) * WIDTH; d *= WIDTH; x = bytes(1); } // fill 52 bits
    while (n >= OVERFLOW) { n /= 2; d /= 2; x >>>= 1; } // never round up
    return (n + x) / d;
  }) as Arc4Generator;
  next.state = () => ({ i, j, S: S.slice() });
  return next;
}
