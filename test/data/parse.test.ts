import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUcrPair, loadBeatFile, loadDataFolder, loadPtbPair } from '../../src/data/load-node.ts';
import { checkBeatValue, DataFormatError, FLOAT32_MAX, isFloat32Finite, parseArff, parseCsv, parsePtb, parseUcr, PTB_LENGTH } from '../../src/data/parse.ts';

function thrown(fn: () => unknown): DataFormatError {
  try { fn(); } catch (e) { return e as DataFormatError; }
  throw new Error('expected an error');
}

describe('parseUcr', () => {
  it('reads tabs or spaces, any length, normalises numeric labels', () => {
    const set = parseUcr(' 1.0000000e+00  0.5 -1.5e-1\t2\n2\t3\t4\t5\n\n\n', { source: 'a.txt' });
    expect(set).toMatchObject({ n: 2, length: 3, labels: ['1', '2'], source: 'a.txt' });
    expect(Array.from(set.beats)).toEqual([0.5, Math.fround(-0.15), 2, 3, 4, 5]);
  });

  it('names file, line and field of a non-number', () => {
    const text = ['1 1 2 3', '1 1 2 3', '2 1 abc 3'].join('\n');
    const e = thrown(() => parseUcr(text, { source: 'ECG5000_TRAIN.txt' }));
    expect(e).toBeInstanceOf(DataFormatError);
    expect(e.message).toBe('ECG5000_TRAIN.txt line 3, field 3: "abc" is not a number');
    expect([e.file, e.line, e.field]).toEqual(['ECG5000_TRAIN.txt', 3, 3]);
  });

  it('rejects NaN, hex and Infinity rather than guessing', () => {
    for (const bad of ['NaN', '0x10', 'Infinity', '1,5']) {
      expect(() => parseUcr(`1 1 ${bad}`, { source: 'a.txt' })).toThrow(`a.txt line 1, field 3: "${bad}" is not a number`);
    }
  });

  it('reports a ragged row against line 1', () => {
    const lines = Array.from({ length: 6 }, () => '1 ' + Array(140).fill('0.5').join(' '));
    lines[4] = '1 ' + Array(139).fill('0.5').join(' ');
    const e = thrown(() => parseUcr(lines.join('\n'), { source: 'x.txt' }));
    expect(e.message).toBe('x.txt line 5 has 139 values, expected 140 (as line 1)');
    expect(e.line).toBe(5);
  });

  it('rejects an empty file and a blank line in the middle', () => {
    expect(() => parseUcr('', { source: 'x.txt' })).toThrow('x.txt: file is empty (no beats)');
    expect(() => parseUcr('\n  \n', { source: 'x.txt' })).toThrow('x.txt: file is empty (no beats)');
    expect(() => parseUcr('1 2 3\n\n1 2 3\n', { source: 'x.txt' })).toThrow('x.txt line 2 is blank');
  });

  it('points a comma-separated file to the CSV reader', () => {
    expect(() => parseUcr('1,2,3\n', { source: 'x.txt' })).toThrow(/comma-separated/);
  });
});

describe('parseCsv', () => {
  it('label last by default, no header', () => {
    const set = parseCsv('0.1,0.2,1\n0.3,0.4,0\n', { source: 'ecg.csv' });
    expect(set.labels).toEqual(['1', '0']);
    expect(Array.from(set.beats)).toEqual([0.1, 0.2, 0.3, 0.4].map(Math.fround));
  });

  it('detects a header, but a non-numeric label alone is data', () => {
    expect(parseCsv('a,b,label\n1,2,N\n', { source: 'h.csv' }).n).toBe(1);
    const noHeader = parseCsv('1,2,N\n3,4,V\n', { source: 'h.csv' });
    expect(noHeader.labels).toEqual(['N', 'V']);
    expect(() => parseCsv('a,b,label\n', { source: 'h.csv' })).toThrow('h.csv: file is empty (a header row but no beats)');
  });

  it('names line and field; counts lines including the header', () => {
    const e = thrown(() => parseCsv('x,y,label\n1,2,1\n1,,1\n', { source: 'h.csv' }));
    expect(e.message).toBe('h.csv line 3, field 2: "" is not a number');
    const ragged = thrown(() => parseCsv('1,2,3,1\n1,2,1\n', { source: 'r.csv', labelColumn: 'first' }));
    expect(ragged.message).toBe('r.csv line 2 has 2 values, expected 3 (as line 1)');
  });

  it('reports an empty label', () => {
    expect(() => parseCsv('1,2,\n', { source: 'e.csv' })).toThrow('e.csv line 1, field 3: the label is empty');
  });
});

