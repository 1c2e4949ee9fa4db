// Training and scoring run with code generation from strings disabled (no eval/new Function),
// as under a browser's strict Content-Security-Policy; ndarray, by contrast, cannot load there.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

const strictNode = (args: string[]) => spawnSync(process.execPath,
  ['--disallow-code-generation-from-strings', '--import', 'tsx', ...args], { cwd: REPO, encoding: 'utf8' });

describe('no code generation', () => {
  it('the engine trains and the detector scores under --disallow-code-generation-from-strings', () => {
    const r = strictNode(['test/fixtures/score-under-strict-csp.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ n: 40, finite: true });
  });

  it('the flag is effective: ndarray-ops (code-generating) fails under it', () => {
    const r = strictNode(['-e', "import('ndarray-ops').then(() => console.log('loaded'))"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Code generation from strings disallowed/);
  });
});
