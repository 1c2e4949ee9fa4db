// Kill, resume, kill again: a run writing a checkpoint after every epoch is killed (-9) at seeded
// random moments, resumed, and killed again. Each time the checkpoint on disk must be whole and
// newer than the last, and a resumed run must keep checkpointing (it inherits --checkpoint-every).
// The writes are small and quick, so this rarely lands mid-write: it checks the kill/resume chain;
// atomicity itself rests on write-temp + fsync + rename (checkpoint-node.ts).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, readCheckpoint } from '../../src/training/checkpoint-node.ts';
import { createRng } from '../../src/engine/random.ts';
import { ECG5000_DIR, REPO } from '../helpers/cli.ts';

const ROUNDS = 4;

describe('kill -9 / --resume, repeatedly', () => {
  it(`${ROUNDS} rounds: the checkpoint is always whole and resumable`, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-ckkill-'));
    const ckpt = path.join(tmp, 'ck');
    const rng = createRng('checkpoint-kill'); // seeded kill delays: a failure can be replayed
    let lastEpoch = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The first round starts the run, later rounds resume it, each killed again.
      const args = round === 0
        ? ['--data', ECG5000_DIR, '--hidden', '16,8', '--epochs', '3000', '--patience', '0', '--no-plots',
          '--out', path.join(tmp, 'model'), '--checkpoint-every', '1', '--checkpoint', ckpt]
        : ['--resume', ckpt];
      const child = spawn(`${REPO}node_modules/.bin/tsx`, [`${REPO}src/cli/train.ts`, ...args], { cwd: REPO, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const file = path.join(ckpt, CHECKPOINT_FILE);
      const deadline = Date.now() + 60_000;
      // Wait for a checkpoint newer than the one this round started from, then a random moment.
      while (Date.now() < deadline && !(existsSync(file) && safeEpoch(ckpt) > lastEpoch)) await sleep(10);
      await sleep(Math.floor(rng.uniform() * 300));
      killTree(child.pid!);
      await exited;
      const c = readCheckpoint(ckpt); // throws on a torn or half-written file
      expect(c.epoch, `round ${round}`).toBeGreaterThan(lastEpoch);
      expect(c.history.length).toBe(c.epoch);
      expect(existsSync(path.join(tmp, 'model')), 'killed before finishing').toBe(false);
      lastEpoch = c.epoch;
    }
    // Temporary files of killed writes are swept by the next write, never read as checkpoints.
    expect(readdirSync(ckpt).filter((f) => f !== CHECKPOINT_FILE).length).toBeLessThanOrEqual(1);
  }, 180_000);
});

function safeEpoch(dir: string): number {
  try { return readCheckpoint(dir).epoch; } catch { return 0; }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGKILL a process and its children (tsx starts node as a child). */
function killTree(pid: number): void {
  let children: number[] = [];
  try { children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { /* gone */ }
  for (const c of children) killTree(c);
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}
