// Checks that a file's bytes are UTF-8 text before it is parsed as beats (no file access here:
// the same check runs on an upload in a browser). A UTF-16 file decoded as UTF-8 gives a NUL
// between every character: the parser's "not a number" on line 1 would hide what is wrong.

import { DataFormatError } from './parse.ts';

/** The bytes as text; throws a DataFormatError naming the file (and line) when they are not UTF-8 text. */
export function decodeBeatText(bytes: Uint8Array, source: string): string {
  const bom = bytes.length >= 2 ? (bytes[0] << 8) | bytes[1] : -1;
  if (bom === 0xfffe || bom === 0xfeff) {
    const kind = bom === 0xfffe ? (bytes[2] === 0 && bytes[3] === 0 ? 'UTF-32LE' : 'UTF-16LE') : 'UTF-16BE';
    throw new DataFormatError(`${source}: the file is ${kind} (it starts with that byte-order mark); save it as UTF-8 text`, { file: source });
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(bytes, nul);
    throw new DataFormatError(`${source} line ${line} holds a NUL byte (at byte ${nul}): the file is UTF-16 or binary, not UTF-8 text`, { file: source, line });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataFormatError(`${source}: the file is not valid UTF-8 text (another encoding, or binary); save it as UTF-8`, { file: source });
  }
}

/** 1-based line of byte `at`, counting \n, \r\n and lone \r as line ends (as the parsers do). */
function lineAt(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
