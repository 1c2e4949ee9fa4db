// Issue 10, item 9: resumable checkpoints. A run resumed from a checkpoint ends with the same
// bits as one that was never interrupted: in process (VAE: noise draws, early-stopping state)
// and as a user would see it (kill -9 of `train --checkpoint-every`, then `train --resume`).

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { createRng } from '../../src/engine/random.ts';
import { decodeCheckpoint, encodeCheckpoint, type TrainerCheckpoint } from '../../src/training/checkpoint.ts';
import { CHECKPOINT_FILE, readCheckpoint, removeCheckpoint, writeCheckpoint } from '../../src/training/checkpoint-node.ts';
import { selectRows } from '../../src/data/dataset.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { fitScaler, transform } from '../../src/detect/scaler.ts';
import { trainAutoencoder, type BeatMatrix, type TrainOptions } from '../../src/training/trainer.ts';
import { Adam } from '../../src/optim/adam.ts';
import { tensor } from '../../src/engine/tensor.ts';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';
import { readManifest, readTensors } from '../helpers/model-files.ts';
import { encodeSafetensors } from '../../src/io/safetensors.ts';

const TRAIN = fileURLToPath(new URL('../../../shared/data/ecg5000/ECG5000_TRAIN.txt', import.meta.url));
const normal = selectRows(loadBeatFile(TRAIN), (l) => l === '1');
const scaled = transform(fitScaler('standard', normal.beats, normal.n, normal.length), normal.beats);
const rows = (from: number, to: number): BeatMatrix => ({ data: scaled.slice(from * 140, to * 140), n: to - from, length: 140 });
const fit = rows(0, 100);
const val = rows(100, 130);

const bytesOf = (model: ReturnType<typeof createAutoencoder>) => model.parameters().map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength));

