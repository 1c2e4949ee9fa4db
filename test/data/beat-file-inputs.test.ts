// Issue 22 item 5: degenerate beat files for train, evaluate and detect. On today's main a UTF-16
// file failed with "not a number" on line 1, a CR-only file was one long line ("blank line" or
// a 1-row file), 1-sample beats, one beat or 300 identical beats trained "fine" (threshold
// 4.6e-18: every real beat flagged), a file over V8's string limit died with no file named,
// /dev/zero was read until memory ran out, a symlink loop was "no such file". Here each is read
// correctly (CR-only) or refused with what is wrong, the file named (and the line, where one applies).

import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBeatFile, MAX_BEAT_FILE_BYTES } from '../../src/data/load-node.ts';
import { checkTrainingBeats, MIN_TRAINING_BEATS } from '../../src/data/training-checks.ts';
import { runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-beat-inputs-'));
const write = (name: string, content: string | Buffer) => { const f = path.join(tmp, name); writeFileSync(f, content); return f; };
/** `n` distinct UCR rows (label 1, `len` samples), joined by `eol`. */
const rows = (n: number, len = 6, eol = '\n') => Array.from({ length: n }, (_, i) =>
  ['1', ...Array.from({ length: len }, (_, j) => Math.sin(i + j / 3).toFixed(4))].join(' ')).join(eol) + eol;

describe('encodings and line endings', () => {
  it('UTF-16 with a byte-order mark (LE and BE) is refused, naming the encoding', () => {
    const le = write('le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows(3), 'utf16le')]));
    expect(() => loadBeatFile(le)).toThrow(/le\.txt: the file is UTF-16LE .*save it as UTF-8/);
    const be = write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(rows(3), 'utf16le').swap16()]));
    expect(() => loadBeatFile(be)).toThrow(/be\.txt: the file is UTF-16BE/);
  });

  it('UTF-16 without a mark (NUL bytes) is refused, naming the line', () => {
    const f = write('nobom.txt', Buffer.from(rows(3), 'utf16le'));
    expect(() => loadBeatFile(f)).toThrow(/nobom\.txt line 1 holds a NUL byte .*UTF-16 or binary/);
    const later = write('nul-line3.txt', Buffer.concat([Buffer.from(rows(2)), Buffer.from('1 0.5\0 0.2\n')]));
    expect(() => loadBeatFile(later)).toThrow(/nul-line3\.txt line 3 holds a NUL byte/);
  });

  it('bytes that are not UTF-8 (Latin-1) are refused', () => {
    const f = write('latin1.csv', Buffer.concat([Buffer.from('t\xe9,a,label\n', 'latin1'), Buffer.from('1,2,0\n')]));
    expect(() => loadBeatFile(f)).toThrow(/latin1\.csv: the file is not valid UTF-8/);
  });

  it('CR-only (classic Mac), CRLF and LF files read the same beats; errors name the right line', () => {
    const lf = loadBeatFile(write('lf.txt', rows(5)));
    for (const [name, eol] of [['cr.txt', '\r'], ['crlf.txt', '\r\n']]) {
      const set = loadBeatFile(write(name, rows(5, 6, eol)));
      expect({ n: set.n, length: set.length }).toEqual({ n: 5, length: 6 });
      expect(Array.from(set.beats)).toEqual(Array.from(lf.beats));
    }
    const csv = loadBeatFile(write('cr.csv', 'a,b,c,label\r1,2,3,0\r4,5,6,1\r'), { labelColumn: 'last' });
    expect({ n: csv.n, labels: csv.labels }).toEqual({ n: 2, labels: ['0', '1'] });
    const arff = loadBeatFile(write('cr.arff', '@relation x\r@attribute a numeric\r@attribute b numeric\r@attribute c {1,2}\r@data\r1,2,1\r3,4,2\r'));
    expect(arff.n).toBe(2);
    expect(() => loadBeatFile(write('cr-bad.txt', rows(3, 6, '\r') + '1 0.5 x 1 2 3 4\r'))).toThrow(/cr-bad\.txt line 4, field 3: "x"/);
  });
});

