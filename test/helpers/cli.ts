// Runs a cardiograd command as a user would (a child process through tsx) and captures output.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const ECG5000_DIR = fileURLToPath(new URL('../../../shared/data/ecg5000', import.meta.url));
const TSX = `${REPO}node_modules/.bin/tsx`;

export interface CliResult { code: number; stdout: string; stderr: string; json: any }

export function runCli(command: 'train' | 'evaluate' | 'detect' | 'serve' | 'data' | 'threshold' | 'runs' | 'monitor', args: string[],
                       opts: { cwd?: string; timeoutMs?: number; stdin?: string } = {}): CliResult {
  const r = spawnSync(TSX, [`${REPO}src/cli/${command}.ts`, ...args], {
    cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000, ...(opts.stdin !== undefined ? { input: opts.stdin } : {}),
    env: { ...process.env, NO_COLOR: '1' },
  });
  const lines = (r.stdout ?? '').trim().split('\n');
  let json: any = null;
  try { json = JSON.parse(lines[lines.length - 1]); } catch { /* not a --json run */ }
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}