describe('resume in process', () => {
  const arch = defaultArchitecture('vae', 140, { hidden: [32, 16], latent: 4 });
  // patience 4 with 12 epochs: early stopping state (best epoch, best weights) is in play.
  const opts: TrainOptions = { epochs: 12, batchSize: 16, lr: 3e-3, patience: 4, seed: 7 };

  // The other kinds hold no extra state, but their layers (LSTM with clipping, Conv1d) get a
  // short check each: resumed from epoch 2 of 4, same bits.
  const small = {
    lstm: defaultArchitecture('lstm', 140, { hidden: [8], latent: 4, patch: 10 }),
    conv: defaultArchitecture('conv', 140, { hidden: [4, 8], latent: 4, kernel: 5 }),
  };
  for (const [kind, a] of Object.entries(small)) {
    it(`${kind}: resumed from a checkpoint, the same bits`, () => {
      const o: TrainOptions = { epochs: 4, batchSize: 32, lr: 5e-3, patience: 0, seed: 3, clipNorm: kind === 'lstm' ? 1 : 0 };
      const whole = createAutoencoder(a, 3);
      trainAutoencoder(whole, rows(0, 60), null, o);
      let c: TrainerCheckpoint | null = null;
      trainAutoencoder(createAutoencoder(a, 3), rows(0, 60), null, { ...o, checkpointEvery: 2, onCheckpoint: (x) => { c ??= x; } });
      const resumed = createAutoencoder(a, 4);
      trainAutoencoder(resumed, rows(0, 60), null, { ...o, resume: decodeCheckpoint(encodeCheckpoint(c!), 'mem') });
      expect(bytesOf(resumed)).toEqual(bytesOf(whole));
    });
  }

  it('VAE: every checkpoint, round-tripped through bytes, resumes to the same bits and history', () => {
    const whole = createAutoencoder(arch, 7);
    const full = trainAutoencoder(whole, fit, val, opts);
    const saved: Uint8Array[] = [];
    trainAutoencoder(createAutoencoder(arch, 7), fit, val, { ...opts, checkpointEvery: 3, onCheckpoint: (c) => saved.push(encodeCheckpoint(c)) });
    expect(saved.length).toBeGreaterThanOrEqual(2);
    for (const bytes of saved) {
      const checkpoint = decodeCheckpoint(bytes, 'mem');
      const resumed = createAutoencoder(arch, 999); // other initial weights: all must come from the checkpoint
      const r = trainAutoencoder(resumed, fit, val, { ...opts, resume: checkpoint });
      expect(bytesOf(resumed), `from epoch ${checkpoint.epoch}`).toEqual(bytesOf(whole));
      expect(r.history.map((h) => [h.loss, h.valLoss])).toEqual(full.history.map((h) => [h.loss, h.valLoss]));
      expect([r.bestEpoch, r.stoppedEarly]).toEqual([full.bestEpoch, full.stoppedEarly]);
    }
  });

  it('without the checkpoint\'s RNG state or order the run differs (the test can fail)', () => {
    const whole = createAutoencoder(arch, 7);
    trainAutoencoder(whole, fit, val, opts);
    let first: TrainerCheckpoint | null = null;
    trainAutoencoder(createAutoencoder(arch, 7), fit, val, { ...opts, checkpointEvery: 3, onCheckpoint: (c) => { first ??= c; } });
    const fresh = createRng('7:train').state();
    const broken = createAutoencoder(arch, 7);
    trainAutoencoder(broken, fit, val, { ...opts, resume: { ...first!, rng: fresh } });
    expect(bytesOf(broken)).not.toEqual(bytesOf(whole));
  });

  it('refuses a run that does not match: other options or other beats', () => {
    let c: TrainerCheckpoint | null = null;
    trainAutoencoder(createAutoencoder(arch, 7), fit, val, { ...opts, checkpointEvery: 2, onCheckpoint: (x) => { c ??= x; } });
    expect(() => trainAutoencoder(createAutoencoder(arch, 7), fit, val, { ...opts, lr: 1e-2, resume: c! })).toThrow(/cannot resume.*lr differs/);
    expect(() => trainAutoencoder(createAutoencoder(arch, 7), rows(1, 101), val, { ...opts, resume: c! })).toThrow(/cannot resume.*training beats differ/);
    const dense = createAutoencoder(defaultArchitecture('dense', 140), 7);
    expect(() => trainAutoencoder(dense, fit, val, { ...opts, resume: c! })).toThrow(/cannot resume.*architecture differs/);
    const otherBeta = createAutoencoder({ ...arch, beta: 2 }, 7); // same parameter shapes, another loss
    expect(() => trainAutoencoder(otherBeta, fit, val, { ...opts, resume: c! })).toThrow(/cannot resume.*architecture differs/);
  });

  it('a damaged checkpoint is refused with the file named', () => {
    let c: TrainerCheckpoint | null = null;
    trainAutoencoder(createAutoencoder(arch, 7), fit, val, { ...opts, checkpointEvery: 2, onCheckpoint: (x) => { c ??= x; } });
    const good = encodeCheckpoint(c!);
    expect(() => decodeCheckpoint(good.subarray(0, good.length - 4), 'ck.safetensors')).toThrow(/^ck\.safetensors: not a usable checkpoint/);
    const nan = { ...c!, weights: c!.weights.map((w, i) => (i === 0 ? Float32Array.from(w, (v, j) => (j === 3 ? NaN : v)) : w)) };
    expect(() => decodeCheckpoint(encodeCheckpoint(nan), 'ck')).toThrow(/non-finite/);
    expect(() => decodeCheckpoint(encodeCheckpoint({ ...c!, order: c!.order.slice(1) }), 'ck')).toThrow(/order is not a permutation/);
  });
});

