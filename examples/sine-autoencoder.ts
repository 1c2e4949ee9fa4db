// Example 2: a tiny dense autoencoder on synthetic sine waves, with Adam.
// Run: npx tsx examples/sine-autoencoder.ts
//
// Each wave is 64 samples of sin(f·t + φ) with a random frequency f and phase φ: two numbers
// describe it, so a 4-number code is plenty. After training, a square wave (never seen)
// reconstructs worse than a sine: the idea behind the ECG anomaly detector, in miniature.

import { Adam, Linear, ReLU, Sequential, Tensor, createRng, mseLoss, noGrad } from '../src/index.ts';

const L = 64, N = 200;
const rng = createRng('sines');
const wave = (f: number, phase: number, shape: (v: number) => number) =>
  Array.from({ length: L }, (_, t) => shape(Math.sin(f * t * (2 * Math.PI / L) + phase)));
const sines = new Float32Array(N * L);
for (let i = 0; i < N; i++) sines.set(wave(1 + 2 * rng.uniform(), 2 * Math.PI * rng.uniform(), (v) => v), i * L);
const data = new Tensor(sines, [N, L]);

// 64 -> 32 -> 4 (the code) -> 32 -> 64
const model = new Sequential(
  new Linear(L, 32, { seed: 's1' }), new ReLU(), new Linear(32, 4, { seed: 's2' }),
  new Linear(4, 32, { seed: 's3' }), new ReLU(), new Linear(32, L, { seed: 's4' }),
);
const opt = new Adam(model.parameters(), { lr: 3e-3 });

const error = (x: Tensor) => noGrad(() => mseLoss(model.forward(x), x).item());
const first = error(data);
for (let epoch = 1; epoch <= 300; epoch++) {
  opt.zeroGrad();
  const loss = mseLoss(model.forward(data), data); // full batch: 200 waves
  loss.backward();
  opt.step();
  if (epoch % 100 === 0) console.log(`epoch ${epoch}  reconstruction MSE ${loss.item().toFixed(5)}`);
}
const last = error(data);

// Unseen inputs: a new sine (normal) and a square wave of the same frequency (anomalous).
const one = (values: number[]) => new Tensor(Float32Array.from(values), [1, L]);
const sineError = error(one(wave(2, 1, (v) => v)));
const squareError = error(one(wave(2, 1, Math.sign)));
console.log(`MSE before ${first.toFixed(4)}, after ${last.toFixed(4)}`);
console.log(`new sine ${sineError.toFixed(4)}, square wave ${squareError.toFixed(4)} (${(squareError / sineError).toFixed(1)}x)`);
if (!(last < first / 10 && squareError > 3 * sineError)) { console.error('the autoencoder did not learn sines'); process.exit(1); }
