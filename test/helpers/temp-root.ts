// Vitest global setup: every test (and every program it starts) makes its temporary files under
// one fresh folder, removed when the run ends, so runs do not pile `cardiograd-*` folders up in
// the system's temporary directory. os.tmpdir() reads TMPDIR, and workers and child processes
// inherit it.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
