// The layer rules (.dependency-cruiser.cjs) pass on src/ and fail on fixtures with deliberate violations
// (src/detect/uses-nn.ts in layer-violations is a downward import that must pass).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function cruise(cwd: string, target: string, extra: string[] = []) {
  const bin = new URL('../../node_modules/.bin/depcruise', import.meta.url).pathname;
  const config = new URL('../../.dependency-cruiser.cjs', import.meta.url).pathname;
  return spawnSync(bin, [target, '--config', config, ...extra], { cwd, encoding: 'utf8' });
}

describe('dependency rules', () => {
  it('src/ has no violation', () => {
    const r = cruise(new URL('../..', import.meta.url).pathname, 'src', ['--ts-config', 'tsconfig.json']);
    expect(r.stdout + r.stderr).toContain('no dependency violations');
    expect(r.status).toBe(0);
  }, 60_000);
  it('a fixture whose engine imports backends/cpu fails', () => {
    const r = cruise(new URL('./fixtures/engine-imports-cpu', import.meta.url).pathname, 'src');
    expect(r.stdout).toContain('engine-no-particular-backend');
    expect(r.status).not.toBe(0);
  }, 60_000);
  it('a fixture with upward and sideways imports fails on each, and only on those', () => {
    const r = cruise(new URL('./fixtures/layer-violations', import.meta.url).pathname, 'src');
    const errors = r.stdout.split('\n').filter((line) => line.trim().startsWith('error ')).map((line) => line.trim()).sort();
    expect(errors).toEqual([
      'error backends-no-engine: src/backends/cpu/uses-engine.ts → src/engine/helper.ts',
      'error layer-unknown: src/plugins/unlayered.ts → src/nn/layer.ts',
      'error upward-from-detect: src/detect/uses-training.ts → src/training/trainer.ts',
      'error upward-from-engine-backends: src/engine/uses-nn.ts → src/nn/layer.ts',
      'error upward-from-kernel-math: src/kernel-math/uses-contract.ts → src/backends/contract.ts',
    ]);
    expect(r.status).not.toBe(0);
  }, 60_000);
  it('an embedding entry that reaches a Node module through two files fails; a Node-free one passes', () => {
    const r = cruise(new URL('./fixtures/entry-reaches-node', import.meta.url).pathname, 'src');
    const errors = r.stdout.split('\n').filter((line) => line.trim().startsWith('error ')).map((line) => line.trim());
    expect(errors).toEqual([expect.stringMatching(/^error embedding-entries-no-node: src\/monitor-entry\.ts → (node:)?fs$/)]);
    expect(r.stdout).toContain('src/signals/file-node.ts');
    expect(r.status).not.toBe(0);
  }, 60_000);
});
