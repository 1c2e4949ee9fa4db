// `npm run client -- --url http://127.0.0.1:8080 FILE [--label-column ...] [--json]`: scores a
// beats file through the scoring API (POST /score, in requests of at most the server's
// per-request limit) and prints exactly what `npm run detect` prints for the same model.
// Fails closed: an answer that does not match what was sent (client-answers.ts), a service
// that does not answer within --timeout, or any error status ends it with exit 1 and the
// reason, before anything is printed.

import { beatLengthMessage } from './beat-length-error.ts';
import { existsSync } from 'node:fs';
import { loadBeatFile } from '../data/load-node.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../server/app.ts';
import { labelColumnFlag, numberFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { callJson, checkModelAnswer, checkScoreAnswer, endpoint } from './client-answers.ts';
import { detectionJson, detectionText } from './detection-output.ts';

export const clientSpec: CommandSpec = {
  name: 'client',
  summary: 'score a beats file through a running scoring service (npm run serve) and print what detect prints',
  usage: 'npm run client -- --url http://127.0.0.1:8080 FILE [--label-column first|last|none] [--timeout SECONDS] [--json]',
  allowPositionals: true,
  options: {
    url: { type: 'string', value: 'URL', description: 'the service\'s base URL (a path such as http://host/api/ is kept)', default: 'http://127.0.0.1:8080' },
    timeout: { type: 'string', value: 'SECONDS', description: 'longest wait for each call, connect and whole answer', default: '30' },
    'label-column': { type: 'string', value: 'first|last|none', description: 'where FILE keeps its label; none = unlabelled beats (default: the format\'s)' },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
  },
};

async function main({ values, positionals }: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<void> {
  if (positionals.length !== 1) throw new UserError(`expected exactly one FILE of beats, got ${positionals.length}`, 2);
  const file = positionals[0];
  let base: URL;
  try { base = new URL(String(values.url)); } catch { throw new UserError(`--url must be a URL such as http://127.0.0.1:8080, got "${values.url}"`, 2); }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UserError(`--url must be http:// or https://, got "${values.url}"`, 2);
  const timeoutMs = numberFlag(values, 'timeout', { min: 0.001, max: 3600 }) * 1000;
  const labelColumn = labelColumnFlag(values, { allowNone: true });
  if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
  const set = loadBeatFile(file, { labelColumn });
  const modelUrl = endpoint(base, 'model'), scoreUrl = endpoint(base, 'score');
  const model = checkModelAnswer(modelUrl, await callJson(modelUrl, timeoutMs));
  if (set.length !== model.inputLength) {
    throw new UserError(beatLengthMessage(file, set.length, base.href, model.inputLength, labelColumn));
  }
  // Requests of at most the server's beat cap, and small enough for its body limit
  // (a sample is at most ~25 bytes of JSON).
  const maxBeats = Math.max(1, Math.min(model.limits.maxBeatsPerRequest ?? 1024,
    Math.floor((model.limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) / (set.length * 25 + 4))));
  const scores = new Float64Array(set.n), flags = new Uint8Array(set.n);
  let threshold = model.threshold.value;
  for (let start = 0; start < set.n; start += maxBeats) {
    const end = Math.min(set.n, start + maxBeats);
    const beats = [];
    // 9 significant digits give back every float32 exactly, and keep the server on its fast parser.
    for (let i = start; i < end; i++) beats.push(Array.from(set.beats.subarray(i * set.length, (i + 1) * set.length), (v) => Number(v.toPrecision(9))));
    const answer = await callJson(scoreUrl, timeoutMs,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ beats }) });
    const r = checkScoreAnswer(scoreUrl, answer, end - start);
    threshold = r.threshold;
    scores.set(r.scores, start);
    flags.set(r.flags, start);
  }
  const report = { scores, flags, threshold, method: model.threshold.method, labels: set.labels };
  process.stdout.write(detectionText(report));
  if (values.json === true) process.stdout.write(detectionJson(report, base.href, file));
}

void runCommand(clientSpec, main);
