// Property tests of the beat-file parsers over random files (issue 10): random numbers, garbage
// tokens, ragged rows, huge exponents, empty lines and fields, BOMs, CRLF. Every parser either
// returns a well-formed matrix of finite float32 values or throws a DataFormatError naming the
// file (and the line and field it points at); never another error, never a non-finite value.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFormatError, parseArff, parseCsv, parsePtb, parseUcr, type LabelColumn } from '../../src/data/parse.ts';
import type { BeatSet } from '../../src/data/dataset.ts';

const SOURCE = 'rand.txt';
// Fixed seed for CI; FC_SEED=<n> explores others (e.g. a longer local fuzz run).
const RUNS = { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261201) };

// Tokens a beat file may (or must not) hold.
const finiteNumber = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => String(x));
const hugeExponent = fc.constantFrom('1e39', '-1e39', '1e999', '-1e999', '3.5e38', '9e307', '1e-999', '4e38');
const garbage = fc.constantFrom('', ' ', 'NaN', 'Infinity', '-inf', '0x1F', '1,5', 'abc', '"1"', "'2'", '1e', 'e5', '+', '.', '--1', '1.2.3', '\t', '{', '@data', '%');
const integerLabel = fc.integer({ min: 0, max: 5 }).map(String);
const token = fc.oneof({ weight: 8, arbitrary: finiteNumber }, { weight: 2, arbitrary: integerLabel },
  { weight: 1, arbitrary: hugeExponent }, { weight: 1, arbitrary: garbage });

/** A random file: rows of tokens (ragged or not), a separator, optional BOM, CRLF, blank lines, header. */
const randomFile = (separator: ',' | ' ' | '\t') => fc.record({
  width: fc.integer({ min: 1, max: 6 }),
  rows: fc.array(fc.array(token, { minLength: 0, maxLength: 7 }), { minLength: 0, maxLength: 8 }),
  ragged: fc.boolean(),
  bom: fc.boolean(),
  crlf: fc.boolean(),
  blankAt: fc.option(fc.nat(), { nil: null }),
  trailingBlank: fc.nat({ max: 2 }),
}).map(({ width, rows, ragged, bom, crlf, blankAt, trailingBlank }) => {
  const lines = rows.map((r) => (ragged ? r : [...r, ...Array(width).fill('0')].slice(0, width + 1)).join(separator));
  if (blankAt !== null && lines.length > 0) lines.splice(blankAt % lines.length, 0, '');
  for (let i = 0; i < trailingBlank; i++) lines.push('');
  return (bom ? '\uFEFF' : '') + lines.join(crlf ? '\r\n' : '\n');
});

/** The contract: a well-formed set of finite float32 values, or a DataFormatError that names where. */
function checkOutcome(parse: () => BeatSet, text: string, source = SOURCE): void {
  let set: BeatSet;
  try {
    set = parse();
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw new Error(`not a DataFormatError: ${(e as Error)?.stack ?? e}`);
    expect(e.file).toBe(source);
    expect(e.message.startsWith(source)).toBe(true);
    const lineCount = text.split(/\r\n|\r|\n/).length; // a lone CR ends a line too
    if (e.line !== null) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lineCount);
      expect(e.message).toContain(`line ${e.line}`);
    }
    if (e.field !== null) {
      expect(e.line).not.toBeNull();
      expect(e.message).toContain(`field ${e.field}`);
    }
    return;
  }
  expect(set.n).toBeGreaterThanOrEqual(1);
  expect(set.length).toBeGreaterThanOrEqual(1);
  expect(set.beats).toBeInstanceOf(Float32Array);
  expect(set.beats.length).toBe(set.n * set.length);
  expect(set.labels.length).toBe(set.n);
  for (const v of set.beats) if (!Number.isFinite(v)) throw new Error(`accepted a non-finite float32 value ${v}`);
}

