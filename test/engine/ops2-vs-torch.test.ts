// The ops of issue 27 forward and backward against PyTorch 1.13 (../shared/fixtures/torch-reference-ops2.json),
// on every backend, at the file's tolerance (rtol 1e-4, atol 1e-5). The cases: test/helpers/ops2-cases.ts.

import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { checkOps2Case, OPS2, OPS2_CASES } from '../helpers/ops2-cases.ts';

it('every case of the fixture has a mapping (none silently left out)', () => {
  expect(Object.keys(OPS2_CASES).sort()).toEqual(OPS2.ops.map((o: { name: string }) => o.name).sort());
});

forEachBackend(() => describe('ops2 match PyTorch forward and backward', () => {
  for (const name of Object.keys(OPS2_CASES)) it(name, () => checkOps2Case(name));
}));
