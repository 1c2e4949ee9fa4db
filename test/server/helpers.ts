// Shared by the scoring-service tests: a real model folder (a short training run on ECG5000),
// ECG5000 test beats as JSON rows, and the serve command as a child process.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const ECG5000_DIR = fileURLToPath(new URL('../../../shared/data/ecg5000', import.meta.url));
export const ECG5000_TEST = path.join(ECG5000_DIR, 'ECG5000_TEST.txt');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

/** Runs `npm run NAME -- args` the way a user would (tsx on the .ts entry). */
export function runCommand(name: string, args: string[], timeoutMs = 120_000) {
  const r = spawnSync(TSX, [path.join(REPO, `src/cli/${name}.ts`), ...args], { cwd: REPO, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Trains a small dense detector on ECG5000 (5 epochs, seed 0) into a fresh temp folder. */
export function trainTestModel(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-server-'));
  const dir = path.join(root, 'model');
  const r = runCommand('train', ['--data', ECG5000_DIR, '--out', dir, '--epochs', '5', '--seed', '0']);
  if (r.code !== 0) throw new Error(`train failed (${r.code}): ${r.stderr}`);
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The first `n` beats of ECG5000_TEST as rows of numbers (label column dropped). */
export function testBeats(n: number): number[][] {
  return readFileSync(ECG5000_TEST, 'utf8').trim().split('\n').slice(0, n)
    .map((line) => line.trim().split(/\s+/).slice(1).map(Number));
}

export interface ServeChild { child: ChildProcess; base: string; stdout: () => string; stderr: () => string; exit: Promise<number | null> }

/** Starts `serve` on a free port and resolves once it printed "ready". */
export async function startServe(args: string[], timeoutMs = 60_000): Promise<ServeChild> {
  // As `npm run serve` runs it: node with tsx's loader, not the tsx CLI, whose signal relay
  // SIGKILLs a child that is too busy to acknowledge SIGTERM within 30 ms.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/serve.ts'), '--port', '0', ...args],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready in ${timeoutMs} ms: ${err}`)), timeoutMs);
    const check = () => {
      const m = /on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m && /\nready\n/.test(out)) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', check);
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}) before ready: ${err}`)); });
  });
  return { child, base, stdout: () => out, stderr: () => err, exit };
}

/** Bodies must never leak where the server lives or how it failed inside. */
export const LEAK = /\/work\/|\/home\/|\/tmp\/|node_modules|\.ts\b|\bat [\w.<>]+ \(|Error:|file:\/\//;
