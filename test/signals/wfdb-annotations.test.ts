// WFDB annotation files: 100.atr against PhysioNet's rdann listing (every field), write-then-read
// round trips over random annotation lists, and refusals of cut-off files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAnnotations, encodeAnnotations, parseRdannListing, rdannTime, type Annotation }
  from '../../src/signals/wfdb-annotations.ts';
import { readAnnotationFile } from '../../src/signals/wfdb-annotations-node.ts';
import { MITDB } from './paths.ts';

describe('WFDB annotations', () => {
  it('100.atr decodes to exactly 100.ann.txt (time, sample, type, sub, chan, num, aux)', () => {
    const decoded = readAnnotationFile(path.join(MITDB, '100.atr'));
    const text = readFileSync(path.join(MITDB, '100.ann.txt'), 'utf8');
    const listed = parseRdannListing(text, '100.ann.txt');
    expect(listed.length).toBeGreaterThan(2000);
    expect(decoded).toEqual(listed);
    const times = text.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)[0]);
    expect(decoded.map((a) => rdannTime(a.sample, 360))).toEqual(times);
  });

  const label = fc.constantFrom('N', 'V', 'A', 'F', 'Q', '+', '~', '|', 'x', '(', '"');
  const annotation = fc.record({
    gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 1024, max: 5_000_000 })),
    symbol: label,
    subtype: fc.integer({ min: -512, max: 511 }),
    chan: fc.integer({ min: 0, max: 3 }),
    num: fc.integer({ min: -512, max: 511 }),
    aux: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /^[\x01-\x7f]*$/.test(s))),
  });

  it('write then read returns the same annotations (gaps over 1023, several at one sample)', () => {
    fc.assert(fc.property(fc.array(annotation, { maxLength: 60 }), (specs) => {
      let t = 0;
      const list: Annotation[] = specs.map(({ gap, ...rest }) => ({ sample: (t += gap), ...rest }));
      expect(decodeAnnotations(encodeAnnotations(list))).toEqual(list);
    }), { numRuns: 300 });
  });

  it('re-encoding 100.atr decodes to the same list', () => {
    const decoded = readAnnotationFile(path.join(MITDB, '100.atr'));
    expect(decodeAnnotations(encodeAnnotations(decoded))).toEqual(decoded);
  });

  it('refuses a cut-off file, an unknown label and out-of-order samples, naming the place', () => {
    const bytes = new Uint8Array(readFileSync(path.join(MITDB, '100.atr')));
    expect(() => decodeAnnotations(bytes.subarray(0, 100), 'x.atr')).toThrow(/x\.atr: ends without/);
    expect(() => encodeAnnotations([{ sample: 5, symbol: 'Z', subtype: 0, chan: 0, num: 0, aux: '' }]))
      .toThrow(/annotation 0: "Z"/);
    expect(() => encodeAnnotations([
      { sample: 5, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' },
      { sample: 4, symbol: 'N', subtype: 0, chan: 0, num: 0, aux: '' }])).toThrow(/annotation 1: sample 4/);
  });
});

describe('reference files for --annotations', () => {
  it('100.atr and 100.ann.txt give the same reference beats and classes', async () => {
    const { readReferenceFile } = await import('../../src/signals/reference-file-node.ts');
    const atr = readReferenceFile(path.join(MITDB, '100.atr'));
    const txt = readReferenceFile(path.join(MITDB, '100.ann.txt'));
    expect(atr.samples.length).toBe(2273);
    expect(Array.from(atr.samples)).toEqual(Array.from(txt.samples));
    expect(atr.classes).toEqual(txt.classes);
    expect(readReferenceFile(path.join(MITDB, '100.beats.csv')).knowsAllClasses).toBe(false);
  });
});
