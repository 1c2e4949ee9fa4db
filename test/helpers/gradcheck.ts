// The tests' finite-difference check is the engine's own exported one (src/engine/gradcheck.ts);
// randomInput makes its inputs.

import { createRng } from '../../src/index.ts';

export { gradcheck } from '../../src/engine/gradcheck.ts';

export function randomInput(shape: number[], rng: ReturnType<typeof createRng>,
                            { low = -2, high = 2 } = {}): { shape: number[]; data: Float32Array } {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, data: Float32Array.from({ length: n }, () => low + (high - low) * rng.uniform()) };
}
