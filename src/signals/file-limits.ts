// How much of a signal file the readers take into memory. EDF and WFDB records read whole
// (readEdfFile, readWfdbLead: evaluation, tests) are decoded whole (a 24-hour 2-lead Holter at
// 360 Hz is ~120 MB as 16-bit), so a file past the limit is refused before it is read rather than
// exhausting memory; text is parsed whole too. The monitor streams WFDB records
// (wfdb-stream-node.ts), EDF files (edf-stream-node.ts) and standard input in bounded memory.

export const MAX_SIGNAL_FILE_BYTES = 512 * 2 ** 20;
export const MAX_TEXT_FILE_BYTES = 256 * 2 ** 20;

export function tooLarge(file: string, bytes: number): string {
  return `${file}: ${bytes} bytes; signal files over ${MAX_SIGNAL_FILE_BYTES / 2 ** 20} MiB are not read into memory (split the recording into parts)`;
}