describe('parsePtb', () => {
  const row = (label: number) => [...Array.from({ length: 120 }, (_, i) => (i / 120).toExponential(18)), ...Array(67).fill('0.000000000000000000e+00'), label.toExponential(18)].join(',');
  it('keeps all 187 values, zero padding included; label 0 = normal', () => {
    const set = parsePtb([row(0), row(0)].join('\n') + '\n', { source: 'ptbdb_normal.csv' });
    expect(set).toMatchObject({ n: 2, length: PTB_LENGTH, labels: ['0', '0'], normalLabel: '0' });
    expect(set.beats[186]).toBe(0);
    expect(set.beats[1]).toBeCloseTo(1 / 120, 7);
  });
  it('rejects another length', () => {
    expect(() => parsePtb('1,2,3,0\n', { source: 'ptbdb_normal.csv' })).toThrow('ptbdb_normal.csv line 1: beats have 3 values, the PTB format has 187');
  });

  it('loads the pair from a folder as one labelled set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ptb-'));
    writeFileSync(path.join(dir, 'ptbdb_normal.csv'), [row(0), row(0), row(0)].join('\n'));
    writeFileSync(path.join(dir, 'ptbdb_abnormal.csv'), [row(1), row(1)].join('\n'));
    const found = findUcrPair(dir);
    expect(found.kind).toBe('ptb');
    const both = loadPtbPair(found.train, found.test!);
    expect(both).toMatchObject({ n: 5, length: 187, labels: ['0', '0', '0', '1', '1'], normalLabel: '0' });
    const { train, test } = loadDataFolder(dir, { testFraction: 0.4, seed: 1 });
    expect(train.n + test!.n).toBe(5);
    expect(test!.n).toBe(2);
  });
});

describe('parseArff', () => {
  const header = '% comment\n@RELATION x\n@ATTRIBUTE a NUMERIC\n@ATTRIBUTE b numeric\n@attribute class {1,2}\n@DATA\n';
  it('label is the last (nominal) attribute', () => {
    const set = parseArff(header + '0.5,1.5,2\n-1,2,1\n', { source: 'x.arff' });
    expect(set.labels).toEqual(['2', '1']);
    expect(Array.from(set.beats)).toEqual([0.5, 1.5, -1, 2]);
  });
  it('checks labels against the class values and counts file lines', () => {
    const e = thrown(() => parseArff(header + '0.5,1.5,2\n-1,2,3\n', { source: 'x.arff' }));
    expect(e.message).toBe('x.arff line 8, field 3: label "3" is not one of the class values {1,2}');
    expect(() => parseArff(header + '0.5,?,2\n', { source: 'x.arff' })).toThrow('x.arff line 7, field 2: "?" is not a number');
    expect(() => parseArff('@relation x\n@attribute a numeric\n@data\n1\n', { source: 'y.arff' })).toThrow(/no nominal class attribute/);
    expect(() => parseArff(header, { source: 'z.arff' })).toThrow('z.arff: file is empty (no beats)');
  });
});

describe('loadBeatFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'beats-'));
  it('says which file is missing', () => {
    const missing = path.join(dir, 'nope.txt');
    expect(() => loadBeatFile(missing)).toThrow(`no such file: ${missing}`);
  });
  it('picks the parser by extension; CSV label last unless told', () => {
    writeFileSync(path.join(dir, 'a.tsv'), '1\t2\t3\n');
    writeFileSync(path.join(dir, 'b.csv'), '2,3,1\n');
    writeFileSync(path.join(dir, 'c.csv'), '1,2,3\n');
    writeFileSync(path.join(dir, 'empty.csv'), '');
    expect(loadBeatFile(path.join(dir, 'a.tsv'))).toMatchObject({ labels: ['1'], length: 2, source: 'a.tsv' });
    expect(loadBeatFile(path.join(dir, 'b.csv'))).toMatchObject({ labels: ['1'], length: 2 });
    expect(loadBeatFile(path.join(dir, 'c.csv'), { labelColumn: 'first' })).toMatchObject({ labels: ['1'], length: 2 });
    expect(() => loadBeatFile(path.join(dir, 'empty.csv'))).toThrow('empty.csv: file is empty (no beats)');
    writeFileSync(path.join(dir, 'x.json'), '{}');
    expect(() => loadBeatFile(path.join(dir, 'x.json'))).toThrow(/cannot tell the format/);
  });
  it('findUcrPair reports an empty folder', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'none-'));
    expect(() => findUcrPair(empty)).toThrow(/no beat files found/);
    writeFileSync(path.join(empty, 'ecg.csv'), '1,2,1\n3,4,0\n');
    expect(findUcrPair(empty)).toEqual({ kind: 'ecg-csv', train: path.join(empty, 'ecg.csv'), test: null });
    expect(loadBeatFile(path.join(empty, 'ecg.csv')).normalLabel).toBe('1');
  });
});

