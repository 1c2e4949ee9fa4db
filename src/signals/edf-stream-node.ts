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
/** Most gaps between data records, and most annotations kept (the monitor does not use them; a file of nothing else must not fill memory). */
export const MAX_GAPS = 100_000;
export const MAX_ANNOTATIONS = 1_000_000;
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
  /** EDF+ annotations (TALs) other than the time-keeping ones: the first MAX_ANNOTATIONS, and how many more there were. */
  annotations: EdfAnnotation[];
  annotationsDropped: number;
  /** The lead in mV, chunk by chunk; each iteration reads the file afresh. */
  chunks: AsyncIterable<Float32Array>;
}

export function openEdfLeadStream(file: string, lead?: string, opts: { chunkBytes?: number; chunkSeconds?: number } = {}): EdfLeadStream {
  const { fd, header, recordBytes } = openEdf(file);
  try {
    if (recordBytes > MAX_RECORD_BYTES) throw new Error(`${file}: EDF header: a data record takes ${recordBytes} bytes (samples per data record), over ${MAX_RECORD_BYTES / 2 ** 20} MiB`);
    const i = pickEdfLead(header, lead, file);
    const spec = header.signals[i];
    if (toMillivolts(spec.units) === null) throw new Error(`${file}: signal ${i + 1} (${spec.label}) physical dimension "${spec.units}" is not a voltage (uV, mV, V)`);
    const clock = header.variant === 'EDF' ? plainClock(header, spec.samplesPerRecord) : readClock(fd, file, header, recordBytes, spec.samplesPerRecord, spec.fs, opts.chunkBytes);
    return leadStream(file, header, recordBytes, i, clock, opts);
  } finally {
    closeSync(fd);
  }
}

/** Where the data records land on the lead's clock: `jumps` holds the first sample of each record that follows a gap (the others follow the record before). */
interface LeadClock { total: number; gaps: { start: number; end: number }[]; jumps: Map<number, number>; annotations: EdfAnnotation[]; annotationsDropped: number }

function plainClock(header: EdfHeader, spr: number): LeadClock {
  return { total: header.records * spr, gaps: [], jumps: new Map(), annotations: [], annotationsDropped: 0 };
}

/** EDF+: every record's time-keeping annotation read and checked, in one bounded pass, before any sample goes out. */
function readClock(fd: number, file: string, header: EdfHeader, recordBytes: number, spr: number, fs: number, chunkBytes?: number): LeadClock {
  const clock: LeadClock = { total: 0, gaps: [], jumps: new Map(), annotations: [], annotationsDropped: 0 };
  let filled = 0, gapSamples = 0;
  for (const { r, record, clock: times } of records(fd, header, recordBytes, file, chunkBytes)) {
    const t = times.read(record, r);
    const room = MAX_ANNOTATIONS - clock.annotations.length;
    clock.annotations.push(...t.annotations.slice(0, room));
    clock.annotationsDropped += Math.max(0, t.annotations.length - room);
    // A rounding overlap of a sample keeps the later record's samples in order.
    const from = Math.max(Math.round(t.onset * fs), filled);
    if (from > filled) {
      clock.gaps.push({ start: filled, end: from });
      clock.jumps.set(r, from);
      gapSamples += from - filled;
      if (gapSamples > MAX_GAP_SAMPLES) throw new Error(`${file}: data record ${r + 1} starts at ${t.onset} s: the gaps before it add ${gapSamples} samples, over ${MAX_GAP_SAMPLES}`);
      if (clock.gaps.length > MAX_GAPS) throw new Error(`${file}: data record ${r + 1} starts at ${t.onset} s: over ${MAX_GAPS} gaps between data records`);
    }
    filled = from + spr;
  }
  clock.total = filled;
  return clock;
}

/** The chunks of lead `i`, given where its records land. */
function leadStream(file: string, header: EdfHeader, recordBytes: number, i: number, clock: LeadClock, opts: { chunkBytes?: number; chunkSeconds?: number }): EdfLeadStream {
  const spec = header.signals[i];
  const spr = spec.samplesPerRecord, fs = spec.fs, factor = toMillivolts(spec.units)!;
  const b = header.bytesPerSample;
  const offset = header.signals.slice(0, i).reduce((a, s) => a + b * s.samplesPerRecord, 0);
  const scale = (spec.physicalMax - spec.physicalMin) / (spec.digitalMax - spec.digitalMin);
  const step = Math.max(1, Math.round((opts.chunkSeconds ?? 10) * fs));
  const { jumps, total, gaps, annotations, annotationsDropped } = clock;
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
        const from = jumps.get(r) ?? filled;
        if (from > filled) yield* put(null, from - filled);
        yield* put(record, spr);
        filled = from + spr;
      }
      if (n > 0) yield out.subarray(0, n);
    } finally {
      closeSync(again.fd);
    }
  }
  return { fs, lead: spec.label || `signal ${i + 1}`, units: 'mV', source: file, header, total, gaps, annotations, annotationsDropped,
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
