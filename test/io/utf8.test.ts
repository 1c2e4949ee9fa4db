// src/io/utf8.ts against the Web APIs it replaces in the scoring core (TextEncoder, TextDecoder fatal).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8DecodeStrict, utf8Encode } from '../../src/io/utf8.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const reference = (bytes: Uint8Array): string | 'error' => { try { return decoder.decode(bytes); } catch { return 'error'; } };
const ours = (bytes: Uint8Array): string | 'error' => { try { return utf8DecodeStrict(bytes); } catch { return 'error'; } };

describe('utf8', () => {
  it('encodes any string (lone surrogates included) as TextEncoder does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 6 }).map((cs) => String.fromCharCode(...cs)),
      (a, b) => { expect(utf8Encode(a + b).join()).toBe(new TextEncoder().encode(a + b).join()); }), { numRuns: 200 });
  });

  it('decodes, and refuses, exactly what TextDecoder fatal does', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => { expect(ours(bytes)).toBe(reference(bytes)); }), { numRuns: 3000 });
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff]]) {
      expect(ours(Uint8Array.from(bad)), JSON.stringify(bad)).toBe('error');
      expect(reference(Uint8Array.from(bad))).toBe('error');
    }
  });

  it('round-trips long text (over the fromCharCode flush size)', () => {
    const text = 'ECG 🫀 ≥ 1 mV; '.repeat(2000);
    expect(utf8DecodeStrict(utf8Encode(text))).toBe(text);
  });
});