describe('values beyond float32 (issue 10, item 4)', () => {
  it('isFloat32Finite: the float32 range exactly, not the double one', () => {
    expect(FLOAT32_MAX).toBe(Math.fround(3.4028234663852886e38));
    for (const ok of [0, -0, 1e-50, 3.4028234663852886e38, -3.4028234663852886e38]) expect(isFloat32Finite(ok), String(ok)).toBe(true);
    for (const bad of [1e39, -1e39, 3.4028235677973366e38, Infinity, -Infinity, NaN]) expect(isFloat32Finite(bad), String(bad)).toBe(false);
    expect(checkBeatValue('-2.5e3', { file: 'f', line: 1, field: 1 })).toBe(-2500);
  });

  it('every format names file, line and field of 1e39, -1e39 and 1e999', () => {
    const header = '@relation x\n@attribute a numeric\n@attribute b numeric\n@attribute class {1,2}\n@data\n';
    for (const bad of ['1e39', '-1e39', '1e999']) {
      const cases: [() => unknown, string][] = [
        [() => parseUcr(`1 0.5 0.5\n1 0.5 ${bad}\n`, { source: 'a.txt' }), `a.txt line 2, field 3: "${bad}" is outside float32's range`],
        [() => parseUcr(`0.5 ${bad}\n`, { source: 'u.txt', unlabelled: true }), `u.txt line 1, field 2: "${bad}" is outside float32's range`],
        [() => parseCsv(`t0,t1,label\n${bad},0.5,1\n`, { source: 'b.csv' }), `b.csv line 2, field 1: "${bad}" is outside float32's range`],
        [() => parseCsv(`1,0.5,${bad}\n`, { source: 'c.csv', labelColumn: 'first' }), `c.csv line 1, field 3: "${bad}" is outside float32's range`],
        [() => parseArff(`${header}0.5,${bad},2\n`, { source: 'd.arff' }), `d.arff line 6, field 2: "${bad}" is outside float32's range`],
        [() => parsePtb([...Array(186).fill('0'), bad, '0'].join(',') + '\n', { source: 'ptbdb_normal.csv' }), `ptbdb_normal.csv line 1, field 187: "${bad}" is outside float32's range`],
      ];
      for (const [fn, message] of cases) {
        const e = thrown(fn);
        expect(e).toBeInstanceOf(DataFormatError);
        expect(e.message).toContain(message);
      }
    }
  });
});

describe('label-first CSV read with the label-last default (issue 10, item 8)', () => {
  const ucrRows = ['1.0000000e+00,-0.11,0.25,0.5', '2.0000000e+00,0.3,0.1,-0.75'];
  it('is refused with a message naming --label-column', () => {
    const e = thrown(() => parseCsv(ucrRows.join('\n') + '\n', { source: 'first.csv' }));
    expect(e).toBeInstanceOf(DataFormatError);
    expect(e.message).toMatch(/^first\.csv: the first column looks like an integer class label .*--label-column first/);
    expect(e.line).toBe(1);
  });
  it('is read when the flag says so, either way', () => {
    expect(parseCsv(ucrRows.join('\n'), { source: 'first.csv', labelColumn: 'first' }).labels).toEqual(['1', '2']);
    expect(parseCsv(ucrRows.join('\n'), { source: 'first.csv', labelColumn: 'last' }).labels).toEqual(['0.5', '-0.75']);
  });
  it('does not fire on label-last files: integer labels last, text labels, or integers at both ends', () => {
    expect(parseCsv('0.1,0.2,1\n0.3,0.4,0\n', { source: 'ecg.csv' }).labels).toEqual(['1', '0']);
    expect(parseCsv('1,0.2,N\n2,0.4,V\n', { source: 't.csv' }).labels).toEqual(['N', 'V']);
    expect(parseCsv('512,600,1\n498,620,2\n', { source: 'adc.csv' }).labels).toEqual(['1', '2']);
  });
  it('loadBeatFile applies it by default and not with an explicit --label-column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'layout-'));
    writeFileSync(path.join(dir, 'first.csv'), ucrRows.join('\n') + '\n');
    expect(() => loadBeatFile(path.join(dir, 'first.csv'))).toThrow(/--label-column first/);
    expect(loadBeatFile(path.join(dir, 'first.csv'), { labelColumn: 'first' }).length).toBe(3);
  });
});
