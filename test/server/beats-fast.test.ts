// The byte-level body parser must agree with JSON.parse + packing bit for bit whenever it
// accepts a body, and must decline (null) whatever it cannot read exactly as JSON would.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.ts';
import { parseBeatsBody } from '../../src/server/beats-body.ts';
import { parseBeatsFast } from '../../src/server/beats-fast.ts';
import { testBeats } from './helpers.ts';

const L = 6;
const enc = (s: string) => new TextEncoder().encode(s);
const slow = (s: string, kind: 'score' | 'predict', max = 64) => { try { return parseBeatsBody(s, kind, L, max); } catch { return null; } };
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

const g = createRng('beats-fast');
const r = () => g.uniform();
const int = (n: number) => Math.floor(r() * n);

/** A number written the many ways JSON allows (and some it does not). */
function numberText(): string {
  const v = (r() - 0.5) * 10 ** (int(12) - 6);
  switch (int(12)) {
    case 0: return String(v);                                  // shortest round-trip, up to 17 digits
    case 1: return v.toPrecision(1 + int(9));
    case 2: return v.toExponential(int(12)).replace('e+', pick(['e+', 'E+', 'e', 'E']));
    case 3: return String(Math.fround(v));
    case 4: return pick(['0', '-0', '0.0', '-0.000', '1e-45', '1.4e-45', '3.4028234663852886e38', '3.4028235e38', '3.41e38',
      '1e39', '1e400', '-1e400', '123456789012345678901234567890', '0.1000000000000000055511151231257827', '1e-400', '9007199254740993']);
    case 5: return pick(['01', '.5', '+1', '1.', '-', '1e', '1e+', 'NaN', 'Infinity', '0x10', '"1"', 'null', '1_0', '- 1']);
    case 6: return String(int(1000000));
    case 7: return (v * 1e-20).toString();
    default: return v.toFixed(int(10));
  }
}
function pick<T>(xs: T[]): T { return xs[int(xs.length)]; }
const space = () => pick(['', '', '', ' ', '\n', '\t ', '\r\n']);
const row = (len = L) => `[${space()}${Array.from({ length: len }, () => numberText()).join(`${space()},${space()}`)}${space()}]`;

function body(): { text: string; kind: 'score' | 'predict' } {
  const kind = r() < 0.3 ? 'predict' as const : 'score' as const;
  const len = r() < 0.9 ? L : int(9);
  const rows = Array.from({ length: 1 + int(4) }, () => row(len)).join(`${space()},${space()}`);
  const text = r() < 0.25 ? `{${space()}"beat"${space()}:${space()}${row(len)}${space()}}`
    : r() < 0.05 ? `{"beats": [${rows}], "beats": [${row()}]}`
    : r() < 0.05 ? `\ufeff{"beats": [${rows}]}`
    : r() < 0.05 ? `{"beats": [${rows}]} x`
    : r() < 0.05 ? `{"beats": []}`
    : `${space()}{${space()}"beats"${space()}:${space()}[${space()}${rows}${space()}]${space()}}${space()}`;
  return { text, kind };
}

describe('parseBeatsFast', () => {
  it('agrees with JSON.parse bit for bit on 5000 random bodies, or declines', () => {
    let accepted = 0;
    for (let k = 0; k < 5000; k++) {
      const { text, kind } = body();
      const fast = parseBeatsFast(enc(text), kind, L, 3);
      const reference = slow(text, kind, 3);
      if (fast === null) continue;
      accepted++;
      expect(reference, text).not.toBeNull();
      expect({ n: fast.n, single: fast.single, bits: bits(fast.data) }, text)
        .toEqual({ n: reference!.n, single: reference!.single, bits: bits(reference!.data) });
    }
    expect(accepted).toBeGreaterThan(500); // the fast path really ran
  });

  it('reads real ECG5000 beats sent the way the client and JSON.stringify send them', () => {
    const beats = testBeats(32);
    for (const text of [JSON.stringify({ beats }), JSON.stringify({ beats: beats.map((b) => b.map((v) => Math.fround(v))) }),
      JSON.stringify({ beats: beats.map((b) => b.map((v) => Number(Math.fround(v).toPrecision(9)))) })]) {
      const fast = parseBeatsFast(enc(text), 'score', 140, 64)!;
      const reference = parseBeatsBody(text, 'score', 140, 64);
      expect(fast).not.toBeNull();
      expect(bits(fast.data)).toEqual(bits(reference.data));
    }
  });
});
