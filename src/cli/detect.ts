// `npm run detect -- --model DIR FILE`: per beat, the anomaly score, the threshold and the flag.
// FILE is any beats file the loaders read (UCR .txt/.tsv/.arff, CSV); `--label-column none`
// reads rows of values only (a .txt/.tsv/.csv of unlabelled beats).

import { beatLengthMessage } from './beat-length-error.ts';
import '../index.ts';
import { existsSync } from 'node:fs';
import { loadBeatFile } from '../data/load-node.ts';
import { labelColumnFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { loadDetector, THRESHOLD_OPTION } from './model-store.ts';
import { detectionJson, detectionText } from './detection-output.ts';
import { BACKEND_OPTIONS, selectBackend } from './backend-flags.ts';

export const detectSpec: CommandSpec = {
  name: 'detect',
  summary: 'flag anomalous beats in a file with a saved detector',
  usage: 'npm run detect -- --model DIR FILE [--label-column first|last|none] [--threshold RULE|VALUE] [--json]',
  allowPositionals: true,
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    'label-column': { type: 'string', value: 'first|last|none', description: 'where FILE keeps its label; none = unlabelled beats (default: the format\'s)' },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    ...THRESHOLD_OPTION,
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
  const { detector } = loadDetector(values.model, typeof values.threshold === 'string' ? values.threshold : undefined);
  if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
  const set = loadBeatFile(file, { labelColumn });
  if (set.length !== detector.beatLength) {
    throw new UserError(beatLengthMessage(file, set.length, values.model, detector.beatLength, labelColumn));
  }
  const { scores, flags, threshold } = detector.detect(set.beats, set.n);
  // The same printout as `npm run client` (scoring through the HTTP API): detection-output.ts.
  const report = { scores, flags, threshold, method: detector.threshold.method, labels: set.labels };
  process.stdout.write(detectionText(report));
  if (values.json === true) process.stdout.write(detectionJson(report, values.model, file));
}

void runCommand(detectSpec, main);
