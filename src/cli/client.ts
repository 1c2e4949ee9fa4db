// `npm run client -- --url http://127.0.0.1:8080 FILE [--label-column ...] [--json]`: scores a
// beats file through the scoring API (POST /score, in requests of at most the server's
// per-request limit) and prints exactly what `npm run detect` prints for the same model.

import { beatLengthMessage } from './beat-length-error.ts';
import { existsSync } from 'node:fs';
import { loadBeatFile } from '../data/load-node.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../server/app.ts';
import { labelColumnFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { detectionJson, detectionText } from './detection-output.ts';

export const clientSpec: CommandSpec = {
  name: 'client',
  summary: 'score a beats file through a running scoring service (npm run serve) and print what detect prints',
  usage: 'npm run client -- --url http://127.0.0.1:8080 FILE [--label-column first|last|none] [--json]',
  allowPositionals: true,
  options: {
    url: { type: 'string', value: 'URL', description: 'the service\'s base URL', default: 'http://127.0.0.1:8080' },
    'label-column': { type: 'string', value: 'first|last|none', description: 'where FILE keeps its label; none = unlabelled beats (default: the format\'s)' },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
  },
};

interface ModelAnswer { inputLength: number; threshold: { value: number; method: string }; limits?: { maxBeatsPerRequest?: number; maxBodyBytes?: number } }
interface ScoreAnswer { threshold: number; scores: (number | null)[]; flags: boolean[] }

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try { res = await fetch(url, init); } catch (e) {
    throw new UserError(`cannot reach ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new UserError(`${url} answered ${res.status} with a body that is not JSON`); }
  if (!res.ok) throw new UserError(`${url} answered ${res.status}: ${(body as { error?: string }).error ?? text.slice(0, 200)}`);
  return body as T;
}

async function main({ values, positionals }: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<void> {
  if (positionals.length !== 1) throw new UserError(`expected exactly one FILE of beats, got ${positionals.length}`, 2);
  const file = positionals[0];
  let base: URL;
  try { base = new URL(String(values.url)); } catch { throw new UserError(`--url must be a URL such as http://127.0.0.1:8080, got "${values.url}"`, 2); }
  const labelColumn = labelColumnFlag(values, { allowNone: true });
  if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
  const set = loadBeatFile(file, { labelColumn });
  const model = await call<ModelAnswer>(new URL('/model', base).href);
  if (set.length !== model.inputLength) {
    throw new UserError(beatLengthMessage(file, set.length, base.href, model.inputLength, labelColumn));
  }
  // Requests of at most the server's beat cap, and small enough for its body limit
  // (a sample is at most ~25 bytes of JSON).
  const maxBeats = Math.max(1, Math.min(model.limits?.maxBeatsPerRequest ?? 1024,
    Math.floor((model.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) / (set.length * 25 + 4))));
  const scores = new Float64Array(set.n), flags = new Uint8Array(set.n);
  let threshold = model.threshold.value;
  for (let start = 0; start < set.n; start += maxBeats) {
    const end = Math.min(set.n, start + maxBeats);
    const beats = [];
    // 9 significant digits give back every float32 exactly, and keep the server on its fast parser.
    for (let i = start; i < end; i++) beats.push(Array.from(set.beats.subarray(i * set.length, (i + 1) * set.length), (v) => Number(v.toPrecision(9))));
    const r = await call<ScoreAnswer>(new URL('/score', base).href,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ beats }) });
    threshold = r.threshold;
    r.scores.forEach((s, k) => { scores[start + k] = s === null ? Infinity : s; flags[start + k] = r.flags[k] ? 1 : 0; });
  }
  const report = { scores, flags, threshold, method: model.threshold.method, labels: set.labels };
  process.stdout.write(detectionText(report));
  if (values.json === true) process.stdout.write(detectionJson(report, base.href, file));
}

void runCommand(clientSpec, main);
