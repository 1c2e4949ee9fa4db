// The CLI on the gpu.js backend: a seeded 30-epoch dense run reaches the CPU run's test ROC-AUC
// (within 0.005); an unavailable mode is an error, never a silent switch.

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-gpujs-cli-'));
const run30 = (backend: string[]) => runCli('train', ['--data', ECG5000_DIR, '--epochs', '30', '--seed', '0', '--json',
  '--no-plots', '--out', path.join(tmp, backend.join('-')), ...backend]);

describe('--backend gpujs', () => {
  it('30 seeded epochs: test ROC-AUC within 0.005 of the CPU run', () => {
    const cpu = run30(['--backend', 'cpu']);
    const gpu = run30(['--backend', 'gpujs', '--gpu-mode', 'webasm']);
    expect(cpu.code, cpu.stderr).toBe(0);
    expect(gpu.code, gpu.stderr).toBe(0);
    expect(gpu.json.backend).toBe('gpujs:webasm');
    expect(gpu.stderr).toMatch(/backend: gpujs:webasm/);
    console.log(`AUC cpu ${cpu.json.metrics.rocAuc.toFixed(4)}, gpujs:webasm ${gpu.json.metrics.rocAuc.toFixed(4)}`);
    expect(Math.abs(gpu.json.metrics.rocAuc - cpu.json.metrics.rocAuc)).toBeLessThanOrEqual(0.005);
  });

  it('evaluate and detect run on it too', () => {
    const model = path.join(tmp, '--backend-cpu');
    const ev = runCli('evaluate', ['--model', model, '--data', ECG5000_DIR, '--backend', 'gpujs', '--gpu-mode', 'webasm', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.json.rocAuc).toBeGreaterThan(0.95);
    const det = runCli('detect', ['--model', model, path.join(ECG5000_DIR, 'ECG5000_TRAIN.txt'), '--backend', 'gpujs', '--gpu-mode', 'webasm', '--json']);
    expect(det.code, det.stderr).toBe(0);
    expect(det.json.beats).toHaveLength(500);
  });

  it('an unavailable or unknown mode exits non-zero and says so', () => {
    const bad = runCli('train', ['--backend', 'gpujs', '--gpu-mode', 'webgl2', '--epochs', '1', '--out', path.join(tmp, 'x')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/webgl2/);
    const unknown = runCli('train', ['--backend', 'gpujs', '--gpu-mode', 'quantum']);
    expect(unknown.code).toBe(2);
    expect(runCli('train', ['--backend', 'tpu']).code).toBe(2);
  });
});
