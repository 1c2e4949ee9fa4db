// The wasm backend as the default: chosen wherever WebAssembly SIMD compiles; with WebAssembly
// removed the cpu backend runs and gives exactly the cpu backend's weights; asking for
// --backend wasm there is an error that says why; two seeded wasm runs are bit-identical.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { REPO } from '../helpers/cli.ts';
import { seededSteps, weightDigest } from './wasm-train-steps.ts';

const TSX = `${REPO}node_modules/.bin/tsx`;
// NODE_OPTIONS splits on spaces, hence %20.
const NO_WASM = '--import=data:text/javascript,delete%20globalThis.WebAssembly';

function child(script: string, args: string[], nodeOptions = '') {
  const r = spawnSync(TSX, [`${REPO}${script}`, ...args], {
    cwd: REPO, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim() },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('default backend and the cpu fallback', () => {
  it('the default is wasm where WebAssembly SIMD compiles (here)', () => {
    expect(getBackend().name).toBe('wasm');
  });

  it('each module stays within the 4,096 bytes Chromium compiles synchronously on a page\'s main thread', async () => {
    const { kernelBytes } = await import('../../src/backends/wasm/module.ts');
    const { CONV_KERNELS_WASM_BASE64 } = await import('../../src/backends/wasm/kernels.generated.ts');
    expect(kernelBytes().length).toBeLessThanOrEqual(4096);
    expect(Buffer.from(CONV_KERNELS_WASM_BASE64, 'base64').length).toBeLessThanOrEqual(4096);
  });

  it('without WebAssembly the default is cpu, with the cpu backend\'s exact weights', () => {
    const before = getBackend();
    setBackend(createCpuBackend());
    const cpuDigest = weightDigest(seededSteps(4));
    setBackend(before);
    const r = child('test/backends/wasm-train-child.ts', ['4'], NO_WASM);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toEqual({ backend: 'cpu', digest: cpuDigest });
  });

  it('--backend wasm without WebAssembly exits non-zero and says why', () => {
    const r = child('src/cli/train.ts', ['--backend', 'wasm', '--epochs', '1', '--out', path.join(os.tmpdir(), 'cardiograd-never-written')], NO_WASM);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--backend wasm is not available here: this runtime has no WebAssembly/);
  });
});

describe('determinism on wasm', () => {
  it('two seeded runs give bit-identical weights, and differ from cpu only by rounding', () => {
    const before = getBackend();
    try {
      setBackend(createWasmBackend());
      const a = seededSteps(6), b = seededSteps(6);
      expect(weightDigest(a)).toBe(weightDigest(b));
      setBackend(createCpuBackend());
      const c = seededSteps(6);
      const pa = a.parameters(), pc = c.parameters();
      let maxDiff = 0;
      pa.forEach((p, i) => p.data.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - pc[i].data[j])); }));
      expect(maxDiff).toBeLessThan(1e-4); // 6 Adam steps of lr 1e-3 apart only by float rounding
    } finally {
      setBackend(before);
    }
  });
});
