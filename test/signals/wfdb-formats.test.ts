// WFDB formats 8, 61, 80, 310 and 311 (issue 24 item 6) on synthetic bytes laid out as signal(5)
// describes them; the encoders here are written from that description, bit by bit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSignalFile } from '../../src/signals/wfdb-signal.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';

const u10 = (v: number) => v & 0x3ff;

/** 310: per 3 samples two LE words; A in bits 1-10 of w0, B in bits 1-10 of w1, C's low 5 bits in bits 11-15 of w0, high 5 in w1's. */
function pack310(v: number[]): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < v.length; k += 3) {
    const c = k + 2 < v.length ? u10(v[k + 2]) : 0;
    const w0 = (u10(v[k]) << 1) | ((c & 0x1f) << 11);
    const w1 = k + 1 < v.length ? (u10(v[k + 1]) << 1) | ((c >> 5) << 11) : null;
    out.push(w0 & 0xff, w0 >> 8);
    if (w1 !== null) out.push(w1 & 0xff, w1 >> 8);
  }
  return Uint8Array.from(out);
}

/** 311: per 3 samples one LE 32-bit word, A bits 0-9, B 10-19, C 20-29. */
function pack311(v: number[]): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < v.length; k += 3) {
    const n = Math.min(3, v.length - k);
    let w = 0;
    for (let i = 0; i < n; i++) w += u10(v[k + i]) * 2 ** (10 * i);
    const bytes = [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff];
    out.push(...bytes.slice(0, n === 3 ? 4 : n === 2 ? 3 : 2));
  }
  return Uint8Array.from(out);
}

const values10 = [0, 1, -1, 511, -512, 300, -77, 12, -300, 5];

describe('WFDB formats 8, 61, 80, 310, 311', () => {
  it('310 and 311: three 10-bit samples per 4 bytes, a short last group included', () => {
    for (const n of [9, 10, 8]) {
      const v = values10.slice(0, n);
      expect(Array.from(decodeSignalFile(pack310(v), 310, 1, n)[0]), `310 n=${n}`).toEqual(v);
      expect(Array.from(decodeSignalFile(pack311(v), 311, 1, n)[0]), `311 n=${n}`).toEqual(v);
    }
    // Two signals interleaved: frames (a0 b0) (a1 b1) (a2 b2).
    const [a, b] = decodeSignalFile(pack311([1, -1, 2, -2, 3, -3]), 311, 2, 3);
    expect([Array.from(a), Array.from(b)]).toEqual([[1, 2, 3], [-1, -2, -3]]);
  });

  it('61 (big-endian 16-bit), 80 (offset binary), 8 (first differences from the initial value, per signal)', () => {
    const v = [0, 1, -1, 32767, -32768, 1234];
    const be = new Uint8Array(2 * v.length);
    v.forEach((x, i) => { be[2 * i] = (x >> 8) & 0xff; be[2 * i + 1] = x & 0xff; });
    expect(Array.from(decodeSignalFile(be, 61, 1, v.length)[0])).toEqual(v);
    const v8 = [0, 127, -128, -1, 55];
    expect(Array.from(decodeSignalFile(Uint8Array.from(v8, (x) => x + 128), 80, 1, v8.length)[0])).toEqual(v8);
    // Two signals, initial values 100 and -50; differences interleaved per frame.
    const a = [100, 103, 90, 90, 217], b = [-50, -60, -60, 20, -108];
    const diffs: number[] = [];
    for (let k = 0; k < a.length; k++) for (const [s, init] of [[a, 100], [b, -50]] as const) diffs.push((s[k] - (k === 0 ? init : s[k - 1])) & 0xff);
    const [da, db] = decodeSignalFile(Uint8Array.from(diffs), 8, 2, a.length, [100, -50]);
    expect([Array.from(da), Array.from(db)]).toEqual([a, b]);
  });

  it('a record whose header asks for 311, 310, 61, 80 or 8 reads in mV, initial value and checksum checked', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wfdb-formats-'));
    const checksum = (v: number[]) => (v.reduce((t, x) => (t + x) | 0, 0) << 16) >> 16;
    const v = values10;
    const files: [number, Uint8Array][] = [
      [311, pack311(v)], [310, pack310(v)],
      [61, Uint8Array.from(v.flatMap((x) => [(x >> 8) & 0xff, x & 0xff]))],
      [80, Uint8Array.from(v.map((x) => Math.max(-128, Math.min(127, x)) + 128))],
      [8, Uint8Array.from(v.map((x, i) => Math.max(-128, Math.min(127, x - (i === 0 ? v[0] : v[i - 1]))) & 0xff))],
    ];
    for (const [format, bytes] of files) {
      const name = `f${format}`;
      // Formats 80 and 8 hold what 8 bits can: the values clipped (80) or the differences' running sum (8).
      let want = v;
      if (format === 80) want = v.map((x) => Math.max(-128, Math.min(127, x)));
      if (format === 8) { let s = v[0]; want = Array.from(bytes, (d, i) => (i === 0 ? s : (s += (d << 24) >> 24))); }
      writeFileSync(path.join(dir, `${name}.dat`), bytes);
      writeFileSync(path.join(dir, `${name}.hea`), `${name} 1 250 ${v.length}\n${name}.dat ${format} 100(10)/mV 10 0 ${want[0]} ${checksum(want)} 0 ECG\n`);
      const lead = readWfdbLead(path.join(dir, name));
      expect(Array.from(lead.samples), `format ${format}`).toEqual(want.map((x) => Math.fround((x - 10) / 100)));
      writeFileSync(path.join(dir, `${name}.dat`), bytes.subarray(0, bytes.length - 2));
      expect(() => readWfdbLead(path.join(dir, name)), `format ${format} truncated`).toThrow(/truncated: .* says 10 samples per signal/);
    }
    writeFileSync(path.join(dir, 'bad.hea'), 'bad 1 250 10\nbad.dat 24 200 16 0 0 0 0 ECG\n');
    expect(() => readWfdbLead(path.join(dir, 'bad'))).toThrow(/format 24 is not supported \(supported: 212, 16, 8, 61, 80, 310, 311\)/);
  });
});