describe('checkpoint files on disk', () => {
  it('a torn temporary file (kill mid-write) is never read and is swept by the next write; other files are kept', () => {
    const arch = defaultArchitecture('dense', 140, { hidden: [8, 4] });
    const saved: TrainerCheckpoint[] = [];
    trainAutoencoder(createAutoencoder(arch, 1), fit, null, { epochs: 3, batchSize: 32, lr: 1e-3, patience: 0, seed: 1, checkpointEvery: 1, onCheckpoint: (c) => saved.push(c) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-ckfile-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    writeCheckpoint(dir, saved[0]);
    const torn = path.join(dir, `${CHECKPOINT_FILE}.tmp-99999-dead`);
    writeFileSync(torn, encodeCheckpoint(saved[1]).subarray(0, 100)); // what a kill mid-write leaves
    expect(readCheckpoint(dir).epoch).toBe(1);
    writeCheckpoint(dir, saved[1]);
    expect(existsSync(torn)).toBe(false);
    expect(readCheckpoint(dir).epoch).toBe(2);
    removeCheckpoint(dir);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(() => readCheckpoint(dir)).toThrow(/holds no checkpoint\.safetensors/);
  });
});

describe('state of the parts', () => {
  it('an RNG restored from its state continues the same sequence, Box-Muller spare included', () => {
    const a = createRng('s');
    for (let i = 0; i < 5; i++) a.uniform();
    a.normal(); // leaves a spare
    const b = createRng('s', JSON.parse(JSON.stringify(a.state())));
    expect(Array.from({ length: 6 }, () => [b.normal(), b.uniform()])).toEqual(Array.from({ length: 6 }, () => [a.normal(), a.uniform()]));
    expect(() => createRng('s', { arc4: { i: 0, j: 0, S: [1, 2] }, spare: null })).toThrow(/invalid random generator state/);
  });

  it('Adam: exported state loads into a fresh optimizer; wrong sizes are refused', () => {
    const w = tensor([1, 2, 3], [3], { requiresGrad: true });
    const adam = new Adam([w], { lr: 0.1 });
    w.grad = tensor([0.5, -1, 2], [3]); adam.step();
    const s = adam.exportState();
    expect(s.step).toBe(1);
    const other = new Adam([tensor([0, 0], [2], { requiresGrad: true })]);
    expect(() => other.loadState(s)).toThrow(/m\[0\] has 3 values, parameter 0 has 2/);
  });
});

describe('kill -9 during `train --checkpoint-every`, then `train --resume`', () => {
  it('ends with a model byte-identical to an uninterrupted run', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-resume-'));
    // A tiny dense model, no early stopping: enough epochs to be killed mid-run.
    const flags = ['--data', ECG5000_DIR, '--hidden', '16,8', '--epochs', '400', '--patience', '0', '--val-fraction', '0.1', '--no-plots'];
    const full = runCli('train', [...flags, '--out', path.join(tmp, 'full')]);
    expect(full.code, full.stderr).toBe(0);

    const out = path.join(tmp, 'part');
    const ckpt = path.join(tmp, 'ck');
    // Relative --out and --checkpoint from another working directory: the resume below runs
    // from the repository and must still write to tmp/part.
    const child = spawn(`${REPO}node_modules/.bin/tsx`, [`${REPO}src/cli/train.ts`, ...flags, '--out', 'part', '--checkpoint-every', '5', '--checkpoint', 'ck'],
      { cwd: tmp, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const file = path.join(ckpt, CHECKPOINT_FILE);
    const deadline = Date.now() + 60_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // tsx runs the CLI in a child node process: SIGKILL both, child first.
    killTree(child.pid!);
    await exited;
    expect(existsSync(out), 'the killed run must not have finished').toBe(false);
    const at = readCheckpoint(ckpt).epoch;
    expect(at).toBeGreaterThanOrEqual(5);
    expect(at).toBeLessThan(400);

    // Runs are kept: with an earlier run in --out, resuming a run started without --force is
    // refused like any run; one started with --force (recorded in the checkpoint) keeps it.
    cpSync(path.join(tmp, 'full'), out, { recursive: true });
    const refused = runCli('train', ['--resume', ckpt]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds a run, a dense model saved .*Pass --force/);
    const c = readCheckpoint(ckpt);
    writeCheckpoint(ckpt, { ...c, extra: { ...(c.extra as object), force: true } });

    // Changing a result-deciding flag on resume is refused, before anything is written.
    const changed = runCli('train', ['--resume', ckpt, '--lr', '0.01']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/--resume continues the run as it was started: --lr/);

    // Named by its file, not its folder: later checkpoints and the clean-up still use the folder.
    const resumed = runCli('train', ['--resume', file]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`resuming ${ckpt} after epoch ${at}`));
    expect(encodeSafetensors(readTensors(out))).toEqual(encodeSafetensors(readTensors(path.join(tmp, 'full'))));
    const manifest = (dir: string) => readManifest(path.join(tmp, dir));
    expect(manifest('part').training.history.map((h: any) => h.loss)).toEqual(manifest('full').training.history.map((h: any) => h.loss));
    expect(manifest('part').threshold).toEqual(manifest('full').threshold);
    expect(existsSync(ckpt), 'a finished run removes its checkpoint').toBe(false);
    expect(readdirSync(tmp).filter((f) => /ck|checkpoint|\.tmp/.test(f))).toEqual([]);
  }, 120_000);
});

/** SIGKILL a process and its children (tsx starts node as a child). */
function killTree(pid: number): void {
  const children = (() => {
    try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; }
  })();
  for (const c of children) killTree(c);
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}
