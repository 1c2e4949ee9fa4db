// `npm run bench:peers`: the reference dense-autoencoder workload (ECG5000, 292 normal beats,
// 140-64-32-16-32-64-140, batch 32, Adam 1e-3, 100 epochs, no early stopping) in cardiograd and
// in the peer engines of ../shared/peers, interleaved run by run in one session; medians of
// the training-loop seconds and test ROC-AUC.
//   PyTorch: /usr/bin/python3 with Debian's python3-torch and python3-sklearn.
//   TensorFlow.js: `npm install` in a copy of ../shared/peers, passed as --tfjs DIR.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: {
  runs: { type: 'string', default: '3' },
  data: { type: 'string', default: path.join(REPO, '../shared/data/ecg5000') },
  peers: { type: 'string', default: path.join(REPO, '../shared/peers') },
  tfjs: { type: 'string' },
  python: { type: 'string', default: '/usr/bin/python3' },
  help: { type: 'boolean' },
} });
if (values.help) {
  console.log('npm run bench:peers -- [--runs 3] [--data DIR] [--peers DIR] [--tfjs DIR-with-node_modules] [--python /usr/bin/python3]');
  process.exit(0);
}

interface Sample { seconds: number; auc: number }
type Runner = () => Sample;

function run(cmd: string, args: string[], cwd = REPO): any {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-peers-'));
const trainCardiograd = (backend: string): Sample => {
  const j = run(path.join(REPO, 'node_modules/.bin/tsx'), ['src/cli/train.ts', '--model', 'dense', '--data', values.data!,
    '--hidden', '64,32,16', '--epochs', '100', '--batch', '32', '--lr', '0.001', '--patience', '0', '--val-fraction', '0',
    '--threshold', 'p95', '--json', '--no-plots', '--backend', backend, '--out', path.join(tmp, `model-${backend}`)]);
  return { seconds: j.trainSeconds, auc: j.metrics.rocAuc };
};
// The first row is the default backend (auto: wasm where WebAssembly SIMD compiles); the ratio
// column divides its time by each engine's. cpu (the TS kernels) is shown for reference.
const runners: Record<string, Runner> = {
  'cardiograd default (auto)': () => trainCardiograd('auto'),
  'cardiograd cpu': () => trainCardiograd('cpu'),
};
if (existsSync(values.python!)) {
  runners['PyTorch (CPU)'] = () => {
    const j = run(values.python!, [path.join(values.peers!, 'torch_dense_ae.py'), values.data!, '--epochs', '100', '--arch', '140,64,32,16']);
    return { seconds: j.train_s, auc: j.auc };
  };
}
if (values.tfjs) {
  for (const backend of ['cpu', 'wasm']) {
    runners[`TensorFlow.js ${backend}`] = () => {
      const j = run('node', [path.join(values.tfjs!, 'tfjs_dense_ae.mjs'), values.data!, backend, '100', '140,64,32,16'], values.tfjs!);
      return { seconds: j.train_s, auc: j.auc };
    };
  }
}

const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
const runs = Number(values.runs);
for (let i = 0; i < runs; i++) {
  for (const [name, fn] of Object.entries(runners)) {
    const s = fn();
    samples[name].push(s);
    console.error(`run ${i + 1}/${runs} ${name}: ${s.seconds.toFixed(3)} s, AUC ${s.auc.toFixed(4)}`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = median(samples['cardiograd default (auto)'].map((s) => s.seconds));
console.log(`\n| engine | train seconds (median of ${runs}) | cardiograd default / engine | ROC-AUC (median) |`);
console.log('|---|---|---|---|');
for (const [name, ss] of Object.entries(samples)) {
  const t = median(ss.map((s) => s.seconds));
  console.log(`| ${name} | ${t.toFixed(3)} | ${(ours / t).toFixed(2)} | ${median(ss.map((s) => s.auc)).toFixed(4)} |`);
}
console.log(`\n${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}`);
