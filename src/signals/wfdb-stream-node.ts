// Streams one lead of a WFDB record from disk in bounded memory: the monitor's WFDB input.
// Opening checks everything the whole-record reader checks before any sample is handed out:
// the header, each signal file confined to its folder, a regular file, its length against the
// header, and then, in one bounded pass over the files, every signal's initial value and
// checksum, so a corrupt record is refused before the monitor prints a beat. The samples then
// come in chunks of about CHUNK_BYTES of the file (whole frames), only the chosen lead converted.
// Memory: one read buffer and one chunk, whatever the record's length (a 7-day Holter too).

import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_SIGNAL_FILE_BYTES, tooLarge } from './file-limits.ts';
import { WfdbChunkDecoder } from './wfdb-chunks.ts';
import type { RecordHeader } from './wfdb-header.ts';
import { checkWfdbRecord } from './wfdb-node.ts';
import { fileGroups, framesInFile, pickLead, toPhysical, verifySignalSums } from './wfdb-signal.ts';

/** Bytes read from a signal file at a time. */
export const CHUNK_BYTES = 2 ** 20;

export interface WfdbLeadStream {
  fs: number;
  lead: string;
  units: string;
  source: string;
  header: RecordHeader;
  /** Samples of the lead. */
  total: number;
  /** The lead in mV, chunk by chunk; each iteration reads the file afresh. */
  chunks: AsyncIterable<Float32Array>;
}

/** `chunkBytes`: file bytes read at a time; `chunkSeconds`: the most signal handed out at a time (default 10 s, as for other files). */
export function openWfdbLeadStream(record: string, lead?: string, opts: { chunkBytes?: number; chunkSeconds?: number } = {}): WfdbLeadStream {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const { header, headerPath, files } = checkWfdbRecord(record);
  const groups = fileGroups(header, headerPath);
  const frames = new Map<string, number>();
  for (const [name, indices] of groups) {
    const f = files.get(name)!;
    // The header bounds the length when it states a count; without one, the whole-file limit stands.
    if (header.samples === null && f.size > MAX_SIGNAL_FILE_BYTES) throw new Error(tooLarge(f.path, f.size));
    frames.set(name, framesInFile(header, indices, f.size, f.path, headerPath));
  }
  const i = pickLead(header, lead, headerPath);
  const spec = header.signals[i];
  // Initial values and checksums of every signal, before the first sample goes out.
  for (const [name, indices] of groups) {
    const first: (number | null)[] = indices.map(() => null);
    const sums = indices.map(() => 0);
    for (const adc of decodeFile(header, indices, files.get(name)!, frames.get(name)!, chunkBytes)) {
      adc.forEach((a, j) => {
        if (first[j] === null && a.length > 0) first[j] = a[0];
        let s = sums[j];
        for (let k = 0; k < a.length; k++) s = (s + a[k]) | 0;
        sums[j] = s;
      });
    }
    indices.forEach((sig, j) => verifySignalSums(header.signals[sig], first[j], sums[j], sig, files.get(name)!.path, headerPath));
  }
  const indices = groups.get(spec.file)!;
  const j = indices.indexOf(i);
  const file = files.get(spec.file)!, fileFrames = frames.get(spec.file)!;
  const fs = header.fs * spec.samplesPerFrame;
  const step = Math.max(1, Math.round((opts.chunkSeconds ?? 10) * fs));
  async function* chunks(): AsyncIterable<Float32Array> {
    for (const adc of decodeFile(header, indices, file, fileFrames, chunkBytes)) {
      // A fresh array per chunk: the decoder's are reused, the monitor's consumer may keep these.
      const a = adc[j];
      for (let k = 0; k < a.length; k += step) yield toPhysical(spec, a.subarray(k, k + step));
    }
  }
  return { fs, lead: spec.description || `signal ${i}`, units: spec.units, source: headerPath,
    header, total: fileFrames * spec.samplesPerFrame, chunks: { [Symbol.asyncIterator]: () => chunks()[Symbol.asyncIterator]() } };
}

/** One signal file's signals `indices`, decoded `chunkBytes` of file at a time (one Int16Array per signal each time). */
function* decodeFile(header: RecordHeader, indices: readonly number[], file: { path: string; size: number }, frames: number, chunkBytes: number): Generator<Int16Array[]> {
  const first = header.signals[indices[0]];
  const decoder = new WfdbChunkDecoder(first.format, indices.map((k) => header.signals[k].samplesPerFrame), frames,
    indices.map((k) => header.signals[k].initialValue ?? header.signals[k].adcZero));
  // Reads of whole units, so a frame is rarely cut (the decoder copes when it is).
  const buf = new Uint8Array(Math.max(1, Math.floor(chunkBytes / decoder.unitBytes)) * decoder.unitBytes);
  const fd = openSync(file.path, 'r');
  try {
    // Up to what the frames take (a short last 310/311 group may end the file sooner);
    // a file that grows while it is read is not followed.
    const end = Math.min(first.byteOffset + decoder.byteLength, file.size);
    for (let at = first.byteOffset; at < end;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - at), at);
      if (n === 0) throw new Error(`${file.path}: ended at byte ${at} while being read; it had ${file.size} bytes`);
      at += n;
      yield decoder.push(buf.subarray(0, n));
    }
    yield decoder.end();
  } finally {
    closeSync(fd);
  }
}
