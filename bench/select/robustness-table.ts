// The README's robustness table: `train` with default settings on the official split and on
// pooled 80/20 splits (split seeds x training seeds), each row one real command run as a user
// would run it. This is the only part of the protocol that reads test beats, and it only reports:
// nothing here feeds back into a default.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '../child-process.ts';
import { fmt, groupBy, median } from './stats.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface TableRun {
  model: string; split: string; seed: number; command: string;
  rocAuc: number; f1: number; recall: number; precision: number; heldOutFalseAlarmRate: number | null; seconds: number;
}

/** One `npm run train` as a child process; its --json summary. */
export async function trainOnce(dataDir: string, model: string, seed: number, splitSeed: number | null, outRoot: string): Promise<TableRun> {
  const split = splitSeed === null ? [] : ['--pool-split', '0.2', '--split-seed', String(splitSeed)];
  const args = ['--data', dataDir, '--model', model, '--seed', String(seed), ...split];
  const out = path.join(outRoot, `${model}-${splitSeed ?? 'official'}-${seed}`);
  const r = await runChild(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'src/cli/train.ts'), ...args, '--out', out, '--no-plots', '--json'],
    { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`train ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const json = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const m = json.metrics;
  return { model, split: splitSeed === null ? 'official' : `pooled s${splitSeed}`, seed, command: `npm run train -- ${args.join(' ')}`,
    rocAuc: m.rocAuc, f1: m.f1, recall: m.recall, precision: m.precision, heldOutFalseAlarmRate: json.heldOutFalseAlarmRate, seconds: json.trainSeconds };
}

export async function runTable(dataDir: string, models: string[], splitSeeds: number[], seeds: number[], log: (msg: string) => void): Promise<TableRun[]> {
  const outRoot = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-select-'));
  const runs: TableRun[] = [];
  try {
    for (const model of models) {
      for (const splitSeed of [null, ...splitSeeds]) {
        for (const seed of seeds) {
          const run = await trainOnce(dataDir, model, seed, splitSeed, outRoot);
          log(`  ${run.command}: AUC ${fmt(run.rocAuc)} F1 ${fmt(run.f1)} (${run.seconds.toFixed(1)} s)`);
          runs.push(run);
        }
      }
    }
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  return runs;
}

/** Markdown: one row per (model, split), medians over training seeds, per-seed F1 for the spread. */
export function formatTable(runs: TableRun[]): string {
  const rows = [...groupBy(runs, (r) => `${r.model}|${r.split}`).values()].map((g) => {
    const med = (f: (r: TableRun) => number) => fmt(median(g.map(f)));
    const far = g.every((r) => r.heldOutFalseAlarmRate !== null) ? `${(100 * median(g.map((r) => r.heldOutFalseAlarmRate!))).toFixed(1)}%` : 'n/a';
    return `| ${g[0].model} | ${g[0].split} | ${med((r) => r.rocAuc)} | ${med((r) => r.f1)} | ${med((r) => r.recall)} | ` +
      `${med((r) => r.precision)} | ${g.map((r) => fmt(r.f1, 3)).join(' / ')} | ${far} |`;
  });
  return ['| model | split | ROC-AUC | F1 | recall | precision | F1 per seed | held-out false alarms |',
    '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
