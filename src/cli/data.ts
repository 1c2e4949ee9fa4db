// `npm run data`: downloads the UCR ECG5000 dataset into data/ecg5000 and verifies it;
// `npm run data -- mitdb 100 106`: PhysioNet MIT-BIH records (.hea + .dat + reference .atr) into data/mitdb.
// The work is in data/download-node.ts; this file only reads the flags.

import { downloadEcg5000, downloadMitdb, ECG5000_URL, MITDB_BASE_URL } from '../data/download-node.ts';
import { runCommand, UserError, type CommandSpec } from './args.ts';

export const dataSpec: CommandSpec = {
  name: 'data',
  summary: 'download the UCR ECG5000 dataset (default) or MIT-BIH Arrhythmia records (mitdb NNN ...) and verify their sha256',
  usage: 'npm run data -- [ecg5000] [--out DIR] [--url URL] [--force]\n       npm run data -- mitdb RECORD... [--out DIR] [--url BASE_URL] [--force]',
  allowPositionals: true,
  options: {
    out: { type: 'string', value: 'DIR', description: 'target folder (default: data/ecg5000, or data/mitdb)' },
    url: { type: 'string', value: 'URL', description: `zip to download (ecg5000, default ${ECG5000_URL}) or the records' folder URL (mitdb, default ${MITDB_BASE_URL})` },
    force: { type: 'boolean', description: 'download again even when verified files are present' },
  },
  examples: ['npm run data', 'npm run data -- --out /tmp/ecg5000', 'npm run data -- mitdb 100 106 108'],
};

void runCommand(dataSpec, async ({ values, positionals }) => {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const [dataset = 'ecg5000', ...records] = positionals;
  const url = typeof values.url === 'string' ? values.url : undefined;
  const outDir = typeof values.out === 'string' ? values.out : undefined;
  let files: string[];
  if (dataset === 'ecg5000') {
    if (records.length > 0) throw new UserError(`ecg5000 takes no record names (got ${records.join(' ')})`, 2);
    ({ files } = await downloadEcg5000({ url: url ?? ECG5000_URL, outDir: outDir ?? 'data/ecg5000', force: values.force === true, log }));
  } else if (dataset === 'mitdb') {
    if (records.length === 0) throw new UserError('name the records to download, e.g. `npm run data -- mitdb 100 106`', 2);
    ({ files } = await downloadMitdb(records, { baseUrl: url, outDir: outDir ?? 'data/mitdb', force: values.force === true, log }));
  } else {
    throw new UserError(`unknown dataset "${dataset}" (known: ecg5000, mitdb)`, 2);
  }
  process.stdout.write(`${files.join('\n')}\n`);
});
