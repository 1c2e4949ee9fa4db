// A saved model loads into PyTorch: test/fixtures/load_in_torch.py reads model.safetensors
// (tensors, and the manifest from its metadata) into nn.Sequential encoder/decoder modules (strict key and shape match)
// and its reconstruction errors equal cardiograd's scores. Needs Debian's python3-torch
// (.ci/run installs it).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';
import { expectClose } from '../helpers/reference.ts';

describe('model folders in PyTorch', () => {
  it('a dense model loads with strict keys and gives the same scores', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-torch-'));
    const model = path.join(tmp, 'dense');
    expect(runCli('train', ['--data', ECG5000_DIR, '--epochs', '5', '--no-plots', '--out', model]).code).toBe(0);
    const beats = path.join(tmp, 'BEATS.txt');
    writeFileSync(beats, readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, 50).join('\n') + '\n');
    const ours = runCli('detect', ['--model', model, beats, '--json']);
    expect(ours.code, ours.stderr).toBe(0);
    const py = spawnSync('/usr/bin/python3', [path.join(REPO, 'test/fixtures/load_in_torch.py'), model, beats], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const torchScores = JSON.parse(py.stdout) as number[];
    expectClose(ours.json.beats.map((b: { score: number }) => b.score), torchScores, 'scores, cardiograd vs PyTorch', 1e-4, 1e-5);
  });
});
