// The pure-TS SHA-256 of the scoring core agrees with node:crypto on every padding case.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/io/sha256.ts';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto for every length 0..300 and a 1 MB buffer (a subarray view)', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    for (let n = 0; n <= 300; n++) expect(sha256Hex(big.subarray(7, 7 + n))).toBe(node(big.subarray(7, 7 + n)));
    expect(sha256Hex(big)).toBe(node(big));
  });
});
