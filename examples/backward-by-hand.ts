// Example 4: one backward pass worked by hand, then checked against the engine.
// Run: npx tsx examples/backward-by-hand.ts   (docs/read-the-engine.md, section 8, derives it)
//
// x [1, 2] · W [2, 1] -> z [1, 1]; y = relu(z); L = sum(y²).
// By hand: z = 1·3 + 2·(-1) = 1, y = 1, L = 1.
//   dL/dy = 2y = 2;  dL/dz = dL/dy · relu'(z) = 2 · 1 = 2
//   dL/dW = xᵀ · dL/dz = [[1·2], [2·2]] = [[2], [4]]
//   dL/dx = dL/dz · Wᵀ = [2·3, 2·(-1)] = [6, -2]

import { tensor } from '../src/index.ts';

const x = tensor([[1, 2]], undefined, { requiresGrad: true });
const W = tensor([[3], [-1]], undefined, { requiresGrad: true });
const L = x.matmul(W).relu().square().sum();
L.backward();

const expected = { L: [1], dW: [2, 4], dx: [6, -2] };
const got = { L: [L.item()], dW: [...W.grad!.data], dx: [...x.grad!.data] };
console.log('by hand  ', JSON.stringify(expected));
console.log('engine   ', JSON.stringify(got));
const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 1e-6);
if (!same(got.L, expected.L) || !same(got.dW, expected.dW) || !same(got.dx, expected.dx)) {
  console.error('the engine disagrees with the hand derivation');
  process.exit(1);
}
