// 10,000 seeded random requests (methods, paths, query strings, headers, bodies; some raw
// malformed HTTP) against the Node entry with scoring on 2 worker threads: never a 5xx, never
// a stack trace or a path in a body, and the server still scores correctly afterwards.

import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createRng } from '../../src/engine/random.ts';
import { loadModelFolder } from '../../src/detect/model-folder-node.ts';
import { createApp } from '../../src/server/app.ts';
import { modelInfoFromManifest } from '../../src/server/model-info.ts';
import { startNodeServer, type RunningServer } from '../../src/server/node-server.ts';
import { createWorkerPool } from '../../src/server/worker-pool-node.ts';
import { LEAK, testBeats, trainTestModel } from './helpers.ts';

const REQUESTS = 10_000;
let model: ReturnType<typeof trainTestModel>;
let running: RunningServer;
let pool: ReturnType<typeof createWorkerPool>;
const beats = testBeats(4);

beforeAll(async () => {
  model = trainTestModel();
  const { manifest, tensors } = loadModelFolder(model.dir);
  pool = createWorkerPool({ manifest, tensors, maxBeats: 16, workers: 2 });
  await pool.whenReady;
  const limits = { maxBeatsPerRequest: 16, maxBodyBytes: 64 * 1024 };
  const app = createApp(pool, { model: modelInfoFromManifest(manifest, limits), maxBodyBytes: limits.maxBodyBytes });
  running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', maxBodyBytes: limits.maxBodyBytes,
    headersTimeoutMs: 2000, requestTimeoutMs: 4000, checkIntervalMs: 200 });
}, 120_000);
afterAll(async () => { await running?.stop(1000); await pool?.close(); model?.cleanup(); });

const generator = createRng('fuzz-14');
const rng = () => generator.uniform();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (n: number) => Math.floor(rng() * n);
const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join('');

const METHODS = ['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND'];
const PATHS = ['/health', '/ready', '/model', '/metrics', '/score', '/predict', '/', '/score/', '//score', '/SCORE',
  '/predict/../score', '/%2e%2e/etc/passwd', '/score%00', '/..%2f..%2fwork', '/node_modules/x.ts'];
const TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/jsonx',
  'multipart/form-data; boundary=x', '', 'application/json;;;'];

function value(depth: number): unknown {
  const r = int(depth > 3 ? 6 : 9);
  return r === 0 ? rng() * 10 - 5 : r === 1 ? pick([1e39, -1e39, 3.4e38, 5e-324, -0, 1e308]) : r === 2 ? junk(int(8))
    : r === 3 ? null : r === 4 ? rng() < 0.5 : r === 5 ? int(1000)
    : r === 6 ? Array.from({ length: int(5) }, () => value(depth + 1))
    : r === 7 ? Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['beats', 'beat', junk(3), '__proto__', 'constructor']), value(depth + 1)]))
    : Array.from({ length: int(3) }, () => beats[int(4)].map((v) => (rng() < 0.02 ? value(5) : v)));
}

function body(): string | Buffer {
  const r = int(12);
  const beat = () => beats[int(4)].slice(0, rng() < 0.1 ? int(200) : 140);
  if (r === 0) return JSON.stringify({ beats: Array.from({ length: 1 + int(20) }, beat) });
  if (r === 1) return JSON.stringify({ beat: beat() });
  if (r === 2) return JSON.stringify({ beats: [beats[0].map((v, i) => (i === int(140) ? pick([1e39, '1', null, [], {}]) : v))] });
  if (r === 3) return '['.repeat(1 + int(5000)) + ']'.repeat(int(5000));
  if (r === 4) return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
  if (r === 5) return JSON.stringify(value(0));
  if (r === 6) return JSON.stringify({ beats: beats.slice(0, 1) }).slice(0, int(2000));
  if (r === 7) return 'x'.repeat(64 * 1024 + int(1000));
  if (r === 8) return '{"beats": [[' + '1e400,'.repeat(139) + '1]]}';
  if (r === 9) return '';
  return JSON.stringify({ beats: [beat()] });
}

interface Outcome { status: number; text: string }

function send(agent: http.Agent, port: number): Promise<Outcome> {
  const method = pick(METHODS);
  const query = rng() < 0.3 ? `?${junk(int(20)).replace(/[#\s]/g, '')}` : '';
  const path = (rng() < 0.1 ? `/${encodeURIComponent(junk(int(40)))}` : pick(PATHS)) + query;
  const headers: Record<string, string> = {};
  const type = pick(TYPES);
  if (type) headers['content-type'] = type;
  if (rng() < 0.3) headers['x-request-id'] = rng() < 0.5 ? junk(int(200)).replace(/[^\x21-\x7e]/g, 'a') : 'req-1';
  if (rng() < 0.2) headers[`x-${junk(5).replace(/[^a-z]/gi, 'a')}`] = junk(int(50)).replace(/[^\x21-\x7e]/g, 'b');
  if (rng() < 0.1) headers.accept = pick(['text/html', '*/*', 'application/xml']);
  const payload = method === 'GET' || method === 'HEAD' ? null : body();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
    req.end(payload ?? undefined);
  });
}

/** Raw bytes that are not valid HTTP: the parser refuses them; nothing may crash. */
function sendRaw(port: number): Promise<Outcome> {
  const garbage = pick([`${junk(30)}\r\n\r\n`, 'GET / HTTP/9.9\r\n\r\n', 'POST /score HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 'POST /score HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n',
    `GET /health HTTP/1.1\r\n${'X: y\r\n'.repeat(3000)}\r\n`]);
  return new Promise((resolve) => {
    let text = '';
    const s = net.connect(port, '127.0.0.1', () => s.end(garbage));
    s.on('data', (d) => { text += d; });
    s.on('error', () => {});
    s.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

describe('fuzzing the scoring service', () => {
  it(`${REQUESTS} random requests: no 5xx, no leak, still serving`, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    let next = 0;
    const workers = Array.from({ length: 16 }, async () => {
      while (next < REQUESTS) {
        next++;
        const o = rng() < 0.03 ? await sendRaw(running.port) : await send(agent, running.port);
        statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
        if (o.status >= 500) problems.push(`${o.status}: ${o.text.slice(0, 200)}`);
        if (LEAK.test(o.text)) problems.push(`leak: ${o.text.slice(0, 200)}`);
      }
    });
    await Promise.all(workers);
    agent.destroy();
    expect(problems.slice(0, 5)).toEqual([]);
    // The mix really exercised scoring and refusals, not just 404s.
    for (const s of [200, 400, 404, 405, 413, 415, 422]) expect(statuses.get(s) ?? 0).toBeGreaterThan(20);
    const health = await fetch(`http://127.0.0.1:${running.port}/health`);
    expect(health.status).toBe(200);
    const scored = await (await fetch(`http://127.0.0.1:${running.port}/score`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ beats }) })).json();
    expect(scored.scores).toHaveLength(4);
    expect(scored.scores.every((s: number) => Number.isFinite(s))).toBe(true);
  }, 120_000);
});
