// Child processes of the long benchmark commands (bench:peers, select), ended with their parent.
//
// spawnSync blocks the event loop, so a SIGTERM to the parent (a scheduler, `kill PID`, SIGTERM to
// npm, which `exec node` makes the parent itself) killed the parent and left its child training
// for minutes. Children started here are tracked; the first SIGINT or SIGTERM passes the signal
// on to each of them, waits for them to exit, and exits with 128 + the signal's number.

import { spawn } from 'node:child_process';
import os from 'node:os';

export interface ChildResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
export interface ChildOptions { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }

const live = new Set<ReturnType<typeof spawn>>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      const exitCode = 128 + (os.constants.signals[name] ?? 15);
      if (live.size === 0) process.exit(exitCode);
      let left = live.size;
      const ended = () => { if (--left === 0) process.exit(exitCode); };
      for (const child of live) {
        // Exited but not yet closed (its pipes still draining): nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null) { ended(); continue; }
        child.once('exit', ended);
        child.kill(name);
      }
    });
  }
}

/** Runs `cmd args` to the end (stdout and stderr collected); the parent's SIGINT/SIGTERM ends it too. */
export function runChild(cmd: string, args: readonly string[], opts: ChildOptions = {}): Promise<ChildResult> {
  installSignalHandlers();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '', stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.once('error', (e) => { live.delete(child); if (timer) clearTimeout(timer); reject(e); });
    child.once('close', (status, signal) => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
