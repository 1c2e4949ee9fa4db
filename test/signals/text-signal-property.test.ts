// Issue 22 item 6 (text signals): a text signal read as a file (parseTextSignal) and the same
// bytes arriving on stdin in arbitrary chunks (TextSampleStream, as the monitor reads a pipe)
// give identical samples, or the identical error (same line and column named). Bounded:
// 300 seeded runs, well under a second. It found a first sample in exponent form ("1.5e-3")
// taken for a header line and dropped without a word.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTextSignal, TextSampleStream } from '../../src/signals/text-signal.ts';

type Outcome = { samples: number[] } | { error: string };

function outcome(read: () => Float32Array | number[]): Outcome {
  try { return { samples: Array.from(read()) }; } catch (e) { return { error: (e as Error).message }; }
}

/** The stdin way: the text cut at `cuts` (chunk lengths, repeated), pushed chunk by chunk. */
function streamed(text: string, cuts: number[], column: number): number[] {
  const stream = new TextSampleStream('signal.txt', { column });
  const out: number[] = [];
  for (let at = 0, k = 0; at < text.length; k++) {
    const n = cuts[k % cuts.length];
    out.push(...stream.push(text.slice(at, at + n)));
    at += n;
  }
  out.push(...stream.end());
  return out;
}

const sample = fc.oneof(
  fc.double({ min: -50, max: 50, noNaN: true }).map((v) => v.toFixed(3)),
  fc.double({ min: -5, max: 5, noNaN: true }).map((v) => v.toExponential(4)),
  fc.integer({ min: -2048, max: 2047 }).map(String),
);
// Mostly samples; now and then a comment, a blank line, or a cell that is not a number.
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(sample, fc.option(sample, { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a},${b}`)) },
  { weight: 1, arbitrary: fc.constantFrom('# lead MLII', '', '   ', '1.5 # trailing comment') },
  { weight: 1, arbitrary: fc.constantFrom('0x10', 'NaN', 'abc', '1,2,x', '--1') },
);
const signalText = fc.record({
  header: fc.constantFrom('', 'mV\n', 'time,mV\n', '# recorded 2024\n'),
  lines: fc.array(line, { minLength: 1, maxLength: 60 }),
  eol: fc.constantFrom('\n', '\r\n'),
  trailing: fc.boolean(),
}).map(({ header, lines, eol, trailing }) => header.replace('\n', eol) + lines.join(eol) + (trailing ? eol : ''));

describe('text signals: file and stdin read the same', () => {
  it('same samples or the same error, whatever the chunking (300 runs)', () => {
    fc.assert(fc.property(signalText, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 1),
      (text, cuts, column) => {
        const file = outcome(() => parseTextSignal(text, 'signal.txt', column));
        const stdin = outcome(() => streamed(text, cuts, column));
        // A whole file with no sample is an error; a stream cannot know that until it ends (the monitor says so then).
        expect(stdin).toEqual('error' in file && file.error === 'signal.txt: no samples' ? { samples: [] } : file);
      }), { numRuns: 300, seed: 20261203 });
  });

  it('the samples are the numbers of the chosen column (a well-formed signal)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(sample, sample), { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 1), (rows, column) => {
      const text = rows.map(([a, b]) => `${a},${b}`).join('\n') + '\n';
      expect(Array.from(parseTextSignal(text, 'signal.txt', column))).toEqual(rows.map((r) => Math.fround(Number(r[column]))));
    }), { numRuns: 100, seed: 20261203 });
  });
});
