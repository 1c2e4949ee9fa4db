// Decoding WFDB signal files (.dat) into ADC values and millivolts. Pure bytes in, numbers out.
// Signals stored in one file are interleaved frame by frame (s0 s1 ... s0 s1 ...). Formats:
//   212: pairs of 12-bit two's-complement samples in 3 bytes:
//        byte0 = low 8 bits of A; byte1 = high 4 bits of B (upper nibble) | high 4 bits of A (lower);
//        byte2 = low 8 bits of B.
//   16:  16-bit two's-complement little-endian.
// After decoding, each signal's first sample and 16-bit checksum are checked against the header.

import type { RecordHeader, SignalSpec } from './wfdb-header.ts';

/** Samples (all signals together) that `byteLength` bytes hold. */
function samplesIn(format: number, byteLength: number): number {
  // 212: 3 bytes per pair; an odd last sample takes 2 bytes.
  return format === 212 ? Math.floor(byteLength / 3) * 2 + (byteLength % 3 === 2 ? 1 : 0) : Math.floor(byteLength / 2);
}

/** Bytes that `total` samples take. */
function bytesFor(format: number, total: number): number {
  return format === 212 ? Math.floor(total / 2) * 3 + (total % 2) * 2 : total * 2;
}

/** Decodes `total` samples of one file's stream, in file order. */
function decodeStream(bytes: Uint8Array, format: number, total: number): Int16Array {
  const out = new Int16Array(total);
  if (format === 212) {
    for (let k = 0, b = 0; k < total; k += 2, b += 3) {
      const b0 = bytes[b], b1 = bytes[b + 1];
      // A: 12 bits = (b1 & 0x0f) << 8 | b0, sign-extended by shifting into the top of an int32.
      out[k] = ((((b1 & 0x0f) << 8) | b0) << 20) >> 20;
      if (k + 1 < total) out[k + 1] = ((((b1 & 0xf0) << 4) | bytes[b + 2]) << 20) >> 20;
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < total; k++) out[k] = view.getInt16(2 * k, true);
  }
  return out;
}

/**
 * Decodes a whole file's interleaved sample stream; returns one Int16Array per signal.
 * `layout` is the number of signals (one sample each per frame) or each signal's samples per
 * frame: a frame holds signal 0's samples, then signal 1's, and so on.
 */
export function decodeSignalFile(bytes: Uint8Array, format: number, layout: number | readonly number[], frames: number): Int16Array[] {
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
  const groups = new Map<string, number[]>(); // file -> signal indices, in header order
  header.signals.forEach((s, i) => groups.set(s.file, [...(groups.get(s.file) ?? []), i]));
  const adc: Int16Array[] = new Array(header.signals.length);
  let frames: number | null = header.samples;
  for (const [file, indices] of groups) {
    const first = header.signals[indices[0]];
    for (const i of indices) {
      const s = header.signals[i];
      if (s.format !== first.format) throw new Error(`${headerPath}: signals ${indices[0]} and ${i} share ${file} but have formats ${first.format} and ${s.format}`);
      if (s.byteOffset !== first.byteOffset) throw new Error(`${headerPath}: signals ${indices[0]} and ${i} share ${file} but start at different byte offsets`);
    }
    const all = files.get(file);
    if (!all) throw new Error(`${pathOf(file)}: missing signal file named in ${headerPath}`);
    const bytes = all.subarray(first.byteOffset);
    const spf = indices.map((i) => header.signals[i].samplesPerFrame);
    const frameSize = spf.reduce((a, b) => a + b, 0);
    const available = Math.floor(samplesIn(first.format, bytes.length) / frameSize);
    const wanted = frames ?? available;
    const per = frameSize === spf.length ? 'samples per signal' : 'frames';
    if (available < wanted) {
      throw new Error(`${pathOf(file)}: truncated: ${headerPath} says ${wanted} ${per} (number of samples), the file holds ${available}`);
    }
    const expectedBytes = bytesFor(first.format, wanted * frameSize);
    if (bytes.length > expectedBytes) {
      throw new Error(`${pathOf(file)}: ${bytes.length} bytes, but ${headerPath} says ${wanted} ${per} (number of samples) = ${expectedBytes} bytes`);
    }
    if (frames === null) frames = wanted;
    decodeSignalFile(bytes, first.format, spf, wanted).forEach((a, j) => { adc[indices[j]] = a; });
  }
  header.signals.forEach((s, i) => verifySignal(s, adc[i], i, pathOf(s.file), headerPath));
  return { header, adc, frames: frames ?? 0 };
}

/** Initial value and checksum (the 16-bit two's-complement sum of all samples), when stated. */
function verifySignal(s: SignalSpec, adc: Int16Array, index: number, dataPath: string, headerPath: string): void {
  const what = `signal ${index}${s.description ? ` (${s.description})` : ''}`;
  if (s.initialValue !== null && adc.length > 0 && adc[0] !== s.initialValue) {
    throw new Error(`${dataPath}: ${what} starts at ${adc[0]}, ${headerPath} says initial value ${s.initialValue}`);
  }
  if (s.checksum !== null) {
    let sum = 0;
    for (let i = 0; i < adc.length; i++) sum = (sum + adc[i]) | 0;
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
