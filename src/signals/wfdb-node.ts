// Reads a WFDB record from disk: RECORD (with or without .hea) -> the chosen lead in millivolts.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseWfdbHeader, type RecordHeader } from './wfdb-header.ts';
import { decodeRecord, pickLead, toPhysical } from './wfdb-signal.ts';
import { MAX_SIGNAL_FILE_BYTES, tooLarge } from './file-limits.ts';

export interface LeadSignal {
  /** Samples in physical units (mV). */
  samples: Float32Array;
  fs: number;
  /** Lead name from the header ("MLII"), or what the input was called. */
  lead: string;
  units: string;
  source: string;
  header?: RecordHeader;
}

/** The header path for "data/mitdb/100", "data/mitdb/100.hea" or "data/mitdb/100.dat". */
export function headerPathOf(record: string): string {
  return record.replace(/\.(hea|dat)$/i, '') + '.hea';
}

/** The most bytes a signal file may hold: what the header's frames take, or 2 GiB when it does not say. */
function maxBytes(header: RecordHeader, file: string): number {
  if (header.samples === null) return 2 ** 31;
  const inFile = header.signals.filter((s) => s.file === file);
  const perFrame = inFile.reduce((a, s) => a + s.samplesPerFrame, 0);
  // 212 takes 1.5 bytes a sample, 16 takes 2; the exact count is checked when decoding.
  return inFile[0].byteOffset + Math.ceil(header.samples * perFrame * 2);
}

/** A record's header and its signal files, each checked (there, a regular file, no longer than the header allows) but not read. */
export interface CheckedRecord {
  header: RecordHeader;
  headerPath: string;
  /** Signal file name -> its path and size in bytes. */
  files: Map<string, { path: string; size: number }>;
}

export function checkWfdbRecord(record: string): CheckedRecord {
  const headerPath = headerPathOf(record);
  if (!existsSync(headerPath)) throw new Error(`${headerPath}: no such WFDB header`);
  const header = parseWfdbHeader(readFileSync(headerPath, 'utf8'), headerPath);
  const dir = path.dirname(headerPath);
  const files = new Map<string, { path: string; size: number }>();
  for (const s of header.signals) {
    const p = path.join(dir, s.file);
    if (!files.has(s.file)) {
      if (!existsSync(p)) throw new Error(`${p}: signal file named in ${headerPath} does not exist`);
      const st = statSync(p);
      if (!st.isFile()) throw new Error(`${p}: signal file named in ${headerPath} is not a regular file`);
      const most = maxBytes(header, s.file);
      if (st.size > most) throw new Error(`${p}: ${st.size} bytes, but ${headerPath} says at most ${most} (number of samples); not read`);
      files.set(s.file, { path: p, size: st.size });
    }
  }
  return { header, headerPath, files };
}

/** The whole record decoded at once (every signal), then the chosen lead: for evaluation and tests; the monitor streams (wfdb-stream-node.ts). */
export function readWfdbLead(record: string, lead?: string): LeadSignal {
  const { header, headerPath, files: checked } = checkWfdbRecord(record);
  const files = new Map<string, Uint8Array>();
  for (const [name, f] of checked) {
    if (f.size > MAX_SIGNAL_FILE_BYTES) throw new Error(tooLarge(f.path, f.size));
    files.set(name, new Uint8Array(readFileSync(f.path)));
  }
  const dir = path.dirname(headerPath);
  const decoded = decodeRecord(header, files, (f) => path.join(dir, f), headerPath);
  const i = pickLead(header, lead, headerPath);
  const spec = header.signals[i];
  return { samples: toPhysical(spec, decoded.adc[i]), fs: header.fs * spec.samplesPerFrame, lead: spec.description || `signal ${i}`,
    units: spec.units, source: headerPath, header };
}
