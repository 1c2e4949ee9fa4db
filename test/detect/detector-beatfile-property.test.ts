// Property: a corrupted beat file (fields replaced by junk, huge or non-finite numbers, fields or
// lines dropped or added, text truncated, bytes flipped) ends in a clear Error naming the file,
// or in a detection where every beat that cannot be scored is flagged: never a TypeError or
// RangeError trace, and never a NaN called normal.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { denseSpec } from '../../src/autoencoders/dense.ts';
import { Detector } from '../../src/detect/detector.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { fitScaler } from '../../src/detect/scaler.ts';
import { ECG5000_DIR } from '../helpers/cli.ts';

const L = 140;
const rows = fs.readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').trim().split('\n').slice(0, 12)
  .map((r) => r.trim().split(/\s+/));
const beats = Float32Array.from(rows.flatMap((r) => r.slice(1).map(Number)));
const detector = new Detector(denseSpec.create({ kind: 'dense', length: L, hidden: [16, 8] }, 2),
  fitScaler('standard', beats, rows.length, L), { value: 1, method: 'test' });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-beatfuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const file = path.join(root, 'BEATS.txt');

/** Loads and scores `text` as a beats file; throws (failing the property) on a crash or a NaN called normal. */
function attempt(text: string, labelColumn?: 'none'): 'refused' | 'scored' {
  fs.writeFileSync(file, text);
  let set;
  try {
    set = loadBeatFile(file, labelColumn ? { labelColumn } : {});
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) throw new Error(`crash trace: ${(e as Error)?.stack}`);
    if (!e.message.includes('BEATS.txt')) throw new Error(`message does not name the file: ${e.message}`);
    return 'refused';
  }
  if (set.length !== L) return 'refused'; // the commands refuse this, naming the file and both lengths
  for (let i = 0; i < set.beats.length; i++) if (!Number.isFinite(set.beats[i])) throw new Error(`non-finite value ${set.beats[i]} passed the loader`);
  const d = detector.detect(set.beats, set.n);
  for (let i = 0; i < set.n; i++) if (!Number.isFinite(d.scores[i]) && d.flags[i] !== 1) throw new Error('a non-finite score was not flagged');
  return 'scored';
}

const junk = fc.oneof(
  fc.constantFrom('abc', '', 'NaN', 'nan', 'Infinity', '-inf', '1e39', '-1e999', '3.4e38', '1e38', '0x10', '1,5', '--1', '.', 'e5', '1e', '١'),
  fc.string({ maxLength: 6 }),
  fc.double().map(String),
);

type Edit =
  | { kind: 'field'; row: number; col: number; value: string }
  | { kind: 'drop-field'; row: number; col: number }
  | { kind: 'add-field'; row: number; value: string }
  | { kind: 'blank-line'; row: number }
  | { kind: 'drop-row'; row: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), row: fc.nat(), col: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant('drop-field' as const), row: fc.nat(), col: fc.nat() }),
  fc.record({ kind: fc.constant('add-field' as const), row: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant('blank-line' as const), row: fc.nat() }),
  fc.record({ kind: fc.constant('drop-row' as const), row: fc.nat() }),
);
/** The rows (without their labels when `unlabelled`) with the edits applied, as a file's text. */
function applyEdits(edits: Edit[], unlabelled = false): string {
  const r = rows.map((x) => x.slice(unlabelled ? 1 : 0));
  for (const e of edits) {
    if (r.length === 0) break;
    const row = r[e.row % r.length];
    if (e.kind === 'field') row[e.col % row.length] = e.value;
    else if (e.kind === 'drop-field') row.splice(e.col % row.length, 1);
    else if (e.kind === 'add-field') row.push(e.value);
    else if (e.kind === 'blank-line') r.splice(e.row % r.length, 0, []);
    else r.splice(e.row % r.length, 1);
  }
  return r.map((x) => x.join('  ')).join('\n') + '\n';
}

const params = { numRuns: 300, seed: 20261201 };

describe('random corruptions of a beats file', () => {
  it('the untouched file scores (the property can tell a refusal from a score)', () => {
    expect(attempt(rows.map((x) => x.join(' ')).join('\n') + '\n')).toBe('scored');
    expect(attempt('1 2 x\n')).toBe('refused');
  });

  it('fields replaced, dropped or added; lines blanked or dropped', () => {
    const seen = { refused: 0, scored: 0 };
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, unlabelled) => {
      seen[attempt(applyEdits(edits, unlabelled), unlabelled ? 'none' : undefined)]++;
    }), params);
    // Both outcomes occur: the cases reach the detector, not only the parser's refusals.
    expect(seen.refused).toBeGreaterThan(params.numRuns / 10);
    expect(seen.scored).toBeGreaterThan(params.numRuns / 10);
  });

  it('text truncated or bytes flipped', () => {
    const text = new TextEncoder().encode(applyEdits([]));
    fc.assert(fc.property(fc.nat(), fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 3 }), (cut, flips) => {
      const bytes = text.slice(0, 1 + (cut % text.length));
      for (const { at, xor } of flips) bytes[at % bytes.length] ^= xor;
      attempt(new TextDecoder().decode(bytes));
    }), params);
  });
});