describe('random beat files: a valid matrix or a DataFormatError naming file, line, field', () => {
  it('UCR text (labelled and unlabelled)', () => {
    fc.assert(fc.property(fc.oneof(randomFile(' '), randomFile('\t')), fc.boolean(), (text, unlabelled) => {
      checkOutcome(() => parseUcr(text, { source: SOURCE, unlabelled }), text);
    }), RUNS);
  });

  it('CSV, every label column and the guessed default', () => {
    const column = fc.constantFrom<LabelColumn | undefined>('first', 'last', 'none', undefined);
    fc.assert(fc.property(randomFile(','), column, fc.constantFrom<boolean | 'auto'>('auto', true, false), (text, labelColumn, header) => {
      checkOutcome(() => parseCsv(text, { source: SOURCE, labelColumn, header }), text);
    }), RUNS);
  });

  it('ARFF (random data rows under a random header)', () => {
    // A header with k numeric attributes, then mostly rows of k values and a class 0..5 (which
    // may or may not be a class value), sometimes rows of any shape.
    const arff = fc.record({ k: fc.integer({ min: 0, max: 4 }), classes: fc.constantFrom('{1,2}', '{0,1,2,3,4,5}', 'numeric', '{'), crlf: fc.boolean() })
      .chain(({ k, classes, crlf }) => {
        const header = ['@relation r', ...Array.from({ length: k }, (_, i) => `@attribute a${i} numeric`), `@attribute class ${classes}`, '@data', ''].join(crlf ? '\r\n' : '\n');
        const fitting = fc.array(fc.tuple(fc.array(token, { minLength: k, maxLength: k }), integerLabel), { minLength: 1, maxLength: 6 })
          .map((rs) => rs.map(([values, label]) => [...values, label].join(',')).join(crlf ? '\r\n' : '\n'));
        return fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 1, arbitrary: randomFile(',') }).map((body) => header + body);
      });
    fc.assert(fc.property(arff, (text) => checkOutcome(() => parseArff(text, { source: SOURCE }), text)), RUNS);
  });

  it('PTB (187 values then the label), with random tokens swapped in', () => {
    const file = fc.record({
      rows: fc.integer({ min: 1, max: 3 }),
      swaps: fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 188 }), token), { maxLength: 3 }),
    }).map(({ rows, swaps }) => {
      const grid = Array.from({ length: rows }, (_, r) => [...Array.from({ length: 187 }, (_, j) => ((r + j) / 200).toFixed(3)), '0']);
      for (const [r, c, t] of swaps) if (r < rows) grid[r][Math.min(c, grid[r].length - 1)] = t;
      return grid.map((r) => r.join(',')).join('\n') + '\n';
    });
    fc.assert(fc.property(file, (text) => checkOutcome(() => parsePtb(text, { source: 'ptbdb_normal.csv' }), text, 'ptbdb_normal.csv')), { ...RUNS, numRuns: 100 });
  });
});

describe('arbitrary text (any code points) never crashes a parser', () => {
  it('every parser: a BeatSet or a DataFormatError', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: fc.constantFrom('1', '0', '.', 'e', '-', '+', ',', ' ', '\t', '\n', '\r', '\uFEFF', '@', '{', '}', '%', "'"), maxLength: 120 }));
    fc.assert(fc.property(text, (t) => {
      checkOutcome(() => parseUcr(t, { source: SOURCE }), t);
      checkOutcome(() => parseCsv(t, { source: SOURCE }), t);
      checkOutcome(() => parseArff(t, { source: SOURCE }), t);
      checkOutcome(() => parsePtb(t, { source: SOURCE }), t);
    }), { ...RUNS, numRuns: 300 });
  });
});

describe('well-formed random files round-trip; one out-of-range value is pinpointed', () => {
  const matrix = fc.record({
    n: fc.integer({ min: 1, max: 6 }),
    length: fc.integer({ min: 2, max: 8 }),
  }).chain(({ n, length }) => fc.record({
    values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: n * length, maxLength: n * length }),
    labels: fc.array(fc.constantFrom('N', 'V', 'S'), { minLength: n, maxLength: n }),
    n: fc.constant(n), length: fc.constant(length),
    crlf: fc.boolean(), bom: fc.boolean(),
    bad: fc.record({ row: fc.nat({ max: n - 1 }), col: fc.nat({ max: length - 1 }), value: fc.constantFrom('1e39', '-1e39', '1e999', '3.41e38') }),
  }));

  it('CSV label last: values come back as the float32 numbers written', () => {
    fc.assert(fc.property(matrix, ({ values, labels, n, length, crlf, bom }) => {
      const lines = Array.from({ length: n }, (_, r) => [...values.slice(r * length, (r + 1) * length).map(String), labels[r]].join(','));
      const set = parseCsv((bom ? '\uFEFF' : '') + lines.join(crlf ? '\r\n' : '\n') + '\n', { source: 'm.csv' });
      expect(set.labels).toEqual(labels);
      expect(Array.from(set.beats, (v) => v + 0)).toEqual(values.map((v) => v + 0)); // + 0: String(-0) is "0"
    }), RUNS);
  });

  it('UCR: a value beyond float32 is reported at its own line and field', () => {
    fc.assert(fc.property(matrix, ({ values, n, length, crlf, bad }) => {
      const rows = Array.from({ length: n }, (_, r) => ['1', ...values.slice(r * length, (r + 1) * length).map(String)]);
      rows[bad.row][bad.col + 1] = bad.value;
      let error: unknown = null;
      try { parseUcr(rows.map((r) => r.join(' ')).join(crlf ? '\r\n' : '\n'), { source: 'b.txt' }); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(DataFormatError);
      const e = error as DataFormatError;
      expect([e.line, e.field]).toEqual([bad.row + 1, bad.col + 2]);
      expect(e.message).toContain(`"${bad.value}" is outside float32's range`);
    }), RUNS);
  });
});
