// The long benchmark commands (bench:peers, select --table) run trainings as child processes:
// a SIGTERM or SIGINT to the command ends those too (issue 28, item 6). Before, spawnSync left
// the child training on after its parent was gone.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECG5000_DIR, REPO } from '../helpers/cli.ts';

/** Every descendant of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    for (const task of safeList(`/proc/${p}/task`)) {
      const text = safeRead(`/proc/${p}/task/${task}/children`);
      for (const c of text.split(/\s+/).filter(Boolean).map(Number)) { out.push(c); visit(c); }
    }
  };
  visit(pid);
  return out;
}
const safeList = (dir: string) => { try { return fs.readdirSync(dir); } catch { return []; } };
const safeRead = (file: string) => { try { return fs.readFileSync(file, 'utf8'); } catch { return ''; } };
const alive = (pid: number) => {
  // A zombie (exited, not yet reaped) counts as gone.
  const stat = safeRead(`/proc/${pid}/stat`);
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, f: () => T | null, timeoutMs = 60_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
    const v = f();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const COMMANDS: Record<string, string[]> = {
  'bench:peers': ['bench/peers.ts', '--kinds', 'dense', '--runs', '1', '--python', '/nonexistent/python3', '--data', ECG5000_DIR],
  'select --table-only': ['bench/select.ts', '--table-only', '--models', 'dense', '--split-seeds', '0', '--seeds', '0', '--data', ECG5000_DIR,
    '--out', path.join(os.tmpdir(), `select-signal-${process.pid}.json`)],
};

describe.runIf(process.platform === 'linux')('long benchmark commands end their children on signals', () => {
  for (const [name, args] of Object.entries(COMMANDS)) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${name}: ${signal} to the command ends the training it started`, async () => {
        const parent = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        parent.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
        const exited = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
        // The training child (tsx and its node), once it is running.
        // (tsx's esbuild service is a child too, from the start: wait for the training itself.)
        const kids = await waitFor('the training child', () => {
          const d = descendants(parent.pid!);
          return d.some((p) => safeRead(`/proc/${p}/cmdline`).includes('src/cli/train.ts')) ? d : null;
        });
        await sleep(300); // let tsx start its own child too
        const tree = descendants(parent.pid!);
        expect(tree.length).toBeGreaterThanOrEqual(kids.length);
        parent.kill(signal);
        const code = await exited;
        expect(code, stderr).toBe(signal === 'SIGTERM' ? 143 : 130);
        await waitFor('the children to end', () => (tree.every((p) => !alive(p)) ? true : null), 10_000);
      });
    }
  }
});
