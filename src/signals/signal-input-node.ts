// Opens the monitor's RECORD argument as a stream of sample chunks (mV):
//   "-"                  text samples on standard input (one or more numbers per line), --fs needed;
//   FILE.csv / FILE.txt  a text/CSV signal, one or more columns (text-signal.ts): rate, unit and ECG
//                        column from its header when it states them, else --fs, --unit, --column;
//   FILE.edf             an EDF/EDF+ recording, the ECG channel by --lead (label) or the first ECG/EKG label,
//                        streamed record by record in bounded memory (edf-stream-node.ts);
//   anything else        a WFDB record (RECORD, RECORD.hea or RECORD.dat), lead by --lead, streamed
//                        from the file in bounded memory (wfdb-stream-node.ts).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { MAX_TEXT_FILE_BYTES } from './file-limits.ts';
import { readTextSignal, TextSampleStream } from './text-signal.ts';
import { openWfdbLeadStream } from './wfdb-stream-node.ts';
import { isEdfPath } from './edf-node.ts';
import { openEdfLeadStream } from './edf-stream-node.ts';

export interface SignalInput {
  fs: number;
  lead: string;
  source: string;
  /** Total samples when known in advance (files), null for a live stream. */
  total: number | null;
  chunks: AsyncIterable<Float32Array>;
}

export interface InputOptions {
  fs?: number;
  lead?: string;
  /** Text signals: the samples' unit when the file does not say (mV, uV, µV, V). */
  unit?: string;
  /** Text signals: the ECG's column, 0-based, when no header names it. */
  column?: number;
  /** Samples per chunk for files (default 10 s of signal). */
  chunkSeconds?: number;
  stdin?: NodeJS.ReadableStream;
}

export function isTextSignalPath(p: string): boolean {
  return /\.(csv|txt|tsv)$/i.test(p);
}

export function openSignalInput(record: string, opts: InputOptions = {}): SignalInput {
  const needFs = (what: string): number => {
    if (opts.fs === undefined) throw new Error(`${what} has no sampling rate: give --fs HZ`);
    return opts.fs;
  };
  if (record === '-') {
    const fs = needFs('standard input');
    if (opts.lead !== undefined) throw new Error('--lead applies to WFDB records, not to samples on standard input');
    const stdin = opts.stdin ?? process.stdin;
    return { fs, lead: 'stdin', source: 'stdin', total: null, chunks: stdinChunks(stdin, { fs, unit: opts.unit, column: opts.column }) };
  }
  if (isTextSignalPath(record)) {
    if (opts.lead !== undefined) throw new Error(`--lead applies to WFDB records, not to the text signal ${record}`);
    if (!existsSync(record)) throw new Error(`${record}: no such file`);
    const st = statSync(record);
    if (!st.isFile()) throw new Error(`${record}: not a regular file`);
    if (st.size > MAX_TEXT_FILE_BYTES) throw new Error(`${record}: ${st.size} bytes of text; files over ${MAX_TEXT_FILE_BYTES / 2 ** 20} MiB are not read into memory: stream it instead (cat ${record} | npm run monitor -- - --fs HZ)`);
    const sig = readTextSignal(readFileSync(record, 'utf8'), record, { fs: opts.fs, unit: opts.unit, column: opts.column });
    if (sig.fs === null) throw new Error(`${record} has no sampling rate in its header: give --fs HZ`);
    if (!(sig.fs >= 50 && sig.fs <= 100000)) throw new Error(`${record}: a sampling rate of ${sig.fs} Hz is outside 50 to 100000 Hz`);
    if (!sig.unitStated) checkMillivolts(sig.samples, record);
    const lead = sig.lead ?? sig.columnName;
    return { fs: sig.fs, lead, source: record, total: sig.samples.length, chunks: fileChunks(sig.samples, sig.fs, opts.chunkSeconds) };
  }
  if (opts.unit !== undefined || opts.column !== undefined) throw new Error('--unit and --column apply to text signals (.csv, .txt, stdin); WFDB and EDF headers state their units');
  // EDF and WFDB records both stream from the file in bounded memory.
  const sig = isEdfPath(record) ? openEdfLeadStream(record, opts.lead, { chunkSeconds: opts.chunkSeconds }) : openWfdbLeadStream(record, opts.lead, { chunkSeconds: opts.chunkSeconds });
  if (opts.fs !== undefined && opts.fs !== sig.fs) throw new Error(`--fs ${opts.fs} disagrees with ${sig.source} (${sig.fs} Hz); leave --fs out for WFDB and EDF records`);
  if (sig.units.toLowerCase() !== 'mv') process.emitWarning(`${sig.source}: lead ${sig.lead} is in ${sig.units}, not mV`);
  return { fs: sig.fs, lead: sig.lead, source: sig.source, total: sig.total, chunks: sig.chunks };
}

async function* fileChunks(samples: Float32Array, fs: number, chunkSeconds = 10): AsyncIterable<Float32Array> {
  const step = Math.max(1, Math.round(chunkSeconds * fs));
  for (let i = 0; i < samples.length; i += step) yield samples.subarray(i, i + step);
}

/** ECG in mV stays within a few tens of mV; values far above it are µV read as mV. */
const MAX_PLAUSIBLE_MV = 50;

function checkMillivolts(x: Float32Array, source: string): void {
  let big = 0;
  for (let i = 0; i < x.length; i++) { const a = Math.abs(x[i]); if (a > big) big = a; }
  if (big > MAX_PLAUSIBLE_MV) throw new Error(`${source}: values reach ${big} but the file states no unit, so they would be read as mV: give --unit uV (or mV)`);
}

async function* stdinChunks(stream: NodeJS.ReadableStream, opts: { fs: number; unit?: string; column?: number }): AsyncIterable<Float32Array> {
  const parser = new TextSampleStream('stdin', opts);
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const samples = parser.push(chunk as string);
    if (parser.layout && !parser.layout.unitStated) checkMillivolts(samples, 'stdin');
    if (samples.length > 0) yield samples;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
