// Shared paths and loaders for the monitor tests: the three MIT-BIH records in ../shared.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseBeatAnnotations, type ReferenceBeats } from '../../src/monitor/annotation-eval.ts';

export const MITDB = fileURLToPath(new URL('../../../shared/data/mitdb', import.meta.url));

export function reference(record: string): ReferenceBeats {
  const file = path.join(MITDB, `${record}.beats.csv`);
  return parseBeatAnnotations(readFileSync(file, 'utf8'), file);
}

import { spawn, spawnSync } from 'node:child_process';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${REPO}node_modules/.bin/tsx`;

export interface Run { code: number; stdout: string; stderr: string }

/** Runs a cardiograd command (src/cli/NAME.ts) as a user would, through tsx. */
export function cli(command: string, args: string[], timeoutMs = 120_000): Run {
  const r = spawnSync(TSX, [`${REPO}src/cli/${command}.ts`, ...args], { cwd: REPO, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs a command with `chunks` written to its stdin one by one, a macrotask apart. */
export function cliWithStdin(command: string, args: string[], chunks: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [`${REPO}src/cli/${command}.ts`, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => { /* the command may exit early on bad input */ });
    let i = 0;
    const next = () => {
      if (i === chunks.length) { child.stdin.end(); return; }
      const ok = child.stdin.write(chunks[i++]);
      if (ok) setImmediate(next); else child.stdin.once('drain', next);
    };
    next();
  });
}
