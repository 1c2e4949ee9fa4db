// Reads an EDF/EDF+ file from disk: the header first (its size checked against the file's before
// the data is read, so a huge or truncated file is refused at once), then the chosen lead in mV.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeEdf, edfPhysical, parseEdfHeader, pickEdfLead, toMillivolts, type EdfRecording } from './edf.ts';
import type { LeadSignal } from './wfdb-node.ts';

export function isEdfPath(p: string): boolean {
  return /\.edf$/i.test(p);
}

/** The whole file, after checking it is a regular file whose size is what its header says. */
export function readEdfFile(file: string): EdfRecording {
  let fd: number;
  try { fd = openSync(file, 'r'); } catch (e) { throw new Error(`${file}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file}: not a regular file`);
    const read = (length: number, position: number): Uint8Array => {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    };
    const fixed = read(256, 0);
    const ns = Number(new TextDecoder().decode(fixed.subarray(252, 256)).trim());
    const headerBytes = Number.isInteger(ns) && ns > 0 && ns <= 4096 ? 256 * (ns + 1) : 256;
    const header = parseEdfHeader(read(Math.min(headerBytes, st.size), 0), file);
    const recordBytes = 2 * header.signals.reduce((a, s) => a + s.samplesPerRecord, 0);
    const expected = header.headerBytes + header.records * recordBytes;
    if (st.size !== expected) {
      throw new Error(`${file}: ${st.size} bytes, but the header says ${header.records} data records (number of data records) of ${recordBytes} bytes = ${expected} bytes${st.size < expected ? ' (truncated)' : ''}`);
    }
    return decodeEdf(read(st.size, 0), file);
  } finally {
    closeSync(fd);
  }
}

export interface EdfLeadSignal extends LeadSignal {
  recording: EdfRecording;
}

/** The chosen lead in mV (µV/V converted). EDF+D with gaps between records is refused: the monitor needs one continuous signal. */
export function readEdfLead(file: string, lead?: string): EdfLeadSignal {
  const recording = readEdfFile(file);
  const { header } = recording;
  const i = pickEdfLead(header, lead, file);
  const spec = header.signals[i];
  for (let r = 1; r < header.records; r++) {
    const gap = recording.recordOnsets[r] - recording.recordOnsets[r - 1] - header.recordDuration;
    if (gap > 1e-6) {
      throw new Error(`${file}: EDF+D gap of ${gap.toFixed(3)} s before data record ${r + 1} (at ${recording.recordOnsets[r]} s); the monitor needs a continuous signal`);
    }
  }
  const factor = toMillivolts(spec.units);
  if (factor === null) throw new Error(`${file}: signal ${i + 1} (${spec.label}) physical dimension "${spec.units}" is not a voltage (uV, mV, V)`);
  const physical = edfPhysical(spec, recording.digital[i]);
  const samples = new Float32Array(physical.length);
  for (let k = 0; k < physical.length; k++) samples[k] = physical[k] * factor;
  return { samples, fs: spec.fs, lead: spec.label || `signal ${i + 1}`, units: 'mV', source: file, recording };
}
