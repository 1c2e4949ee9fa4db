// `npm run bench:peers`: the seed models' training workloads (ECG5000, the 292 normal beats of
// ECG5000_TRAIN, batch 32, Adam 1e-3, no early stopping, no hold-out) in cardiograd and in the
// peer engines of ../shared/peers, interleaved run by run in one session; medians of the
// training-loop seconds and test ROC-AUC, and the ours / PyTorch table of issue 25:
//   dense 140-64-32-16 (100 epochs), VAE 64-32-(8) (100 epochs, standard scaling, beta 1),
//   LSTM hidden 32, latent 16, 140 one-sample steps (--patch 1, 5 epochs),
//   Conv1D 16,32 channels, kernel 7, code 8 (10 epochs; its peer reports training seconds only).
//   PyTorch: /usr/bin/python3 with Debian's python3-torch and python3-sklearn.
//   TensorFlow.js (dense only): `npm install` in a copy of ../shared/peers, passed as --tfjs DIR.
// With the dense kind, also dense scoring throughput at batch 1 and 256 (bench/peers-scoring/:
// Detector.detect against PyTorch inference of the same layers, interleaved in the same rounds).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const KINDS = ['dense', 'vae', 'lstm', 'conv'] as const;
type Kind = typeof KINDS[number];
const REPO = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: {
  runs: { type: 'string', default: '3' },
  kinds: { type: 'string', default: KINDS.join(',') },
  data: { type: 'string', default: path.join(REPO, '../shared/data/ecg5000') },
  peers: { type: 'string', default: path.join(REPO, '../shared/peers') },
  tfjs: { type: 'string' },
  python: { type: 'string', default: '/usr/bin/python3' },
  'torch-threads': { type: 'string', default: '1' },
  help: { type: 'boolean' },
} });
if (values.help) {
  console.log(`npm run bench:peers -- [--runs 3] [--kinds ${KINDS.join(',')}] [--data DIR] [--peers DIR] [--tfjs DIR-with-node_modules] [--python /usr/bin/python3] [--torch-threads 1]`);
  process.exit(0);
}
const kinds = values.kinds!.split(',') as Kind[];
const unknown = kinds.filter((k) => !(KINDS as readonly string[]).includes(k));
if (unknown.length) { console.error(`bench:peers: unknown kind(s) ${unknown.join(', ')}; choose from ${KINDS.join(', ')}`); process.exit(2); }

/** auc is NaN where the peer does not score (the Conv1D peer reports training seconds only). */
interface Sample { seconds: number; auc: number }
interface Runner { kind: Kind; engine: string; run: () => Sample }

