// kill -9 at random moments of save-and-replace (issue 10 item 5, issue 28 item 1): a child
// process saves a tiny model (model.safetensors + a by-product) to the same folder in a loop and
// is SIGKILLed after a random delay, in the middle of a write, an fsync, a rename or a clean-up.
// After every round the folder holds a complete model that passes every load check (checksums
// included) and is one of the models the child saved, its by-product is one the model can prove
// its own (so the next save may replace it), and nothing under the folder is a symbolic link.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { loadModelFolder, saveModelFolder } from '../../src/detect/model-folder-node.ts';
import { smallManifest, smallTensors } from './small-model.ts';

const CHILD = fileURLToPath(new URL('./save-loop-child.ts', import.meta.url));
const ROUNDS = 50;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-kill-'));
const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-kill-bin-'));
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(bin, { recursive: true, force: true }); });

// The child bundled once to plain JS (esbuild ships with tsx): a plain `node` child starts in
// tens of milliseconds where `node --import tsx` takes a second on a busy machine.
const childJs = path.join(bin, 'save-loop-child.mjs');
buildSync({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'esm', outfile: childJs, logLevel: 'error' });

/** Starts the saving child, lets it run `delayMs` after it is ready, then kill -9. */
function saveThenKill(dir: string, firstSeed: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dir, String(firstSeed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(child.pid!) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

/** Every path under `dir` (relative), and whether any is a symbolic link. */
function walk(dir: string): { paths: string[]; links: string[] } {
  const paths = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  return { paths, links: paths.filter((p) => fs.lstatSync(path.join(dir, p)).isSymbolicLink()) };
}
const TEMP = /\.tmp-(\d+)-[0-9a-f]{8}$/;

describe('kill -9 during save-and-replace', () => {
  it(`after each of ${ROUNDS} kills, the path holds a complete model the child saved`, async () => {
    const dir = path.join(root, 'model');
    saveModelFolder(dir, smallManifest({ seed: 0 }), smallTensors(0));
    let rng = 12345; // a small LCG: the same delays every run
    const next = () => ((rng = (Math.imul(rng, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let interrupted = 0;
    const seedSeen = new Set<number>();
    for (let round = 0; round < ROUNDS; round++) {
      // A save takes 40-90 ms here (fsyncs): kills land before, inside and between saves.
      const pid = await saveThenKill(dir, 1000 * (round + 1), Math.floor(next() * 300));
      // A temporary file of the killed child means the kill landed mid-save: the case this test is about.
      const { paths, links } = walk(dir);
      expect(links).toEqual([]);
      if (paths.some((p) => TEMP.exec(p)?.[1] === String(pid))) interrupted++;
      const loaded = loadModelFolder(dir); // every check: schema, shapes, sha256s, finite weights
      const seed = loaded.manifest.seed as number;
      expect(loaded.tensors).toEqual(smallTensors(seed));
      const note = path.join(dir, 'plots', 'note.svg');
      if (seed !== 0) {
        // The by-product follows the model: this model's, or the one it replaced (a kill in
        // between); either way the model lists its bytes, so the next save can replace it.
        const hash = createHash('sha256').update(fs.readFileSync(note)).digest('hex');
        const m = loaded.manifest as unknown as { byProducts: Record<string, string>; byProductsBefore: Record<string, string> };
        expect([m.byProducts['plots/note.svg'], m.byProductsBefore['plots/note.svg']]).toContain(hash);
      } else expect(fs.existsSync(note)).toBe(false); // the parent's first save, no extras
      seedSeen.add(seed);
    }
    console.log(`kill loop: ${ROUNDS} rounds, ${interrupted} killed mid-save, ${seedSeen.size} distinct models found`);
    // The kills must have hit saves in progress, and the model must have been replaced.
    expect(interrupted).toBeGreaterThan(ROUNDS / 4);
    expect(seedSeen.size).toBeGreaterThan(ROUNDS / 4);
    // The next save is not refused and removes the by-product it no longer writes (proven by its
    // bytes); the killed saves' temporary files stay (a save deletes only its own), nothing else.
    saveModelFolder(dir, smallManifest({ seed: 7 }), smallTensors(7));
    expect(fs.readdirSync(root)).toEqual(['model']);
    const left = walk(dir).paths.filter((p) => !TEMP.test(p) && fs.statSync(path.join(dir, p)).isFile());
    expect(left).toEqual(['model.safetensors']);
  }, 120_000);
});

describe('old-or-new at every step of a replace', () => {
  it('after every file-system call of a save, the path loads as the old or the new model', () => {
    const dir = path.join(root, 'stepwise');
    saveModelFolder(dir, smallManifest({ seed: 1 }), smallTensors(1));
    const calls = ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'mkdirSync', 'renameSync', 'rmSync', 'rmdirSync'] as const;
    let checking = false, checks = 0;
    const seen = new Set<number>();
    const spies = calls.map((name) => {
      const real = (fs as any)[name].bind(fs);
      return vi.spyOn(fs, name as any).mockImplementation((...args: unknown[]) => {
        const result = real(...args);
        if (!checking) {
          checking = true;
          try {
            const loaded = loadModelFolder(dir); // throws if the path is missing or half-written
            const seed = loaded.manifest.seed as number;
            expect([1, 2]).toContain(seed);
            expect(loaded.tensors).toEqual(smallTensors(seed));
            seen.add(seed);
            checks++;
          } finally { checking = false; }
        }
        return result;
      });
    });
    try {
      saveModelFolder(dir, smallManifest({ seed: 2 }), smallTensors(2), { 'plots/a.svg': '<svg/>' });
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(checks).toBeGreaterThan(15); // every write, fsync, rename and removal was followed by a check
    expect([...seen].sort()).toEqual([1, 2]);
  });
});
