// Streams one lead of an EDF/EDF+ or BDF/BDF+ file from disk in bounded memory: the monitor's EDF input.
// Opening checks what the whole-file reader checks before any sample is handed out: the header,
// the file's size against it, the lead and its unit, and, for EDF+, in one bounded pass over the
// data records, every record's time-keeping annotation (order, overlaps, gaps in an EDF+C file),
// so a corrupt file is refused before the monitor prints a beat. The samples then come record
// batch by record batch (about CHUNK_BYTES of file at a time), only the chosen lead converted,
// EDF+D gaps as NaN on the recording's clock. Memory: one read buffer and one chunk, whatever
// the file's length.

import { closeSync } from 'node:fs';
import { EdfRecordClock, edfSample, pickEdfLead, toMillivolts, type EdfAnnotation, type EdfHeader } from './edf.ts';
import { openEdf, readAt } from './edf-node.ts';

/** Bytes read from the file at a time (whole data records; at least one). */
export const CHUNK_BYTES = 2 ** 20;
/** The largest data record read: one record must fit in memory. */
export const MAX_RECORD_BYTES = 64 * 2 ** 20;
/** Most samples EDF+D gaps may add (2^28, over 8 days at 360 Hz): a gap of years is an error, not hours of NaN. */
export const MAX_GAP_SAMPLES = 2 ** 28;

export interface EdfLeadStream {
  fs: number;
  lead: string;
  units: 'mV';
  source: string;
  header: EdfHeader;
  /** Samples of the lead on the recording's clock, gaps included. */
  total: number;
  /** EDF+D: the gaps between data records, in samples (end exclusive); they come as NaN. */
  gaps: { start: number; end: number }[];
  /** EDF+ annotations (TALs) other than the time-keeping ones. */
  annotations: EdfAnnotation[];
  /** The lead in mV, chunk by chunk; each iteration reads the file afresh. */
  chunks: AsyncIterable<Float32Array>;
}

export function openEdfLeadStream(file: string, lead?: string, opts: { chunkBytes?: number; chunkSeconds?: number } = {}): EdfLeadStream {
  const { fd, header, recordBytes } = openEdf(file);
  let i: number, onsets: number[] | null, annotations: EdfAnnotation[];
  try {
    if (recordBytes > MAX_RECORD_BYTES) throw new Error(`${file}: EDF header: a data record takes ${recordBytes} bytes (samples per data record), over ${MAX_RECORD_BYTES / 2 ** 20} MiB`);
    i = pickEdfLead(header, lead, file);
    const spec = header.signals[i];
    if (toMillivolts(spec.units) === null) throw new Error(`${file}: signal ${i + 1} (${spec.label}) physical dimension "${spec.units}" is not a voltage (uV, mV, V)`);
    // EDF+: the records' times, read and checked now (plain EDF records follow each other).
    annotations = [];
    onsets = null;
    if (header.variant !== 'EDF') {
      const starts: number[] = [];
      for (const { r, record, clock } of records(fd, header, recordBytes, file, opts.chunkBytes)) {
        const t = clock.read(record, r);
        starts.push(Math.round(t.onset * spec.fs));
        annotations.push(...t.annotations);
      }
      onsets = starts;
    }
  } finally {
    closeSync(fd);
  }
  const spec = header.signals[i];
  const spr = spec.samplesPerRecord, fs = spec.fs, factor = toMillivolts(spec.units)!;
  // Where each record's first sample lands, and the gaps (a rounding overlap of a sample keeps the later record's samples in order).
  const gaps: { start: number; end: number }[] = [];
  let total = header.records * spr;
  if (onsets) {
    let filled = 0, gapSamples = 0;
    for (let r = 0; r < onsets.length; r++) {
      const from = Math.max(onsets[r], filled);
      if (from > filled) {
        gaps.push({ start: filled, end: from });
        gapSamples += from - filled;
        if (gapSamples > MAX_GAP_SAMPLES) throw new Error(`${file}: data record ${r + 1} starts at ${onsets[r] / fs} s: the gaps before it add ${gapSamples} samples, over ${MAX_GAP_SAMPLES}`);
      }
      onsets[r] = from;
      filled = from + spr;
    }
    total = filled;
  }
  const b = header.bytesPerSample;
  const offset = header.signals.slice(0, i).reduce((a, s) => a + b * s.samplesPerRecord, 0);
  const scale = (spec.physicalMax - spec.physicalMin) / (spec.digitalMax - spec.digitalMin);
  const step = Math.max(1, Math.round((opts.chunkSeconds ?? 10) * fs));
  const starts = onsets;
  async function* chunks(): AsyncIterable<Float32Array> {
    const again = openEdf(file);
    try {
      let out = new Float32Array(step), n = 0, filled = 0;
      // Appends `count` values (NaN when `record` is null) to the chunk, giving out each full one.
      const put = function* (record: Uint8Array | null, count: number): Generator<Float32Array> {
        const view = record && new DataView(record.buffer, record.byteOffset + offset, b * spr);
        for (let k = 0; k < count; k++) {
          out[n++] = view ? ((edfSample(view, b * k, b) - spec.digitalMin) * scale + spec.physicalMin) * factor : NaN;
          if (n === step) { yield out; out = new Float32Array(step); n = 0; }
        }
      };
      for (const { r, record } of records(again.fd, header, recordBytes, file, opts.chunkBytes)) {
        const from = starts ? starts[r] : r * spr;
        if (from > filled) yield* put(null, from - filled);
        yield* put(record, spr);
        filled = from + spr;
      }
      if (n > 0) yield out.subarray(0, n);
    } finally {
      closeSync(again.fd);
    }
  }
  return { fs, lead: spec.label || `signal ${i + 1}`, units: 'mV', source: file, header, total, gaps, annotations,
    chunks: { [Symbol.asyncIterator]: () => chunks()[Symbol.asyncIterator]() } };
}

/** The data records in order, read about `chunkBytes` of file at a time (the views are reused: copy what you keep). */
function* records(fd: number, header: EdfHeader, recordBytes: number, file: string, chunkBytes = CHUNK_BYTES): Generator<{ r: number; record: Uint8Array; clock: EdfRecordClock }> {
  const perRead = Math.max(1, Math.floor(chunkBytes / recordBytes));
  const buf = new Uint8Array(perRead * recordBytes);
  const clock = new EdfRecordClock(header, file);
  for (let r = 0; r < header.records; r += perRead) {
    const count = Math.min(perRead, header.records - r);
    const at = header.headerBytes + r * recordBytes;
    const got = readAt(fd, count * recordBytes, at, buf);
    if (got.length < count * recordBytes) throw new Error(`${file}: ended at byte ${at + got.length} while being read (data record ${r + Math.floor(got.length / recordBytes) + 1} of ${header.records})`);
    for (let k = 0; k < count; k++) yield { r: r + k, record: buf.subarray(k * recordBytes, (k + 1) * recordBytes), clock };
  }
}
