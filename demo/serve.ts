// `npm run demo -- [--model DIR] [--data DIR] [--port N]`: serves the demo page on 127.0.0.1.

import { parseArgs } from 'node:util';
import { startDemoServer } from './server.ts';

const HELP = `npm run demo -- [options]

Serves a static page on http://127.0.0.1:PORT/ that scores ECG beats in the browser (a Web
Worker running cardiograd/detector): pick a sample beat file or drop a CSV / UCR text file;
each beat is drawn with its reconstruction and its score against the threshold.

Options:
  --model DIR   model folder to serve (default models/dense; make one with
                npm run train -- --out models/dense)
  --data DIR    folder with ECG5000_TEST.txt for the ECG5000 sample (default data/ecg5000)
  --port N      port on 127.0.0.1 (default 8080; 0 = any free port)
  --help        this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    model: { type: 'string', default: 'models/dense' }, data: { type: 'string', default: 'data/ecg5000' },
    port: { type: 'string', default: '8080' }, help: { type: 'boolean' },
  } });
  if (values.help) { console.log(HELP); return; }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0-65535, got "${values.port}"`);
  const server = await startDemoServer({ model: values.model!, data: values.data, port });
  console.log(`cardiograd demo: ${server.url} (model ${values.model}; samples: ${server.samples.map((s) => s.file).join(', ')})`);
  console.log('Ctrl-C to stop.');
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: Error) => { console.error(`demo: error: ${e.message}`); process.exitCode = 1; });
