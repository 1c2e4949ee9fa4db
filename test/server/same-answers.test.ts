// Through the running service (`serve` as a child process, scoring on 2 worker threads): the
// same answers as `npm run detect` for the same model and file, via POST /score, POST
// /predict, and the `client` command (whose printout must equal detect's, line for line).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, startServe, testBeats, trainTestModel, type ServeChild } from './helpers.ts';

const N = 300; // more than one coalesced batch, and more than one client request (max-beats 128)
let model: ReturnType<typeof trainTestModel>;
let serve: ServeChild;
let file = '';
let detectJson: { threshold: number; flagged: number; beats: { score: number; flag: boolean; label: string }[] };
let detectText = '';
const rows = testBeats(N);

beforeAll(async () => {
  model = trainTestModel();
  // The ECG5000 test file's first N lines, label first, as the loaders read it.
  file = path.join(path.dirname(model.dir), 'beats.txt');
  writeFileSync(file, rows.map((r, i) => [i % 7 === 0 ? '2' : '1', ...r].join('  ')).join('\n') + '\n');
  serve = await startServe(['--model', model.dir, '--workers', '2', '--max-beats', '128', '--log', 'none']);
  const d = runCommand('detect', ['--model', model.dir, file, '--json']);
  expect(d.code).toBe(0);
  const lines = d.stdout.trim().split('\n');
  detectJson = JSON.parse(lines.pop()!);
  detectText = lines.join('\n');
}, 180_000);

afterAll(async () => {
  serve?.child.kill('SIGTERM');
  await serve?.exit;
  model?.cleanup();
});

const post = (base: string, route: string, body: unknown) => fetch(`${base}${route}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the service answers what detect answers', () => {
  it('POST /score, in concurrent requests of up to 128 beats', async () => {
    const chunks = Array.from({ length: Math.ceil(N / 100) }, (_, k) => rows.slice(k * 100, (k + 1) * 100));
    const answers = await Promise.all(chunks.map(async (beats) => (await post(serve.base, '/score', { beats })).json()));
    const scores = answers.flatMap((a) => a.scores), flags = answers.flatMap((a) => a.flags);
    expect(scores).toEqual(detectJson.beats.map((b) => b.score));
    expect(flags).toEqual(detectJson.beats.map((b) => b.flag));
    for (const a of answers) expect(a.threshold).toBe(detectJson.threshold);
  });

  it('POST /predict, one beat per request, 40 at once (coalesced on the threads)', async () => {
    const answers = await Promise.all(rows.slice(0, 40).map(async (beat) => (await post(serve.base, '/predict', { beat })).json()));
    answers.forEach((a, i) => expect(a).toEqual({ anomaly: detectJson.beats[i].flag, reconstruction_error: detectJson.beats[i].score, threshold: detectJson.threshold }));
    const batch = await (await post(serve.base, '/predict', { beats: rows.slice(40, 60) })).json();
    expect(batch.results.map((r: { reconstruction_error: number }) => r.reconstruction_error)).toEqual(detectJson.beats.slice(40, 60).map((b) => b.score));
  });

  it('the client command prints exactly what detect prints', () => {
    const c = runCommand('client', ['--url', serve.base, file, '--json']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const lines = c.stdout.trim().split('\n');
    const json = JSON.parse(lines.pop()!);
    expect(lines.join('\n')).toBe(detectText);
    expect(json.beats).toEqual(detectJson.beats);
    expect(json.flagged).toBe(detectJson.flagged);
  });

  it('the client fails clearly when no service is there', () => {
    const c = runCommand('client', ['--url', 'http://127.0.0.1:9', file]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/client: error: cannot reach http:\/\/127\.0\.0\.1:9\/model/);
  });
});
