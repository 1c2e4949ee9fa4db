// Issue 22 item 3: `npm run client` against small fake services on 127.0.0.1 that answer short,
// mistyped or not at all. On today's main a short answer printed the missing beats as normal
// ("0 of 20 flagged", exit 0), a missing field gave "Cannot read properties of undefined", a
// stalled service hung it forever and a base URL's path was dropped. Here every one fails closed:
// exit 1, a reason naming the URL and what is wrong, nothing printed as a result.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, checkModelAnswer, checkScoreAnswer, endpoint } from '../../src/cli/client-answers.ts';
import { REPO } from '../helpers/cli.ts';

const BEATS = 20;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-client-'));
const beatsFile = path.join(tmp, 'beats.txt');
writeFileSync(beatsFile, Array.from({ length: BEATS }, (_, i) => `1 ${i} 0.5 -0.25`).join('\n') + '\n');

const MODEL = { inputLength: 3, threshold: { value: 0.5, method: 'test' }, limits: { maxBeatsPerRequest: 8, maxBodyBytes: 1 << 20 } };
type Answer = (beats: number[][]) => unknown;
/** What the fake service answers to /score; 'stall' = never answers. Set per test. */
let scoreAnswer: Answer | 'stall' = (beats) => ({ threshold: 0.5, scores: beats.map(() => 0.1), flags: beats.map(() => false) });
const paths: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const route = (req.url ?? '').replace(/^\/api\/v1/, '');
      if (route === '/model') return void res.end(JSON.stringify(MODEL));
      if (route !== '/score') { res.statusCode = 404; return void res.end('{"error":"no such route"}'); }
      if (scoreAnswer === 'stall') return; // headers never sent
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(scoreAnswer(JSON.parse(body).beats)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); });

/** Runs the client as a child (async: the fake service lives in this process). */
function client(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'src/cli/client.ts'), ...args], { cwd: REPO });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

describe('client end to end against a fake service', () => {
  it('a correct answer through a base URL with a path: scored via /api/v1/model and /api/v1/score', async () => {
    scoreAnswer = (beats) => ({ threshold: 0.5, scores: beats.map((b) => (b[0] === 3 ? 0.9 : 0.1)), flags: beats.map((b) => b[0] === 3) });
    paths.length = 0;
    const r = await client(['--url', `${base}/api/v1`, beatsFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`1 of ${BEATS} beats flagged`);
    expect(paths).toEqual(['/api/v1/model', '/api/v1/score', '/api/v1/score', '/api/v1/score']); // 8 + 8 + 4 beats
  }, 90_000);

  it('fewer scores than beats: exit 1 naming the count, no result printed', async () => {
    scoreAnswer = (beats) => ({ threshold: 0.5, scores: beats.slice(1).map(() => 0.1), flags: beats.slice(1).map(() => false) });
    const r = await client(['--url', base, beatsFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/score: unusable answer for 8 beats: 7 scores for 8 beats sent/);
    expect(r.stdout).not.toMatch(/flagged/);
  }, 90_000);

  it('a stalled service: exit 1 after --timeout, saying so', async () => {
    scoreAnswer = 'stall';
    const t0 = Date.now();
    const r = await client(['--url', base, '--timeout', '1', beatsFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/score did not answer within 1 s \(--timeout\)/);
    expect(Date.now() - t0).toBeLessThan(45_000); // not forever (tsx start-up dominates on a loaded box)
    expect(r.stdout).toBe('');
  }, 90_000);
});

describe('what the client checks in each answer', () => {
  const url = 'http://h/score';
  const ok = { threshold: 0.5, scores: [0.1, null], flags: [false, true] };
  it('accepts a well-formed answer; null = could not be scored = +Infinity, flagged', () => {
    const r = checkScoreAnswer(url, ok, 2);
    expect(Array.from(r.scores)).toEqual([0.1, Infinity]);
    expect(Array.from(r.flags)).toEqual([0, 1]);
  });
  it.each([
    [{ ...ok, scores: [0.1] }, /1 scores for 2 beats sent/],
    [{ ...ok, flags: [false, true, false] }, /3 flags for 2 beats sent/],
    [{ ...ok, scores: undefined }, /"scores" must be an array, got nothing/],
    [{ ...ok, scores: [0.1, '0.2'] }, /scores\[1\] must be a finite number or null, got "0.2"/],
    [{ ...ok, flags: [0, 1] }, /flags\[0\] must be true or false, got 0/],
    [{ ...ok, flags: [false, false] }, /beat 1 has no score \(null\) but is not flagged/],
    [{ ...ok, threshold: 'high' }, /"threshold" must be a finite number/],
    [[1, 2], /not a JSON object/],
    [null, /not a JSON object/],
  ])('refuses %j', (body, message) => {
    expect(() => checkScoreAnswer(url, body, 2)).toThrow(message);
  });
  it.each([
    [{ ...MODEL, inputLength: '3' }, /"inputLength" must be a positive integer, got "3"/],
    [{ ...MODEL, threshold: { value: null, method: 'x' } }, /"threshold.value" must be a finite number/],
    [{ ...MODEL, threshold: undefined }, /"threshold" must be an object, got nothing/],
    [{ ...MODEL, limits: { maxBeatsPerRequest: 0 } }, /"limits.maxBeatsPerRequest" must be a positive integer/],
  ])('refuses the model description %j', (body, message) => {
    expect(() => checkModelAnswer('http://h/model', body)).toThrow(message);
  });
  it('keeps a base URL\'s path and drops its query', () => {
    expect(endpoint(new URL('http://h:1/api/v1'), 'score')).toBe('http://h:1/api/v1/score');
    expect(endpoint(new URL('http://h:1/api/v1/?k=1'), 'model')).toBe('http://h:1/api/v1/model');
    expect(endpoint(new URL('http://h:1'), 'model')).toBe('http://h:1/model');
  });
  it('an error status or a body that is not JSON is a named error', async () => {
    await expect(callJson(`${base}/nothing`, 5000)).rejects.toThrow(/\/nothing answered 404: no such route/);
    scoreAnswer = () => undefined; // JSON.stringify(undefined): an empty body
    await expect(callJson(`${base}/score`, 5000, { method: 'POST', body: '{"beats":[]}' })).rejects.toThrow(/answered 200 with a body that is not JSON/);
  });
});
