// Example 1: fit XOR with the engine alone: tensors, autodiff and plain SGD.
// Run: npx tsx examples/fit-xor.ts
//
// XOR is the classic function one linear layer cannot fit: 2 inputs -> 8 tanh units -> 1 output.
// Each step builds a graph (forward), backward() fills every parameter's .grad, SGD moves them.

import { Linear, SGD, Sequential, Tanh, mseLoss, tensor } from '../src/index.ts';

const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]); // [4, 2]
const y = tensor([[0], [1], [1], [0]]);             // [4, 1]

const model = new Sequential(
  new Linear(2, 8, { seed: 'xor:1' }),
  new Tanh(),
  new Linear(8, 1, { seed: 'xor:2' }),
);
const opt = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });

let loss = Infinity;
for (let step = 1; step <= 500; step++) {
  opt.zeroGrad();
  const l = mseLoss(model.forward(x), y); // scalar tensor, the end of the graph
  l.backward();                           // d loss / d every parameter
  opt.step();                             // p <- p - lr * (momentum-smoothed) grad
  loss = l.item();
  if (step % 100 === 0) console.log(`step ${step}  loss ${loss.toFixed(6)}`);
}

const out = model.forward(x).toArray();
console.log('inputs  target  output');
for (let i = 0; i < 4; i++) {
  console.log(`${x.toArray().slice(2 * i, 2 * i + 2).join(' ')}     ${y.toArray()[i]}       ${out[i].toFixed(3)}`);
}
// Fails loudly if the fit did not happen (the example's test relies on the exit code).
const fitted = out.every((v, i) => Math.abs(v - y.toArray()[i]) < 0.1);
if (!fitted) { console.error(`XOR not fitted: final loss ${loss}`); process.exit(1); }
console.log(`fitted: final loss ${loss.toExponential(2)}`);
