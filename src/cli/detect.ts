// `npm run detect -- --model DIR FILE`: per beat, the anomaly score, the threshold and the flag.
// FILE is any beats file the loaders read (UCR .txt/.tsv/.arff, CSV); `--label-column none`
// reads rows of values only (a .txt/.tsv/.csv of unlabelled beats).

import '../index.ts';
import { existsSync } from 'node:fs';
import { loadBeatFile } from '../ecg/load-node.ts';
import { labelColumnFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { loadDetector } from './model-store.ts';
import { BACKEND_OPTIONS, selectBackend } from './backend-flags.ts';

export const detectSpec: CommandSpec = {
  name: 'detect',
  summary: 'flag anomalous beats in a file with a saved detector',
  usage: 'npm run detect -- --model DIR FILE [--label-column first|last|none] [--json]',
  allowPositionals: true,
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    'label-column': { type: 'string', value: 'first|last|none', description: 'where FILE keeps its label; none = unlabelled beats (default: the format\'s)' },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    ...BACKEND_OPTIONS,
  },
};

async function main({ values, positionals }: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<void> {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  if (typeof values.model !== 'string') throw new UserError('--model DIR is required', 2);
  if (positionals.length !== 1) throw new UserError(`expected exactly one FILE of beats, got ${positionals.length}`, 2);
  const file = positionals[0];
  const labelColumn = labelColumnFlag(values, { allowNone: true });
  await selectBackend(values, log);
  const { detector } = loadDetector(values.model);
  if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
  const set = loadBeatFile(file, { labelColumn });
  if (set.length !== detector.beatLength) {
    throw new UserError(`${file}: beats have ${set.length} samples, the model at ${values.model} expects ${detector.beatLength}`);
  }
  const { scores, flags, threshold, nonFinite } = detector.detect(set.beats, set.n);
  // A beat whose error could not be computed scores +Infinity and is flagged: shown as such.
  const shown = (s: number) => (Number.isFinite(s) ? s.toPrecision(6) : 'non-finite');
  const lines = ['beat  score       threshold   flag  label'];
  for (let i = 0; i < set.n; i++) {
    lines.push(`${String(i).padStart(4)}  ${shown(scores[i]).padEnd(10)}  ${threshold.toPrecision(6).padEnd(10)}  ${flags[i] ? 'ANOM' : 'ok  '}  ${set.labels[i] ?? ''}`);
  }
  const flagged = flags.reduce((s, f) => s + f, 0);
  lines.push(`${flagged} of ${set.n} beats flagged as anomalous (threshold ${threshold.toPrecision(6)}, ${detector.threshold.method})`);
  if (nonFinite > 0) lines.push(`${nonFinite} of them could not be scored (non-finite reconstruction error) and count as anomalies`);
  process.stdout.write(lines.join('\n') + '\n');
  if (values.json === true) {
    // score null + nonFinite true: the error was NaN or infinite (JSON has no Infinity).
    process.stdout.write(JSON.stringify({ model: values.model, file, threshold, flagged, nonFinite,
      beats: Array.from(scores, (s, i) => ({ index: i, score: Number.isFinite(s) ? s : null, nonFinite: !Number.isFinite(s), flag: flags[i] === 1, label: set.labels[i] })) }) + '\n');
  }
}

void runCommand(detectSpec, main);
