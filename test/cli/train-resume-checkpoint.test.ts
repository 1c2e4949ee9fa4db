// `train --resume` and `--checkpoint` as a user runs them (issue 22): a resumed run refuses any
// flag that differs from the checkpoint's, an explicit default included, and a checkpoint is
// never written over (or cleaned up as) a user's file that is not a checkpoint.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, writeCheckpoint } from '../../src/training/checkpoint-node.ts';
import type { TrainerCheckpoint } from '../../src/training/checkpoint.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-resume-flags-'));

/** A structurally valid one-parameter checkpoint carrying train's flags (nothing is trained from it here). */
function fakeCheckpoint(dir: string, flags: Record<string, string | boolean>): void {
  const one = () => Float32Array.of(0.5);
  const c: TrainerCheckpoint = {
    fingerprint: { batchSize: 32, lr: 0.003, patience: 0, seed: 1, clipNorm: 0, train: '1x1:00000000', val: null,
      params: [{ name: 'w', shape: [1] }], architecture: '{}' },
    epoch: 1, history: [{ epoch: 1, loss: 1, valLoss: null, seconds: 0 }], weights: [one()],
    adam: { step: 1, m: [one()], v: [one()] }, rng: { arc4: { i: 0, j: 0, S: [] }, spare: null }, order: [0],
    best: { loss: 1, epoch: 1, weights: null }, startLoss: 1, lowestLoss: 1, trainSeconds: 0,
    extra: { flags, checkpointEvery: 1, force: false },
  };
  writeCheckpoint(dir, c);
}

describe('train --resume: flags given now must match the checkpoint', () => {
  // A missing data folder: a resume the flag check lets through stops at loading the data.
  const flags = { model: 'dense', seed: '1', data: path.join(tmp, 'no-such-data'), out: path.join(tmp, 'out') };

  it('refuses an explicit --seed 0 (the default) when the checkpoint was started with --seed 1', () => {
    const ck = path.join(tmp, 'ck-seed');
    fakeCheckpoint(ck, flags);
    const r = runCli('train', ['--resume', ck, '--seed', '0'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--resume continues the run as it was started: --seed was "1" there, "0" here/);
  }, 60_000);

  it('accepts flags equal to the checkpoint\'s, a default among them', () => {
    const ck = path.join(tmp, 'ck-same');
    fakeCheckpoint(ck, flags);
    const r = runCli('train', ['--resume', ck, '--seed', '1', '--model', 'dense'], { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/--resume continues the run/);
    expect(r.stderr).toMatch(/resuming .* after epoch 1/);
    expect(r.stderr).toMatch(/no-such-data/); // got as far as the data
  }, 60_000);
});

describe('train --checkpoint: a user\'s file is never overwritten', () => {
  const run = ['--data', ECG5000_DIR, '--hidden', '8,4', '--epochs', '2', '--patience', '0', '--no-plots', '--checkpoint-every', '1'];
  const userBytes = Buffer.from('my own notes, not a checkpoint\n\u0000\u0001binary tail', 'utf8');

  it(`refuses a --checkpoint DIR whose ${CHECKPOINT_FILE} is not a checkpoint, and leaves it byte for byte`, () => {
    const dir = path.join(tmp, 'user-dir');
    mkdirSync(dir);
    const file = path.join(dir, CHECKPOINT_FILE);
    writeFileSync(file, userBytes);
    const out = path.join(tmp, 'model-refused');
    const r = runCli('train', [...run, '--out', out, '--checkpoint', dir], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--checkpoint: .*checkpoint\.safetensors exists and is not a cardiograd checkpoint.*--force/);
    expect(r.stderr).not.toMatch(/trained \d+ epochs/); // refused before training
    expect(readFileSync(file)).toEqual(userBytes);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('refuses a --checkpoint that names an existing file, even with --force, and leaves it byte for byte', () => {
    const file = path.join(tmp, 'notes.bin');
    writeFileSync(file, userBytes);
    const r = runCli('train', [...run, '--out', path.join(tmp, 'model-file'), '--checkpoint', file, '--force'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--checkpoint: .*notes\.bin is a file, not a folder/);
    expect(readFileSync(file)).toEqual(userBytes);
  }, 120_000);

  it('replaces it with --force', () => {
    const dir = path.join(tmp, 'user-dir-forced');
    mkdirSync(dir);
    writeFileSync(path.join(dir, CHECKPOINT_FILE), userBytes);
    const r = runCli('train', [...run, '--out', path.join(tmp, 'model-forced'), '--checkpoint', dir, '--force'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, CHECKPOINT_FILE)), 'the finished run removed its checkpoint').toBe(false);
  }, 120_000);
});
