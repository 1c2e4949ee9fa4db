// The layer rules (.dependency-cruiser.cjs) pass on src/ and fail on a fixture with a deliberate violation.
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
});
