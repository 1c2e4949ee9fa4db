// Reads an EDF/EDF+ file from disk: the header first (its size checked against the file's before
// the data is read, so a truncated or padded file is refused at once), then, read whole (tests,
// evaluation; up to MAX_SIGNAL_FILE_BYTES), the chosen lead in mV. The monitor streams EDF
// record by record instead (edf-stream-node.ts).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeEdf, edfPhysical, edfRecordBytes, parseEdfHeader, pickEdfLead, toMillivolts, type EdfHeader, type EdfRecording } from './edf.ts';
import type { LeadSignal } from './wfdb-node.ts';
import { MAX_SIGNAL_FILE_BYTES, tooLarge } from './file-limits.ts';

export function isEdfPath(p: string): boolean {
  return /\.(edf|bdf)$/i.test(p);
}

/** An open EDF file whose header was read and whose size is what the header says; close `fd` when done. */
export interface OpenEdf { fd: number; size: number; header: EdfHeader; recordBytes: number }

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export function readAt(fd: number, length: number, position: number, into = new Uint8Array(length)): Uint8Array {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, into, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return into.subarray(0, got);
}

/** Opens the file and checks its header, and its size against the header, before any data is read. */
export function openEdf(file: string): OpenEdf {
  let fd: number;
  try { fd = openSync(file, 'r'); } catch (e) { throw new Error(`${file}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file}: not a regular file`);
    const fixed = readAt(fd, 256, 0);
    const ns = Number(new TextDecoder().decode(fixed.subarray(252, 256)).trim());
    const headerBytes = Number.isInteger(ns) && ns > 0 && ns <= 4096 ? 256 * (ns + 1) : 256;
    const header = parseEdfHeader(readAt(fd, Math.min(headerBytes, st.size), 0), file);
    const recordBytes = edfRecordBytes(header);
    const expected = header.headerBytes + header.records * recordBytes;
    if (st.size !== expected) {
      throw new Error(`${file}: ${st.size} bytes, but the header says ${header.records} data records (number of data records) of ${recordBytes} bytes = ${expected} bytes${st.size < expected ? ' (truncated)' : ''}`);
    }
    return { fd, size: st.size, header, recordBytes };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The whole file, decoded in memory (bounded by MAX_SIGNAL_FILE_BYTES); the monitor streams instead (edf-stream-node.ts). */
export function readEdfFile(file: string): EdfRecording {
  const { fd, size } = openEdf(file);
  try {
    if (size > MAX_SIGNAL_FILE_BYTES) throw new Error(tooLarge(file, size));
    return decodeEdf(readAt(fd, size, 0), file);
  } finally {
    closeSync(fd);
  }
}

/** Most samples a lead may take once EDF+D gaps are filled (1 GiB of float32): a gap of years is an error, not an allocation. */
export const MAX_LEAD_SAMPLES = 2 ** 28;

export interface EdfLeadSignal extends LeadSignal {
  recording: EdfRecording;
  /** EDF+D: the gaps between data records, in samples of the returned signal (end exclusive); they hold NaN. */
  gaps: { start: number; end: number }[];
}

/**
 * The chosen lead in mV (µV/V converted). EDF+D gaps between data records (and before the first)
 * are filled with NaN, so sample k is at k / fs seconds on the recording's clock and the monitor
 * marks each gap as a quality 'gap' episode.
 */
export function readEdfLead(file: string, lead?: string): EdfLeadSignal {
  const recording = readEdfFile(file);
  const { header } = recording;
  const i = pickEdfLead(header, lead, file);
  const spec = header.signals[i];
  const factor = toMillivolts(spec.units);
  if (factor === null) throw new Error(`${file}: signal ${i + 1} (${spec.label}) physical dimension "${spec.units}" is not a voltage (uV, mV, V)`);
  const physical = edfPhysical(spec, recording.digital[i]);
  const spr = spec.samplesPerRecord;
  // Where each data record's first sample lands on the recording's clock.
  const at = Array.from(recording.recordOnsets, (t) => Math.round(t * spec.fs));
  const total = header.records > 0 ? at[header.records - 1] + spr : 0;
  if (!(total <= MAX_LEAD_SAMPLES)) {
    throw new Error(`${file}: data record ${header.records} starts at ${recording.recordOnsets[header.records - 1]} s: with its gaps the lead would take ${total} samples, over ${MAX_LEAD_SAMPLES}`);
  }
  const samples = new Float32Array(total).fill(NaN);
  const gaps: { start: number; end: number }[] = [];
  let filled = 0;
  for (let r = 0; r < header.records; r++) {
    const from = Math.max(at[r], filled); // a rounding overlap of a sample keeps the later record's samples in order
    if (from > filled) gaps.push({ start: filled, end: from });
    for (let k = 0; k < spr && from + k < total; k++) samples[from + k] = physical[r * spr + k] * factor;
    filled = Math.min(total, from + spr);
  }
  return { samples, fs: spec.fs, lead: spec.label || `signal ${i + 1}`, units: 'mV', source: file, recording, gaps };
}
