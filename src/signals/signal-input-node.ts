// Opens the monitor's RECORD argument as a stream of sample chunks (mV):
//   "-"                  text samples on standard input (one or more numbers per line), --fs needed;
//   FILE.csv / FILE.txt  a one-column text/CSV signal, --fs needed;
//   FILE.edf             an EDF/EDF+ recording, the ECG channel by --lead (label) or the first ECG/EKG label;
//   anything else        a WFDB record (RECORD, RECORD.hea or RECORD.dat), lead by --lead.

import { existsSync, readFileSync } from 'node:fs';
import { parseTextSignal, TextSampleStream } from './text-signal.ts';
import { readWfdbLead } from './wfdb-node.ts';
import { isEdfPath, readEdfLead } from './edf-node.ts';

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
    return { fs, lead: 'stdin', source: 'stdin', total: null, chunks: stdinChunks(stdin) };
  }
  if (isTextSignalPath(record)) {
    const fs = needFs(record);
    if (opts.lead !== undefined) throw new Error(`--lead applies to WFDB records, not to the text signal ${record}`);
    if (!existsSync(record)) throw new Error(`${record}: no such file`);
    const samples = parseTextSignal(readFileSync(record, 'utf8'), record);
    return { fs, lead: 'column 1', source: record, total: samples.length, chunks: fileChunks(samples, fs, opts.chunkSeconds) };
  }
  const sig = isEdfPath(record) ? readEdfLead(record, opts.lead) : readWfdbLead(record, opts.lead);
  if (opts.fs !== undefined && opts.fs !== sig.fs) throw new Error(`--fs ${opts.fs} disagrees with ${sig.source} (${sig.fs} Hz); leave --fs out for WFDB and EDF records`);
  if (sig.units.toLowerCase() !== 'mv') process.emitWarning(`${sig.source}: lead ${sig.lead} is in ${sig.units}, not mV`);
  return { fs: sig.fs, lead: sig.lead, source: sig.source, total: sig.samples.length, chunks: fileChunks(sig.samples, sig.fs, opts.chunkSeconds) };
}

async function* fileChunks(samples: Float32Array, fs: number, chunkSeconds = 10): AsyncIterable<Float32Array> {
  const step = Math.max(1, Math.round(chunkSeconds * fs));
  for (let i = 0; i < samples.length; i += step) yield samples.subarray(i, i + step);
}

async function* stdinChunks(stream: NodeJS.ReadableStream): AsyncIterable<Float32Array> {
  const parser = new TextSampleStream('stdin');
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const samples = parser.push(chunk as string);
    if (samples.length > 0) yield samples;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
