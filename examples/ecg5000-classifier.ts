// Example 6: a classifier trained end to end on a real dataset, ECG5000's five beat classes
// (500 training beats, 4500 test beats, UCR's split). Linear -> BatchNorm1d -> ReLU -> Dropout ->
// Linear, cross-entropy, Adam, from manualSeed(0): the same accuracy on every run.
// Run: npx tsx examples/ecg5000-classifier.ts [DATA_DIR]   (default ../shared/data/ecg5000)

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Adam, BatchNorm1d, Dropout, Linear, ReLU, Sequential, crossEntropy, manualSeed, noGrad, shuffleIndices,
  createRng, tensor } from '../src/index.ts';
import { loadBeatFile } from '../src/node.ts';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/ecg5000', import.meta.url));
const train = loadBeatFile(path.join(dir, 'ECG5000_TRAIN.txt')), test = loadBeatFile(path.join(dir, 'ECG5000_TEST.txt'));
const CLASSES = ['1', '2', '3', '4', '5']; // normal, R-on-T PVC, PVC, SP or EB, unclassified beat
const targetsOf = (labels: string[]) => labels.map((l) => CLASSES.indexOf(l));
const L = train.length;

manualSeed(0);
const model = new Sequential(new Linear(L, 64), new BatchNorm1d(64), new ReLU(), new Dropout(0.2), new Linear(64, 5));
const opt = new Adam(model.parameters(), { lr: 3e-3 });
const yTrain = targetsOf(train.labels), order = Int32Array.from({ length: train.n }, (_, i) => i);
const shuffler = createRng('ecg5000-batches'), BATCH = 50;
for (let epoch = 0; epoch < 30; epoch++) {
  shuffleIndices(order, shuffler);
  for (let start = 0; start < train.n; start += BATCH) {
    const rows = order.slice(start, start + BATCH);
    const x = new Float32Array(rows.length * L);
    rows.forEach((r, i) => x.set(train.beats.subarray(r * L, (r + 1) * L), i * L));
    opt.zeroGrad();
    crossEntropy(model.forward(tensor(x, [rows.length, L])), Array.from(rows, (r) => yTrain[r])).backward();
    opt.step();
  }
}

model.eval();
const logits = noGrad(() => model.forward(tensor(test.beats, [test.n, L]))).tolist() as number[][];
const yTest = targetsOf(test.labels), perClass = CLASSES.map(() => [0, 0]);
let correct = 0;
logits.forEach((row, i) => {
  const guess = row.indexOf(Math.max(...row)), ok = guess === yTest[i] ? 1 : 0;
  correct += ok; perClass[yTest[i]][0] += ok; perClass[yTest[i]][1]++;
});
const majority = Math.max(...perClass.map(([, n]) => n)) / test.n;
console.log(`test accuracy ${(correct / test.n).toFixed(4)} (${correct}/${test.n}); majority class alone ${majority.toFixed(4)}`);
console.log('per class ' + perClass.map(([ok, n], c) => `${CLASSES[c]}: ${ok}/${n}`).join(', '));
if (!(correct / test.n > majority + 0.2)) {
  console.error('the classifier did not learn beyond guessing the majority class');
  process.exit(1);
}
