// `npm run data`: downloads the UCR ECG5000 dataset into data/ecg5000 and verifies it.
// The work is in ecg/download-node.ts; this file only reads the flags.

import { downloadEcg5000, ECG5000_URL } from '../ecg/download-node.ts';
import { runCommand, type CommandSpec } from './args.ts';

export const dataSpec: CommandSpec = {
  name: 'data',
  summary: 'download the UCR ECG5000 dataset (TRAIN/TEST .txt files) and verify their sha256',
  usage: 'npm run data -- [--out DIR] [--url URL] [--force]',
  options: {
    out: { type: 'string', value: 'DIR', description: 'folder for ECG5000_TRAIN.txt and ECG5000_TEST.txt', default: 'data/ecg5000' },
    url: { type: 'string', value: 'URL', description: 'zip to download', default: ECG5000_URL },
    force: { type: 'boolean', description: 'download again even when verified files are present' },
  },
  examples: ['npm run data', 'npm run data -- --out /tmp/ecg5000'],
};

void runCommand(dataSpec, async ({ values }) => {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const { files } = await downloadEcg5000({
    url: String(values.url), outDir: String(values.out), force: values.force === true, log,
  });
  process.stdout.write(`${files.join('\n')}\n`);
});
