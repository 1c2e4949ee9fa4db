// Example 3: score beats with a saved model folder from plain JavaScript: no TypeScript, no
// bundler, only the package's compiled scoring core ('cardiograd/detector', no Node API inside;
// the file reading below is this script's own).
// Run (dist/ is the package build):
//   npm run build
//   npm run train -- --out models/dense
//   node examples/score-model.mjs models/dense ../shared/data/ecg5000/ECG5000_TEST.txt 10
// The beats file: one beat a line, the class label first, then the samples (UCR text format).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectorFromModelFile, readModelFileManifest } from 'cardiograd/detector';

const [dir, beatsFile, countArg = '10'] = process.argv.slice(2);
if (!dir || !beatsFile || !/^\d+$/.test(countArg)) {
  console.error('usage: node examples/score-model.mjs MODEL_DIR BEATS_FILE [COUNT]');
  process.exit(2);
}

// A model is one file, model.safetensors: its weights, and what the model is (the manifest) in the
// safetensors metadata. detectorFromModelFile checks both (schema, shapes, checksum) before
// building anything.
const bytes = new Uint8Array(readFileSync(path.join(dir, 'model.safetensors')));
const detector = detectorFromModelFile(bytes);
const manifest = readModelFileManifest(bytes);

// The first COUNT beats, raw (the detector applies the model's own scaler).
const lines = readFileSync(beatsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, Number(countArg));
const L = detector.beatLength;
const beats = new Float32Array(lines.length * L);
const labels = lines.map((line, i) => {
  const [label, ...values] = line.trim().split(/[\s,]+/).map(Number);
  if (values.length !== L || !values.every(Number.isFinite)) {
    throw new Error(`${beatsFile}:${i + 1}: expected a label and ${L} numbers, got ${values.length} values`);
  }
  beats.set(values, i * L);
  return String(label);
});

const { scores, flags, threshold } = detector.detect(beats, lines.length);
const normal = String(manifest.normalLabel ?? '1');
console.log(`threshold ${threshold.toPrecision(4)}; class ${normal} is normal`);
console.log('beat  class  score     flagged');
labels.forEach((label, i) => {
  const mark = flags[i] ? 'yes' : 'no';
  const right = (flags[i] === 1) === (label !== normal) ? '' : '  <- disagrees with the label';
  console.log(`${String(i).padStart(4)}  ${label.padStart(5)}  ${scores[i].toFixed(4).padStart(8)}  ${mark}${right}`);
});
// One JSON line last, for programs (and the example's test) to read.
console.log(JSON.stringify({ threshold, scores: Array.from(scores), flags: Array.from(flags) }));
