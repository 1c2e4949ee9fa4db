// WFDB reading: the MIT-BIH files (format 212, checksums and initial values verified), a
// hand-made format 16 record with three interleaved signals, and refusals that name the field.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWfdbHeader } from '../../src/signals/wfdb-header.ts';
import { decodeSignalFile } from '../../src/signals/wfdb-signal.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { FORMATS, MITDB } from './paths.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'wfdb-'));

/** Packs 12-bit samples in format 212 (the inverse of the decoder, written from the spec). */
function pack212(values: number[]): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < values.length; k += 2) {
    const a = values[k] & 0xfff, b = k + 1 < values.length ? values[k + 1] & 0xfff : null;
    out.push(a & 0xff, ((b === null ? 0 : (b >> 8) << 4)) | (a >> 8));
    if (b !== null) out.push(b & 0xff);
  }
  return Uint8Array.from(out);
}

const sum16 = (xs: number[]) => ((xs.reduce((s, v) => (s + v) | 0, 0) << 16) >> 16);

describe('WFDB records', () => {
  it('reads MIT-BIH 100: 650000 samples at 360 Hz, MLII first, values in mV', () => {
    const mlii = readWfdbLead(path.join(MITDB, '100'));
    expect(mlii.fs).toBe(360);
    expect(mlii.lead).toBe('MLII');
    expect(mlii.samples.length).toBe(650000);
    expect(mlii.samples[0]).toBeCloseTo((995 - 1024) / 200, 6); // the header's initial value
    const v5 = readWfdbLead(path.join(MITDB, '100.hea'), 'v5');
    expect(v5.lead).toBe('V5');
    expect(v5.samples[0]).toBeCloseTo((1011 - 1024) / 200, 6);
    expect(() => readWfdbLead(path.join(MITDB, '100'), 'V1')).toThrow(/100\.hea: no lead "V1" \(leads: MLII, V5\)/);
  });

  it('decodes format 212 exactly, odd sample counts and negative values included', () => {
    const values = [0, 1, -1, 2047, -2048, 1024, -7];
    expect(Array.from(decodeSignalFile(pack212(values), 212, 1, values.length)[0])).toEqual(values);
    const two = [5, -5, 100, -100, 2000, -2000];
    const [a, b] = decodeSignalFile(pack212(two), 212, 2, 3);
    expect([Array.from(a), Array.from(b)]).toEqual([[5, 100, 2000], [-5, -100, -2000]]);
  });

  it('reads a format 16 record with three interleaved signals, gain, baseline and units', () => {
    const dir = tmp();
    const frames = [[10, -20, 300], [11, -21, 301], [-32768, 32767, 0], [1, 2, 3]];
    const flat = frames.flat();
    const bytes = new Uint8Array(flat.length * 2);
    const view = new DataView(bytes.buffer);
    flat.forEach((v, i) => view.setInt16(2 * i, v, true));
    writeFileSync(path.join(dir, 'r.dat'), bytes);
    const col = (j: number) => frames.map((f) => f[j]);
    writeFileSync(path.join(dir, 'r.hea'), [
      '# a comment line', 'r 3 500 4',
      `r.dat 16 100(10)/mV 16 0 10 ${sum16(col(0))} 0 I`,
      `r.dat 16 200/mV 16 0 -20 ${sum16(col(1))} 0 II`,
      `r.dat 16 0 16 5 300 ${sum16(col(2))} 0 V2`, ''].join('\n'));
    const ii = readWfdbLead(path.join(dir, 'r'), 'II');
    expect(ii.fs).toBe(500);
    expect(Array.from(ii.samples)).toEqual(col(1).map((v) => Math.fround(v / 200)));
    const i1 = readWfdbLead(path.join(dir, 'r.hea'));
    expect(Array.from(i1.samples)).toEqual(col(0).map((v) => Math.fround((v - 10) / 100)));
    const v2 = readWfdbLead(path.join(dir, 'r'), 'V2'); // gain 0 = 200; baseline = ADC zero 5
    expect(Array.from(v2.samples)).toEqual(col(2).map((v) => Math.fround((v - 5) / 200)));
  });

  it('refuses truncated, oversized and corrupt records, naming file and field', () => {
    const dir = tmp();
    const dat = readFileSync(path.join(MITDB, '108.dat'));
    const hea = readFileSync(path.join(MITDB, '108.hea'), 'utf8');
    writeFileSync(path.join(dir, '108.hea'), hea);
    writeFileSync(path.join(dir, '108.dat'), dat.subarray(0, dat.length - 30));
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/108\.dat: truncated: .*108\.hea says 650000 samples per signal \(number of samples\), the file holds 649990/);
    writeFileSync(path.join(dir, '108.dat'), Buffer.concat([dat, Buffer.alloc(6)]));
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/108\.dat: 1950006 bytes, but .* says 650000 samples/);
    const corrupt = Buffer.from(dat);
    corrupt[300000] ^= 0x01;
    writeFileSync(path.join(dir, '108.dat'), corrupt);
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/108\.dat: signal \d \((MLII|V1)\) checksum is -?\d+, .*108\.hea says -?\d+/);
    copyFileSync(path.join(MITDB, '108.dat'), path.join(dir, '108.dat'));
    writeFileSync(path.join(dir, '108.hea'), hea.replace(' 999 ', ' 998 '));
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/signal 0 \(MLII\) starts at 999, .*says initial value 998/);
    writeFileSync(path.join(dir, '108.hea'), hea.replace('212 200', '24 200'));
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/108\.hea:2: format: format 24 is not supported/);
    writeFileSync(path.join(dir, '108.hea'), hea.replace('108 2 360', '108 3 360'));
    expect(() => readWfdbLead(path.join(dir, '108'))).toThrow(/record line says 3 signals, the header has 2/);
    expect(() => readWfdbLead(path.join(dir, 'nothing'))).toThrow(/nothing\.hea: no such WFDB header/);
    expect(() => parseWfdbHeader('x 1 360\nx.dat 212 abc', 'h.hea')).toThrow(/h\.hea:2: gain: expected a number/);
  });

  it('header extras: baselines in the gain field (1003.hea) and samples per frame', () => {
    const h = parseWfdbHeader(readFileSync(path.join(FORMATS, '1003.hea'), 'utf8'), '1003.hea');
    expect(h.signals[0]).toMatchObject({ gain: 249, baseline: -55, units: 'mV', description: 'ECG lead II', samplesPerFrame: 1 });
    expect(h.signals[1]).toMatchObject({ gain: 12.08, baseline: -1307, units: 'mmHg', description: 'ART' });
    expect(h.signals[4]).toMatchObject({ gain: 1000, baseline: 0, units: 'mV' });
    // Two signals, 2 and 1 samples per frame: frames (a0 a1 b0) (a2 a3 b1).
    const bytes = new Uint8Array(new Int16Array([1, 2, -10, 3, 4, -20]).buffer);
    const [a, b] = decodeSignalFile(bytes, 16, [2, 1], 2);
    expect([Array.from(a), Array.from(b)]).toEqual([[1, 2, 3, 4], [-10, -20]]);
    expect(parseWfdbHeader('x 1 100\nx.dat 16x4 200', 'h.hea').signals[0].samplesPerFrame).toBe(4);
  });

  it('input safety: signal files confined to the header folder, regular files, sizes and ranges checked before reading', () => {
    const dir = tmp();
    const hea = readFileSync(path.join(MITDB, '108.hea'), 'utf8');
    const at = (h: string) => { writeFileSync(path.join(dir, '108.hea'), h); return () => readWfdbLead(path.join(dir, '108')); };
    expect(at(hea.replaceAll('108.dat', '/dev/zero'))).toThrow(/108\.hea:2: file name: "\/dev\/zero" must be a plain file name in the header's folder/);
    expect(at(hea.replaceAll('108.dat', '../108.dat'))).toThrow(/108\.hea:2: file name: "\.\.\/108\.dat" must be a plain file name/);
    mkdirSync(path.join(dir, 'sub.dat'));
    expect(at(hea.replaceAll('108.dat', 'sub.dat'))).toThrow(/sub\.dat: signal file named in .*108\.hea is not a regular file/);
    // A file far larger than the header's samples is refused from its size, without reading it.
    writeFileSync(path.join(dir, 'big.dat'), Buffer.alloc(0));
    truncateSync(path.join(dir, 'big.dat'), 2 ** 30);
    expect(at(hea.replaceAll('108.dat', 'big.dat'))).toThrow(/big\.dat: 1073741824 bytes, but .*108\.hea says at most 2600000 \(number of samples\); not read/);
    expect(() => parseWfdbHeader('x 1 2e8\nx.dat 212 200', 'h.hea')).toThrow(/h\.hea:1: sampling frequency: 200000000 Hz is over 100000 Hz/);
    expect(() => parseWfdbHeader('x 1 1000\nx.dat 16x200 200', 'h.hea')).toThrow(/h\.hea:2: format: 200 samples per frame at 1000 Hz is 200000 Hz/);
    expect(() => parseWfdbHeader('x 1 360\nx.dat 212 1e-40', 'h.hea')).toThrow(/h\.hea:2: gain: 1e-40 is outside 0\.000001 to 1000000000 ADC units per mV/);
  });
});
