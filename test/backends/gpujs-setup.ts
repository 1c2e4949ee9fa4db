// Which gpu.js modes the gpujs tests run, and random inputs for them.
//
// Default: 'webasm' and 'cpu' (they need nothing but gpu.js), plus 'headlessgl' when an X
// display is present (run the tests under `xvfb-run -a npm test`). CARDIOGRAD_GPUJS_MODES
// (comma-separated) overrides the list. A listed mode that cannot run fails its tests:
// gpu.js is an optional dependency, but CI installs it, so a missing package is an error.

import { createRng, type Rng } from '../../src/index.ts';
import type { GpujsMode } from '../../src/backends/gpujs/index.ts';

export function modesUnderTest(): GpujsMode[] {
  const fromEnv = process.env.CARDIOGRAD_GPUJS_MODES;
  if (fromEnv) return fromEnv.split(',').map((m) => m.trim()).filter(Boolean) as GpujsMode[];
  const modes: GpujsMode[] = ['webasm', 'cpu'];
  if (process.env.DISPLAY) modes.push('headlessgl');
  return modes;
}

export function randomArray(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

export { createRng };