function run(cmd: string, args: string[], cwd = REPO, env: NodeJS.ProcessEnv = process.env): any {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const OURS = 'cardiograd default (auto)';
const TORCH = 'PyTorch (CPU)';
/** The train CLI's flags for each kind's workload (the peers' layers and settings). */
const OUR_FLAGS: Record<Kind, string[]> = {
  dense: ['--hidden', '64,32,16', '--epochs', '100'],
  vae: ['--hidden', '64,32', '--latent', '8', '--beta', '1', '--scaler', 'standard', '--epochs', '100'],
  lstm: ['--hidden', '32', '--latent', '16', '--patch', '1', '--scaler', 'standard', '--clip-norm', '0', '--epochs', '5'],
  conv: ['--hidden', '16,32', '--kernel', '7', '--latent', '8', '--scaler', 'standard', '--epochs', '10'],
};
const TORCH_ARGS: Record<Kind, string[]> = {
  dense: ['torch_dense_ae.py', values.data!, '--epochs', '100', '--arch', '140,64,32,16'],
  vae: ['torch_vae_lstm.py', values.data!, 'vae', '--epochs', '100'],
  lstm: ['torch_vae_lstm.py', values.data!, 'lstm', '--epochs', '5'],
  conv: ['torch_conv_ae.py', values.data!, '10'],
};

// PyTorch gets as many threads as cardiograd uses (one) unless told otherwise: its intra-op pool
// reads OMP_NUM_THREADS at start, and two spinning threads on a shared 2-core machine swing widely.
const TORCH_ENV = { ...process.env, OMP_NUM_THREADS: values['torch-threads'], MKL_NUM_THREADS: values['torch-threads'] };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-peers-'));
const trainCardiograd = (kind: Kind, backend: string): Sample => {
  const j = run(path.join(REPO, 'node_modules/.bin/tsx'), ['src/cli/train.ts', '--model', kind, '--data', values.data!,
    ...OUR_FLAGS[kind], '--batch', '32', '--lr', '0.001', '--patience', '0', '--val-fraction', '0',
    '--threshold', 'p95', '--json', '--no-plots', '--force', '--backend', backend, '--out', path.join(tmp, `model-${kind}-${backend}`)]);
  return { seconds: j.trainSeconds, auc: j.metrics.rocAuc };
};
// Per kind, the first row is the default backend (auto: wasm where WebAssembly SIMD compiles);
// the ratio column divides its time by each engine's. cpu (the TS kernels) is shown for the dense.
const runners: Runner[] = [];
const hasTorch = existsSync(values.python!);
for (const kind of kinds) {
  runners.push({ kind, engine: OURS, run: () => trainCardiograd(kind, 'auto') });
  if (kind === 'dense') runners.push({ kind, engine: 'cardiograd cpu', run: () => trainCardiograd(kind, 'cpu') });
  if (hasTorch) {
    runners.push({ kind, engine: TORCH, run: () => {
      const [script, ...rest] = TORCH_ARGS[kind];
      const j = run(values.python!, [path.join(values.peers!, script), ...rest], REPO, TORCH_ENV);
      return { seconds: j.train_s, auc: j.auc ?? NaN };
    } });
  }
  if (kind === 'dense' && values.tfjs) {
    for (const backend of ['cpu', 'wasm']) {
      runners.push({ kind, engine: `TensorFlow.js ${backend}`, run: () => {
        const j = run('node', [path.join(values.tfjs!, 'tfjs_dense_ae.mjs'), values.data!, backend, '100', '140,64,32,16'], values.tfjs!);
        return { seconds: j.train_s, auc: j.auc };
      } });
    }
  }
}
if (!hasTorch) console.error(`bench:peers: no ${values.python}: PyTorch rows left out`);

/** Scoring rows: beats/s per (engine, batch), from bench/peers-scoring (fastest block of each run). */
const SCORING_BATCHES = [1, 256];
const scoring = new Map<string, number[]>();
const scoreRound = () => {
  if (!kinds.includes('dense')) return;
  for (const batch of SCORING_BATCHES) {
    const ours = run(path.join(REPO, 'node_modules/.bin/tsx'), ['bench/peers-scoring/ours.ts', values.data!, String(batch)]);
    scoring.set(`ours ${batch}`, [...(scoring.get(`ours ${batch}`) ?? []), ours.beats_per_s]);
    if (!hasTorch) continue;
    const torch = run(values.python!, [path.join(REPO, 'bench/peers-scoring/torch_dense_score.py'), values.data!, String(batch)], REPO, TORCH_ENV);
    scoring.set(`torch ${batch}`, [...(scoring.get(`torch ${batch}`) ?? []), torch.beats_per_s]);
    console.error(`scoring batch ${batch}: ours ${ours.beats_per_s.toFixed(0)} beats/s, PyTorch ${torch.beats_per_s.toFixed(0)}`);
  }
};

const key = (r: { kind: Kind; engine: string }) => `${r.kind} | ${r.engine}`;
const samples = new Map<string, Sample[]>(runners.map((r) => [key(r), []]));
const runs = Number(values.runs);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();
// Interleaved: every engine of every kind once per round, so a change in load hits all alike.
for (let i = 0; i < runs; i++) {
  for (const r of runners) {
    const s = r.run();
    samples.get(key(r))!.push(s);
    console.error(`run ${i + 1}/${runs} ${r.kind} ${r.engine}: ${s.seconds.toFixed(3)} s, AUC ${s.auc.toFixed(4)}`);
  }
  scoreRound();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secondsOf = (kind: Kind, engine: string) => median(samples.get(`${kind} | ${engine}`)!.map((s) => s.seconds));
const fmtAuc = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(4));
const LABEL: Record<Kind, string> = {
  dense: 'dense 140-64-32-16 (100 epochs)',
  vae: 'VAE 64-32-(8) (100 epochs, standard scaling, β 1)',
  lstm: 'LSTM hidden 32, latent 16, 140 one-sample steps (`--patch 1`, 5 epochs)',
  conv: 'Conv1D 16,32 channels, kernel 7, code 8 (10 epochs)',
};

console.log(`\n| engine | model | train seconds (median of ${runs}) | cardiograd default / engine | ROC-AUC (median) |`);
console.log('|---|---|---|---|---|');
for (const r of runners) {
  const ss = samples.get(key(r))!;
  const t = median(ss.map((s) => s.seconds));
  console.log(`| ${r.engine} | ${r.kind} | ${t.toFixed(3)} | ${(secondsOf(r.kind, OURS) / t).toFixed(2)} | ${fmtAuc(median(ss.map((s) => s.auc)))} |`);
}
if (hasTorch) {
  console.log(`\n| model | ours s | PyTorch s | ours / PyTorch |`);
  console.log('|---|---|---|---|');
  for (const kind of kinds) {
    const ours = secondsOf(kind, OURS); const torch = secondsOf(kind, TORCH);
    console.log(`| ${LABEL[kind]} | ${ours.toFixed(3)} | ${torch.toFixed(3)} | ${(ours / torch).toFixed(2)} |`);
  }
}
if (scoring.size) {
  console.log(`\n| dense scoring (140-64-32-16, inference), beats/s, median of ${runs} | ours (Detector.detect) | PyTorch | ours / PyTorch |`);
  console.log('|---|---|---|---|');
  for (const batch of SCORING_BATCHES) {
    const ours = median(scoring.get(`ours ${batch}`)!), torch = scoring.has(`torch ${batch}`) ? median(scoring.get(`torch ${batch}`)!) : NaN;
    console.log(`| batch ${batch} | ${ours.toFixed(0)} | ${Number.isNaN(torch) ? '-' : torch.toFixed(0)} | ${Number.isNaN(torch) ? '-' : (ours / torch).toFixed(2)} |`);
  }
}
console.log(`\n${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}; PyTorch threads ${values['torch-threads']}; load average (1, 5, 15 min) before ${loadBefore}, after ${load()}`);
