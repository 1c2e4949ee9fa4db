// `npm run demo` and the long-running commands end everything they started on SIGINT and
// SIGTERM sent to npm alone (issue 28 item 6). npm signals its child; the scripts `exec` node,
// so no shell or tsx wrapper is left between them to orphan the servers (before, `npm run demo`
// killed with SIGTERM left `tsx demo/serve.ts` and its node child listening).

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-signals-'));
const model = path.join(tmp, 'dense');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  const r = runCli('train', ['--data', ECG5000_DIR, '--epochs', '1', '--no-plots', '--out', model]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

/** Processes whose command line names `marker` (a path only this test uses). */
function processesNaming(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { continue; }
    if (cmd.includes(marker)) found.push(`${pid}: ${cmd}`);
  }
  return found;
}

async function runUntil(args: string[], ready: RegExp, signal: NodeJS.Signals, marker: string): Promise<{ code: number | null; out: string }> {
  const child = spawn('npm', ['run', '--silent', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const look = (d: Buffer) => { out += d; if (ready.test(out)) resolve(); };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`exited ${code} before ready: ${out}`)));
  });
  expect(processesNaming(marker).length).toBeGreaterThan(0); // the command is running
  child.kill(signal); // npm alone, as a service manager or `kill PID` would
  const code = await exited;
  // Give an orphan, if any, a moment to show that it outlived npm.
  for (let i = 0; i < 40 && processesNaming(marker).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return { code, out };
}

describe('signals end every child', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`npm run demo, ${signal}: no process left and the port closed`, async () => {
      const { out } = await runUntil(['demo', '--', '--model', model, '--port', '0'], /http:\/\/127\.0\.0\.1:\d+\//, signal, model);
      expect(processesNaming(model)).toEqual([]);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1];
      await expect(fetch(url)).rejects.toThrow();
    }, 60_000);
  }

  it('npm run train, SIGTERM mid-training: no process left, nothing written', async () => {
    const out = path.join(tmp, 'interrupted');
    const { code } = await runUntil(['train', '--', '--data', ECG5000_DIR, '--epochs', '100000', '--patience', '0', '--no-plots', '--out', out],
      /model: dense/, 'SIGTERM', out);
    expect(code).not.toBe(0);
    expect(processesNaming(out)).toEqual([]);
    expect(readdirSync(tmp).filter((n) => n.startsWith('interrupted') && !n.includes('.tmp-'))).toEqual([]);
  }, 60_000);
});
