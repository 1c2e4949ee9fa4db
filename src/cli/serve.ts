// `npm run serve -- --model DIR [--port 8080] [--host 127.0.0.1]`: the scoring HTTP API.

import '../index.ts';
import { createScoringServer } from '../server/app.ts';
import { intFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { loadDetector } from './model-store.ts';

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'serve a saved detector over HTTP (POST /score, GET /model, GET /health)',
  usage: 'npm run serve -- --model DIR [--port 8080] [--host 127.0.0.1]',
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    port: { type: 'string', value: 'N', description: 'port (0 = any free port)', default: '8080' },
    host: { type: 'string', value: 'HOST', description: 'interface to listen on', default: '127.0.0.1' },
  },
};

async function main({ values }: { values: Record<string, string | boolean | undefined> }): Promise<void> {
  if (typeof values.model !== 'string') throw new UserError('--model DIR is required', 2);
  const port = intFlag(values, 'port', { min: 0, max: 65535 });
  const { detector, manifest } = loadDetector(values.model);
  const info = { model: values.model, kind: manifest.architecture.kind, architecture: manifest.architecture,
    beatLength: detector.beatLength, threshold: detector.threshold, metrics: manifest.metrics ?? null };
  const server = createScoringServer(detector, info);
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, String(values.host), resolve); });
  const addr = server.address();
  process.stdout.write(`serving ${values.model} on http://${values.host}:${typeof addr === 'object' && addr ? addr.port : port}\n`);
}

void runCommand(serveSpec, main);
