// The monitor's EDF input streams the file record batch by record batch (edf-stream-node.ts):
// the same samples, bit for bit, as the whole-file reader (which equals the WFDB twin, edf.test.ts),
// whatever the read and chunk sizes; EDF+D gaps as NaN in the same places; a file cut while it is
// read ends with a clear error; BDF (24-bit) read like EDF.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEdfFile, readEdfLead } from '../../src/signals/edf-node.ts';
import { edfRecordBytes, parseEdfHeader } from '../../src/signals/edf.ts';
import { openSignalInput } from '../../src/signals/signal-input-node.ts';
import { openEdfLeadStream } from '../../src/signals/edf-stream-node.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { writeEdf } from './edf-writer.ts';
import { FORMATS } from './paths.ts';

async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const c of chunks) parts.push(Float32Array.from(c));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, k) => Object.is(v, b[k]));

describe('EDF streaming', () => {
  it('test_generator_2.edf: the stream equals the whole-file lead bit for bit at any read and chunk size, and its WFDB twin within half an LSB', async () => {
    const file = path.join(FORMATS, 'test_generator_2.edf');
    const whole = readEdfLead(file);
    for (const opts of [{}, { chunkBytes: 1, chunkSeconds: 0.37 }, { chunkBytes: 3 * 4502 + 5, chunkSeconds: 7 }]) {
      const s = openEdfLeadStream(file, undefined, opts);
      expect(s.lead).toBe('ECG');
      expect(s.total).toBe(whole.samples.length);
      expect(s.annotations).toEqual(whole.recording.annotations);
      expect(same(await collect(s.chunks), whole.samples), JSON.stringify(opts)).toBe(true);
    }
    const w = readWfdbLead(path.join(FORMATS, 'test_generator_2'), 'ECG');
    const streamed = await collect(openEdfLeadStream(file).chunks);
    let worst = 0;
    for (let k = 0; k < w.samples.length; k++) worst = Math.max(worst, Math.abs(streamed[k] - w.samples[k] / 1000));
    expect(worst).toBeLessThan(0.5 / 32.7675 / 1000 + 1e-7); // float32 rounding of mV values
  });

  it('EDF+D gaps come as NaN where the whole-file reader puts them; a file cut while read is an error naming the record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edf-stream-'));
    const file = path.join(dir, 'd.edf');
    const digital = Int16Array.from({ length: 40 }, (_, k) => (k * 37) % 2000 - 1000);
    writeFileSync(file, writeEdf({ variant: 'EDF+D', recordDuration: 1, records: 4, onsets: [0, 1, 5.5, 9], tals: [[], ['PVC'], [], []],
      signals: [{ label: 'ECG I', units: 'uV', physicalMin: -3276.8, physicalMax: 3276.7, samplesPerRecord: 10, digital }] }));
    const whole = readEdfLead(file);
    const s = openEdfLeadStream(file, undefined, { chunkBytes: 50, chunkSeconds: 0.3 });
    expect(s.gaps).toEqual(whole.gaps);
    expect(s.gaps).toEqual([{ start: 20, end: 55 }, { start: 65, end: 90 }]);
    expect(s.total).toBe(100);
    expect(s.annotations).toEqual([{ onset: 1, duration: null, text: 'PVC' }]);
    expect(same(await collect(s.chunks), whole.samples)).toBe(true);
    // A gap of 30 years is refused at open, not streamed as NaN.
    const far = path.join(dir, 'far.edf');
    writeFileSync(far, writeEdf({ variant: 'EDF+D', recordDuration: 1, records: 2, onsets: [0, 1e9],
      signals: [{ label: 'ECG I', units: 'uV', physicalMin: -3276.8, physicalMax: 3276.7, samplesPerRecord: 10, digital: digital.subarray(0, 20) }] }));
    expect(() => openEdfLeadStream(far)).toThrow(/far\.edf: data record 2 starts at 1000000000 s: the gaps before it add 9999999990 samples, over 268435456/);
    // Cut while it is read (after the first record): the reader says where the data ended.
    const it = openEdfLeadStream(file, undefined, { chunkBytes: 1, chunkSeconds: 0.3 }).chunks[Symbol.asyncIterator]();
    expect((await it.next()).value).toHaveLength(3);
    truncateSync(file, 800);
    await expect(collect({ [Symbol.asyncIterator]: () => it })).rejects.toThrow(/d\.edf: ended at byte \d+ while being read \(data record 2 of 4\)/);
    // Cut before it is read again: refused at the start, with the header's count.
    await expect(collect(s.chunks)).rejects.toThrow(/d\.edf: 800 bytes, but the header says 4 data records/);
  });
});

