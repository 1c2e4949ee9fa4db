// Decoding WFDB signal files (.dat) into ADC values and millivolts. Pure bytes in, numbers out.
// Signals stored in one file are interleaved frame by frame (s0 s1 ... s0 s1 ...). Formats, as
// WFDB's signal(5) describes them:
//   212: pairs of 12-bit two's-complement samples in 3 bytes:
//        byte0 = low 8 bits of A; byte1 = high 4 bits of B (upper nibble) | high 4 bits of A (lower);
//        byte2 = low 8 bits of B.
//   16:  16-bit two's-complement little-endian.        61: the same, big-endian.
//   80:  8-bit offset binary (byte - 128).
//   8:   8-bit two's-complement first differences: a signal's sample k is its initial value (from
//        the header) plus its first k+1 differences; each signal of a multiplexed file has its own chain.
//   310: three 10-bit two's-complement samples in two little-endian 16-bit words w0, w1:
//        A = bits 1-10 of w0, B = bits 1-10 of w1, C = bits 11-15 of w0 (its low 5 bits) and
//        bits 11-15 of w1 (its high 5); bit 0 of each word is unused.
//   311: three 10-bit two's-complement samples in one little-endian 32-bit word: A = bits 0-9,
//        B = bits 10-19, C = bits 20-29; bits 30-31 unused.
// A last group of 310/311 with fewer than 3 samples may stop after the bytes holding them.
// After decoding, each signal's first sample and 16-bit checksum are checked against the header.

import type { RecordHeader, SignalSpec } from './wfdb-header.ts';

const signExtend = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

/** Samples (all signals together) that `byteLength` bytes hold. */
export function samplesIn(format: number, byteLength: number): number {
  switch (format) {
    case 212: return Math.floor(byteLength / 3) * 2 + (byteLength % 3 === 2 ? 1 : 0); // an odd last sample takes 2 bytes
    case 8: case 80: return byteLength;
    case 310: return Math.floor(byteLength / 4) * 3 + (byteLength % 4 >= 2 ? 1 : 0);
    case 311: return Math.floor(byteLength / 4) * 3 + [0, 0, 1, 2][byteLength % 4];
    default: return Math.floor(byteLength / 2);
  }
}

/** Most bytes that `total` samples may take (310/311: whole 4-byte groups). */
export function bytesFor(format: number, total: number): number {
  switch (format) {
    case 212: return Math.floor(total / 2) * 3 + (total % 2) * 2;
    case 8: case 80: return total;
    case 310: case 311: return Math.ceil(total / 3) * 4;
    default: return total * 2;
  }
}

/** Decodes `total` samples of one file's stream, in file order (format 8: the differences). */
function decodeStream(bytes: Uint8Array, format: number, total: number): Int16Array {
  return decodeStreamInto(bytes, format, total, new Int16Array(total));
}

/** decodeStream into the first `total` places of `out` (a buffer reused chunk after chunk). */
export function decodeStreamInto(bytes: Uint8Array, format: number, total: number, out: Int16Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byte = (i: number) => (i < bytes.length ? bytes[i] : 0); // a short last 310/311 group
  switch (format) {
    case 212:
      for (let k = 0, b = 0; k < total; k += 2, b += 3) {
        const b0 = bytes[b], b1 = bytes[b + 1];
        // A: 12 bits = (b1 & 0x0f) << 8 | b0, sign-extended by shifting into the top of an int32.
        out[k] = signExtend(((b1 & 0x0f) << 8) | b0, 12);
        if (k + 1 < total) out[k + 1] = signExtend(((b1 & 0xf0) << 4) | bytes[b + 2], 12);
      }
      break;
    case 8: for (let k = 0; k < total; k++) out[k] = signExtend(bytes[k], 8); break;
    case 80: for (let k = 0; k < total; k++) out[k] = bytes[k] - 128; break;
    case 61: for (let k = 0; k < total; k++) out[k] = view.getInt16(2 * k, false); break;
    case 310:
      for (let k = 0, b = 0; k < total; k += 3, b += 4) {
        const w0 = byte(b) | (byte(b + 1) << 8), w1 = byte(b + 2) | (byte(b + 3) << 8);
        out[k] = signExtend((w0 >> 1) & 0x3ff, 10);
        if (k + 1 < total) out[k + 1] = signExtend((w1 >> 1) & 0x3ff, 10);
        if (k + 2 < total) out[k + 2] = signExtend(((w0 >> 11) & 0x1f) | (((w1 >> 11) & 0x1f) << 5), 10);
      }
      break;
    case 311:
      for (let k = 0, b = 0; k < total; k += 3, b += 4) {
        const w = (byte(b) | (byte(b + 1) << 8) | (byte(b + 2) << 16) | (byte(b + 3) << 24)) >>> 0;
        out[k] = signExtend(w & 0x3ff, 10);
        if (k + 1 < total) out[k + 1] = signExtend((w >>> 10) & 0x3ff, 10);
        if (k + 2 < total) out[k + 2] = signExtend((w >>> 20) & 0x3ff, 10);
      }
      break;
    case 16: for (let k = 0; k < total; k++) out[k] = view.getInt16(2 * k, true); break;
    default: throw new Error(`internal: WFDB format ${format} has no decoder`);
  }
  return out;
}

