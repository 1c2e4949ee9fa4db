// `npm run runs -- [DIR]`: the runs saved under DIR (default models/), side by side: kind, save
// time, seed, learning rate, batch size, epochs, backend, the training file's SHA-256, test
// ROC-AUC and F1, threshold. Read from each model's manifest; nothing is loaded or scored.

import fs from 'node:fs';
import path from 'node:path';
import { runCommand, UserError, type CommandSpec } from './args.ts';
import { summarizeRun, type RunSummary } from './run-summary.ts';

export const runsSpec: CommandSpec = {
  name: 'runs',
  summary: 'list the trained models in a folder with their settings and test metrics, side by side',
  usage: 'npm run runs -- [DIR] [--json]',
  allowPositionals: true,
  options: {
    json: { type: 'boolean', description: 'print one JSON array (one object a run) instead of the table' },
  },
  examples: ['npm run runs', 'npm run runs -- experiments/ --json'],
};

/** Every model directly in `dir` (a folder with a model, or a .safetensors model file), oldest first; `skipped`: unreadable ones. */
function listRuns(dir: string): { runs: RunSummary[]; skipped: string[] } {
  const runs: RunSummary[] = [], skipped: string[] = [];
  const self = tryRun(dir, path.basename(path.resolve(dir)), skipped);
  if (self) return { runs: [self], skipped }; // DIR is itself a model folder
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = fs.statSync(full, { throwIfNoEntry: false });
    if (!st || !(st.isDirectory() || (st.isFile() && name.endsWith('.safetensors')))) continue;
    const run = tryRun(full, name, skipped);
    if (run) runs.push(run);
  }
  runs.sort((a, b) => (a.saved ?? '').localeCompare(b.saved ?? '') || a.name.localeCompare(b.name));
  return { runs, skipped };
}

function tryRun(dir: string, name: string, skipped: string[]): RunSummary | null {
  try { return summarizeRun(dir, name); } catch (e) { skipped.push(`${name}: ${(e as Error).message}`); return null; }
}

const COLUMNS: [string, (r: RunSummary) => string][] = [
  ['name', (r) => r.name],
  ['kind', (r) => r.kind ?? '-'],
  ['saved (UTC)', (r) => (r.saved ? r.saved.slice(0, 16).replace('T', ' ') : '-')],
  ['seed', (r) => fmt(r.seed)],
  ['lr', (r) => fmt(r.lr)],
  ['batch', (r) => fmt(r.batch)],
  ['epochs', (r) => (r.epochs === null ? '-' : `${r.epochs}/${fmt(r.maxEpochs)}`)],
  ['backend', (r) => r.backend ?? '-'],
  ['train sha256', (r) => (r.trainSha256 ? r.trainSha256.slice(0, 12) : r.syntheticData ? 'synthetic' : '-')],
  ['ROC-AUC', (r) => (r.rocAuc === null ? '-' : r.rocAuc.toFixed(4))],
  ['F1', (r) => (r.f1 === null ? '-' : r.f1.toFixed(4))],
  ['threshold', (r) => (r.threshold === null ? '-' : `${r.threshold.toPrecision(4)} ${shortMethod(r.thresholdMethod)}`)],
];

const fmt = (x: number | null) => (x === null ? '-' : String(x));
const shortMethod = (m: string | null) => (m ? `(${m.replace(/ of training errors$/, '')})` : '');

function runsTable(runs: RunSummary[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...runs.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, j) => Math.max(...rows.map((row) => row[j].length)));
  return rows.map((row) => row.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd()).join('\n');
}

async function main({ values, positionals }: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<void> {
  if (positionals.length > 1) throw new UserError(`expected at most one DIR, got ${positionals.length}`, 2);
  const dir = positionals[0] ?? 'models';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`no such folder: ${dir}`, 2);
  const { runs, skipped } = listRuns(dir);
  for (const s of skipped) process.stderr.write(`skipped ${s}\n`);
  if (values.json === true) { process.stdout.write(JSON.stringify(runs) + '\n'); return; }
  if (runs.length === 0) { process.stdout.write(`no trained models in ${dir}/ (train one: npm run train -- --out ${path.join(dir, 'dense')})\n`); return; }
  process.stdout.write(runsTable(runs) + '\n');
}

void runCommand(runsSpec, main);