/**
 * The EDF file re-encoded as BDF (version 0xFF "BIOSEMI", "BDF+C", "BDF Annotations", 3 bytes per
 * sample), each digital value and the digital range times 256: the same physical values in 24 bits.
 */
function bdfFromEdf(edf: Uint8Array): Uint8Array {
  const header = parseEdfHeader(edf, 'edf');
  const ns = header.signals.length, hb = header.headerBytes;
  const head = Uint8Array.from(edf.subarray(0, hb));
  const put = (at: number, width: number, text: string) => { for (let k = 0; k < width; k++) head[at + k] = k < text.length ? text.charCodeAt(k) : 32; };
  head[0] = 0xff;
  put(1, 7, 'BIOSEMI');
  put(192, 44, header.variant === 'EDF' ? '24BIT' : header.variant.replace('EDF', 'BDF'));
  header.signals.forEach((s, i) => {
    if (s.isAnnotations) { put(256 + 16 * i, 16, 'BDF Annotations'); return; }
    put(256 + ns * (16 + 80 + 8 + 8 + 8) + 8 * i, 8, String(s.digitalMin * 256));
    put(256 + ns * (16 + 80 + 8 + 8 + 8 + 8) + 8 * i, 8, String(s.digitalMax * 256));
  });
  const view = new DataView(edf.buffer, edf.byteOffset, edf.byteLength);
  const out = new Uint8Array(hb + header.records * edfRecordBytes(header) / 2 * 3);
  out.set(head);
  let from = hb, to = hb;
  for (let r = 0; r < header.records; r++) {
    for (const s of header.signals) {
      if (s.isAnnotations) { out.set(edf.subarray(from, from + 2 * s.samplesPerRecord), to); from += 2 * s.samplesPerRecord; to += 3 * s.samplesPerRecord; continue; }
      for (let k = 0; k < s.samplesPerRecord; k++, from += 2, to += 3) {
        const v = view.getInt16(from, true) * 256;
        out[to] = v & 0xff; out[to + 1] = (v >> 8) & 0xff; out[to + 2] = (v >> 16) & 0xff;
      }
    }
  }
  return out;
}

describe('BDF (24-bit)', () => {
  it('test_generator_2 re-encoded as BDF+ in 24 bits streams the same mV as the EDF, and decodes whole to 256 x its digital values', async () => {
    const edfFile = path.join(FORMATS, 'test_generator_2.edf');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bdf-')), 'generator.bdf');
    writeFileSync(file, bdfFromEdf(readFileSync(edfFile)));
    const whole = readEdfFile(file);
    expect([whole.header.format, whole.header.variant, whole.header.bytesPerSample]).toEqual(['BDF', 'EDF+C', 3]);
    const edf = readEdfFile(edfFile);
    expect(Array.from(whole.digital[3].subarray(0, 500))).toEqual(Array.from(edf.digital[3].subarray(0, 500), (v) => v * 256));
    expect(whole.annotations).toEqual(edf.annotations);
    const s = openSignalInput(file);
    expect([s.lead, s.fs, s.total]).toEqual(['ECG', 200, 120000]);
    const fromBdf = await collect(s.chunks), fromEdf = await collect(openEdfLeadStream(edfFile).chunks);
    let worst = 0;
    for (let k = 0; k < fromEdf.length; k++) worst = Math.max(worst, Math.abs(fromBdf[k] - fromEdf[k]));
    expect(fromBdf.length).toBe(fromEdf.length);
    expect(worst).toBeLessThan(1e-9); // the same physical values, computed from a scaled range
    const bad = Uint8Array.from(readFileSync(file));
    bad[1] = 'X'.charCodeAt(0);
    writeFileSync(file, bad);
    expect(() => openEdfLeadStream(file)).toThrow(/generator\.bdf: EDF header, version: expected "0" \(EDF\) or 0xFF "BIOSEMI" \(BDF\)/);
  });
});