describe('what is read at all', () => {
  it('a file over the size limit is refused before reading, naming the size and the limit', () => {
    const f = write('big.txt', rows(3));
    expect(() => loadBeatFile(f, { maxBytes: 100 })).toThrow(/big\.txt is 0\.0 MiB, over the 0 MiB limit for a file of beats/);
    // The default limit, on a sparse file of 300 MiB (nothing is written to disk): refused by stat alone.
    const sparse = write('sparse.txt', '');
    truncateSync(sparse, MAX_BEAT_FILE_BYTES + 44 * 2 ** 20);
    expect(() => loadBeatFile(sparse)).toThrow(/sparse\.txt is 300\.0 MiB, over the 256 MiB limit/);
  });

  it('/dev/zero, a symlink loop and a dangling link are refused at once, each for what it is', () => {
    expect(() => loadBeatFile('/dev/zero', { format: 'ucr' })).toThrow(/\/dev\/zero is not a regular file/);
    const a = path.join(tmp, 'loop-a.txt'), b = path.join(tmp, 'loop-b.txt');
    symlinkSync(b, a);
    symlinkSync(a, b);
    expect(() => loadBeatFile(a)).toThrow(/loop-a\.txt: a loop of symbolic links/);
    const dangling = path.join(tmp, 'dangling.txt');
    symlinkSync(path.join(tmp, 'gone.txt'), dangling);
    expect(() => loadBeatFile(dangling)).toThrow(/dangling\.txt: a symbolic link to a file that does not exist/);
    expect(() => loadBeatFile(path.join(tmp, 'missing.txt'))).toThrow(/no such file: .*missing\.txt/);
  });

  it('1-sample beats are refused, naming the line', () => {
    expect(() => loadBeatFile(write('one-sample.txt', '1 0.5\n1 0.7\n'))).toThrow(/one-sample\.txt line 1 has 1 value besides the label: a beat needs at least 2 samples/);
    expect(() => loadBeatFile(write('one-sample.csv', '0.5\n0.7\n'), { labelColumn: 'none' })).toThrow(/one-sample\.csv line 1 has 1 value: a beat needs at least 2/);
  });
});

describe('beats that cannot be trained on', () => {
  const set = (n: number, same: boolean) => {
    const length = 4, beats = new Float32Array(n * length);
    for (let i = 0; i < beats.length; i++) beats[i] = same ? (i % length) * 0.5 : Math.sin(i);
    return { beats, n, length, labels: Array(n).fill('1'), source: 'x.txt' };
  };
  it(`fewer than ${MIN_TRAINING_BEATS} beats, or all identical, are refused, naming the file`, () => {
    expect(() => checkTrainingBeats(set(1, false))).toThrow(/x\.txt: only 1 normal beats to train on; at least 10/);
    expect(() => checkTrainingBeats(set(300, true))).toThrow(/x\.txt: all 300 normal beats are identical \(zero variance\)/);
    expect(() => checkTrainingBeats(set(MIN_TRAINING_BEATS, false))).not.toThrow();
  });

  it('train refuses them (exit 1, no model), and trains on a CR-only file', () => {
    const same = Array.from({ length: 300 }, () => ['1', ...Array.from({ length: 6 }, (_, j) => String(j))].join(' ')).join('\n') + '\n';
    const cases: [string, string | Buffer, RegExp][] = [
      ['identical.txt', same, /identical\.txt: all 300 beats with the normal label "1" are identical \(zero variance\)/],
      ['single.txt', rows(1), /single\.txt: only 1 beats with the normal label "1" to train on/],
      ['utf16.txt', Buffer.from(rows(20), 'utf16le'), /utf16\.txt line 1 holds a NUL byte/],
    ];
    for (const [name, content, message] of cases) {
      const file = write(name, content);
      const out = path.join(tmp, `model-${name}`);
      const r = runCli('train', ['--train', file, '--out', out, '--epochs', '1', '--no-plots']);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    const cr = write('cr-train.txt', rows(40, 6, '\r'));
    const ok = runCli('train', ['--train', cr, '--out', path.join(tmp, 'model-cr'), '--epochs', '1', '--no-plots']);
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);

  it('detect and evaluate name a UTF-16 or oversized file too', () => {
    const utf16 = write('ECG_UTF16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows(3, 140), 'utf16le')]));
    const model = path.join(tmp, 'model-cr'); // trained above on 6-sample beats: the file is refused before any length check
    for (const [cmd, args] of [['detect', [utf16]], ['evaluate', ['--test', utf16]]] as const) {
      const r = runCli(cmd, ['--model', model, ...args]);
      expect(r.code, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/ECG_UTF16\.txt: the file is UTF-16LE/);
    }
    const sparse = write('huge.txt', '');
    truncateSync(sparse, 2 ** 30);
    const r = runCli('detect', ['--model', model, sparse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/huge\.txt is 1024\.0 MiB, over the 256 MiB limit/);
  }, 120_000);
});