/**
 * Decodes a whole file's interleaved sample stream; returns one Int16Array per signal.
 * `layout` is the number of signals (one sample each per frame) or each signal's samples per
 * frame: a frame holds signal 0's samples, then signal 1's, and so on.
 */
export function decodeSignalFile(bytes: Uint8Array, format: number, layout: number | readonly number[], frames: number,
                                 initialValues: readonly number[] = []): Int16Array[] {
  const spf = typeof layout === 'number' ? new Array<number>(layout).fill(1) : layout;
  const frameSize = spf.reduce((a, b) => a + b, 0);
  const stream = decodeStream(bytes, format, frames * frameSize);
  const out = spf.map((k) => new Int16Array(frames * k));
  for (let f = 0, k = 0; f < frames; f++) {
    for (let j = 0; j < spf.length; j++) {
      const o = out[j], base = f * spf[j];
      for (let i = 0; i < spf[j]; i++) o[base + i] = stream[k++];
    }
  }
  if (format === 8) {
    // First differences: each signal's chain starts from its initial value.
    out.forEach((o, j) => {
      let v = initialValues[j] ?? 0;
      for (let i = 0; i < o.length; i++) { v = (v + o[i]) | 0; o[i] = v; }
    });
  }
  return out;
}

export interface DecodedRecord {
  header: RecordHeader;
  /** ADC values per signal, in header order. */
  adc: Int16Array[];
  frames: number;
}

/**
 * Decodes every signal of a record. `files` maps each signal file name in the header to its
 * bytes; `pathOf` gives the path to name in errors. Truncated, oversized or inconsistent data
 * (sample count, initial value, checksum) is refused with the file and field named.
 */
export function decodeRecord(header: RecordHeader, files: ReadonlyMap<string, Uint8Array>,
                             pathOf: (file: string) => string, headerPath: string): DecodedRecord {
  const adc: Int16Array[] = new Array(header.signals.length);
  let frames: number | null = header.samples;
  for (const [file, indices] of fileGroups(header, headerPath)) {
    const first = header.signals[indices[0]];
    const all = files.get(file);
    if (!all) throw new Error(`${pathOf(file)}: missing signal file named in ${headerPath}`);
    const bytes = all.subarray(first.byteOffset);
    const wanted = framesInFile(header, indices, all.length, pathOf(file), headerPath);
    if (frames === null) frames = wanted;
    const spf = indices.map((i) => header.signals[i].samplesPerFrame);
    const initial = indices.map((i) => header.signals[i].initialValue ?? header.signals[i].adcZero);
    decodeSignalFile(bytes, first.format, spf, wanted, initial).forEach((a, j) => { adc[indices[j]] = a; });
  }
  header.signals.forEach((s, i) => verifySignal(s, adc[i], i, pathOf(s.file), headerPath));
  return { header, adc, frames: frames ?? 0 };
}

