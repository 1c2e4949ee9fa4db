// Text signals: whole files and the chunked stdin parser agree; bad values are named by line.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.ts';
import { parseTextSignal, TextSampleStream } from '../../src/signals/text-signal.ts';

describe('text signals', () => {
  it('parses one-column text and CSV with a header line', () => {
    expect(Array.from(parseTextSignal('0.5\n-1.25\n\n2\n', 'a.txt'))).toEqual([0.5, -1.25, 2]);
    expect(Array.from(parseTextSignal('mv,other\n1,9\n2,8\n', 'b.csv'))).toEqual([1, 2]);
    expect(Array.from(parseTextSignal('mv,other\n1,9\n2,8\n', 'b.csv', 1))).toEqual([9, 8]);
    expect(() => parseTextSignal('1\n2\nabc\n', 'c.txt')).toThrow(/c\.txt:3: column 1 \(column 1\) is "abc", not a decimal number/);
    expect(() => parseTextSignal('\n', 'd.txt')).toThrow(/d\.txt: no samples/);
  });

  it('the stream parser gives the same samples for any chunking', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.fround(Math.sin(i) * 3));
    const text = values.map(String).join('\n') + '\n';
    const rng = createRng('text-chunks');
    for (let trial = 0; trial < 5; trial++) {
      const p = new TextSampleStream('stdin');
      const got: number[] = [];
      for (let i = 0; i < text.length;) { const n = 1 + rng.int(40); got.push(...p.push(text.slice(i, i + n))); i += n; }
      got.push(...p.end());
      expect(got).toEqual(values);
    }
  });

  it('names the line of a bad value in a stream', () => {
    const p = new TextSampleStream('stdin');
    p.push('1\n2\n');
    expect(() => p.push('3\nx\n')).toThrow(/stdin:4: column 1 \(column 1\) is "x", not a decimal number/);
  });

  it('a two-column CSV reads the same as a file and piped in chunks (the ECG column named in the header, not interleaved)', () => {
    const text = 'time,ecg\n0,0.5\n1,-0.25\n2,1\n';
    const file = Array.from(parseTextSignal(text, 'two.csv'));
    expect(file).toEqual([0.5, -0.25, 1]);
    const p = new TextSampleStream('stdin');
    const piped = [...p.push(text.slice(0, 13)), ...p.push(text.slice(13)), ...p.end()];
    expect(piped).toEqual(file);
    expect(Array.from(parseTextSignal(text, 'two.csv', 0))).toEqual([0, 1, 2]);
  });

  it('NaN on line 1 is a bad sample, not a header; 0x10 and Infinity are not numbers', () => {
    expect(() => parseTextSignal('NaN\n1\n', 'n.txt')).toThrow(/n\.txt:1: column 1 \(column 1\) is "NaN", not a decimal number/);
    expect(() => new TextSampleStream('stdin').push('NaN\n1\n')).toThrow(/stdin:1: column 1 \(column 1\) is "NaN"/);
    expect(() => parseTextSignal('1\n0x10\n', 'h.txt')).toThrow(/h\.txt:2: column 1 \(column 1\) is "0x10"/);
    expect(() => parseTextSignal('1\nInfinity\n', 'i.txt')).toThrow(/i\.txt:2: column 1 \(column 1\) is "Infinity"/);
  });
});
