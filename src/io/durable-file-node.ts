// Writing files that a crash never leaves half-written (Node only). Model folders, checkpoints,
// report.html, the monitor's figures and exported beats, and verified downloads all go through here.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes all of `bytes` to `file` (created or truncated; 'wx': must not exist) and fsyncs it. */
export function writeFileDurably(file: string, bytes: Uint8Array | string, flags: 'w' | 'wx' = 'w'): void {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const fd = fs.openSync(file, flags);
  try {
    // writeSync may write less than asked: loop until everything is on its way to the disk.
    for (let off = 0; off < data.length;) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames inside `dir` durable (Linux/macOS; Windows cannot open directories: not a target). */
export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

/**
 * Replaces `file` atomically: the bytes go to `temp` (a sibling; by default `FILE.tmp-PID-RAND`),
 * are flushed, then renamed over `file`, so a reader sees the old file or the new one, never
 * half of one. The temp file is removed on failure.
 */
export function replaceFileAtomically(file: string, bytes: Uint8Array | string,
                                      temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`): void {
  try {
    writeFileDurably(temp, bytes, 'wx');
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDirectory(path.dirname(file));
}