/** Signal file -> the indices of its signals, in header order; signals sharing a file must agree on format and offset. */
export function fileGroups(header: RecordHeader, headerPath: string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  header.signals.forEach((s, i) => groups.set(s.file, [...(groups.get(s.file) ?? []), i]));
  for (const [file, indices] of groups) {
    const first = header.signals[indices[0]];
    for (const i of indices) {
      const s = header.signals[i];
      if (s.format !== first.format) throw new Error(`${headerPath}: signals ${indices[0]} and ${i} share ${file} but have formats ${first.format} and ${s.format}`);
      if (s.byteOffset !== first.byteOffset) throw new Error(`${headerPath}: signals ${indices[0]} and ${i} share ${file} but start at different byte offsets`);
    }
  }
  return groups;
}

/**
 * Frames a signal file of `fileBytes` bytes holds for the signals `indices`: the header's count,
 * checked against the length (truncated or oversized files refused), or the length's when the header gives none.
 */
export function framesInFile(header: RecordHeader, indices: readonly number[], fileBytes: number, dataPath: string, headerPath: string): number {
  const first = header.signals[indices[0]];
  const byteLength = Math.max(0, fileBytes - first.byteOffset);
  const frameSize = indices.reduce((a, i) => a + header.signals[i].samplesPerFrame, 0);
  const available = Math.floor(samplesIn(first.format, byteLength) / frameSize);
  const wanted = header.samples ?? available;
  const per = frameSize === indices.length ? 'samples per signal' : 'frames';
  if (available < wanted) {
    throw new Error(`${dataPath}: truncated: ${headerPath} says ${wanted} ${per} (number of samples), the file holds ${available}`);
  }
  const expectedBytes = bytesFor(first.format, wanted * frameSize);
  if (byteLength > expectedBytes) {
    throw new Error(`${dataPath}: ${byteLength} bytes, but ${headerPath} says ${wanted} ${per} (number of samples) = ${expectedBytes} bytes`);
  }
  return wanted;
}

/** Initial value and checksum (the 16-bit two's-complement sum of all samples), when stated. */
function verifySignal(s: SignalSpec, adc: Int16Array, index: number, dataPath: string, headerPath: string): void {
  let sum = 0;
  for (let i = 0; i < adc.length; i++) sum = (sum + adc[i]) | 0;
  verifySignalSums(s, adc.length > 0 ? adc[0] : null, sum, index, dataPath, headerPath);
}

/** The same checks from a signal's first ADC value (null when it has none) and the int32 sum of all its values. */
export function verifySignalSums(s: SignalSpec, first: number | null, sum: number, index: number, dataPath: string, headerPath: string): void {
  const what = `signal ${index}${s.description ? ` (${s.description})` : ''}`;
  if (s.initialValue !== null && first !== null && first !== s.initialValue) {
    throw new Error(`${dataPath}: ${what} starts at ${first}, ${headerPath} says initial value ${s.initialValue}`);
  }
  if (s.checksum !== null) {
    const got = (sum << 16) >> 16;
    const want = (s.checksum << 16) >> 16;
    if (got !== want) throw new Error(`${dataPath}: ${what} checksum is ${got}, ${headerPath} says ${s.checksum}: the file is corrupt or not this record's`);
  }
}

/** Physical units (mV for ECG): (adc - baseline) / gain. */
export function toPhysical(s: SignalSpec, adc: Int16Array): Float32Array {
  const out = new Float32Array(adc.length);
  for (let i = 0; i < adc.length; i++) out[i] = (adc[i] - s.baseline) / s.gain;
  return out;
}

/** Index of the signal named `lead` (case-insensitive), or the first when none is asked for. */
export function pickLead(header: RecordHeader, lead: string | undefined, headerPath: string): number {
  if (lead === undefined) return 0;
  const i = header.signals.findIndex((s) => s.description.toLowerCase() === lead.toLowerCase());
  if (i < 0) {
    throw new Error(`${headerPath}: no lead "${lead}" (leads: ${header.signals.map((s) => s.description || '(unnamed)').join(', ')})`);
  }
  return i;
}
