// The gpujs backend in headless Chromium (Debian's chromium, driven by playwright-core): every
// kernel in WebGL2 (SwiftShader without a GPU) checked against the CPU kernels in the same page.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

describe('gpujs kernels in a real browser', () => {
  it('webgl2 in headless Chromium matches the CPU kernels', () => {
    expect(existsSync('/usr/bin/chromium'), 'install Debian\'s chromium (.ci/run does)').toBe(true);
    const r = spawnSync(`${REPO}node_modules/.bin/tsx`, ['bench/gpujs-browser.ts', '--modes', 'webgl2', '--checks-only'],
      { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/webgl2: true/);
    const m = r.stdout.match(/webgl2: (\d+)\/(\d+) kernel checks pass/);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(Number(m![2]));
    expect(Number(m![2])).toBeGreaterThan(20);
  }, 300_000);
});
