// Example 5: add an op the engine does not have (swish, x · σ(x), also called SiLU) with the
// public customOp API, check its backward by finite differences with the exported gradcheck, and
// train through it. Run: npx tsx examples/custom-op.ts   (docs/read-the-engine.md, "Write your own op")

import { Adam, Linear, customOp, gradcheck, manualSeed, mseLoss, randUniform, type Tensor } from '../src/index.ts';

/** swish(x) = x·σ(x); d/dx = σ(x) + x·σ(x)·(1 − σ(x)). */
function swish(x: Tensor): Tensor {
  const s = x.data.map((v) => 1 / (1 + Math.exp(-v)));           // σ(x), kept for backward
  return customOp({
    name: 'swish',
    forward: x.data.map((v, i) => v * s[i]),
    parents: [x],
    backward: (g) => [g.map((gi, i) => gi * (s[i] + x.data[i] * s[i] * (1 - s[i])))],
  });
}

// 1. The backward agrees with finite differences on a random [3, 4] input.
const { checked, maxError } = gradcheck(swish, [randUniform([3, 4], 'swish-check', -4, 4)]);
console.log(`gradcheck: ${checked} elements, largest error ${maxError.toExponential(2)}`);

// 2. It trains like a built-in op: a 1-16-1 network with swish fits y = x² on [-1, 1].
manualSeed(0);
const l1 = new Linear(1, 16), l2 = new Linear(16, 1);
const x = randUniform([64, 1], 'xs', -1, 1), y = x.square();
const opt = new Adam([...l1.parameters(), ...l2.parameters()], { lr: 0.02 });
const loss = () => mseLoss(l2.forward(swish(l1.forward(x))), y);
const before = loss().item();
for (let step = 0; step < 300; step++) {
  opt.zeroGrad();
  loss().backward();
  opt.step();
}
const after = loss().item();
console.log(`MSE before ${before.toFixed(4)}, after ${after.toFixed(5)}`);
if (!(after < before / 10)) {
  console.error('swish network failed to fit');
  process.exit(1);
}
