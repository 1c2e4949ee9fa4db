// Issue 22 item 2: `serve` exits non-zero on every startup failure (port in use, an address it
// cannot listen on, a model it cannot load) instead of hanging on its worker threads;
// HTTP/1.0 requests without Host are answered like any other (request id, log line, metric);
// stopping answers the requests a connection pipelined, not only separate connections'; a
// UTF-16 charset is refused (415), never decoded as UTF-8.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admission } from '../../src/server/admission.ts';
import { createApp } from '../../src/server/app.ts';
import { startNodeServer, type RunningServer } from '../../src/server/node-server.ts';
import type { Scorer } from '../../src/server/scorer.ts';
import { ECG5000_DIR, REPO, runCommand } from './helpers.ts';

const tempDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `cardiograd-${name}-`));

/** A scorer that answers one score of 0 per beat of the body, after `delayMs`. */
function slowScorer(delayMs: number): Scorer {
  return {
    ready: () => true, queued: () => 0, close: async () => {},
    score: async ({ body }) => {
      await new Promise((r) => setTimeout(r, delayMs));
      const beats = (JSON.parse(Buffer.from(body).toString('utf8')) as { beats: number[][] }).beats.length;
      return { ok: true, scores: new Float32Array(beats), flags: new Uint8Array(beats), threshold: 1, single: false };
    },
  };
}

const model = { kind: 'dense', inputLength: 3 } as any;

/** Writes `text` on one connection; resolves with all it received until the server closed it (or `ms`). */
function raw(port: number, text: string, ms = 5000): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    const timer = setTimeout(() => { s.destroy(); resolve({ text: got, closedByServer: false }); }, ms);
    s.on('close', () => { clearTimeout(timer); resolve({ text: got, closedByServer: true }); });
  });
}

/** Runs serve with `args` and resolves with its exit code and output, or null if it is still alive after `ms`. */
function serveExit(args: string[], ms = 60_000): Promise<{ code: number | null; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/serve.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve({ code: null, stderr, hung: true }); }, ms);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr, hung: false }); });
  });
}

describe('serve exits non-zero on a failed start', () => {
  let modelDir: string;
  let blocker: net.Server;
  beforeAll(async () => {
    modelDir = path.join(tempDir('serve-start'), 'model');
    const r = runCommand('train', ['--data', ECG5000_DIR, '--out', modelDir, '--epochs', '1', '--seed', '0']);
    if (r.code !== 0) throw new Error(`train failed: ${r.stderr}`);
    blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  }, 120_000);
  afterAll(() => { blocker?.close(); });

  it('port in use: exit 1, says so (worker threads do not keep it alive)', async () => {
    const port = (blocker.address() as net.AddressInfo).port;
    const r = await serveExit(['--model', modelDir, '--port', String(port), '--workers', '2', '--log', 'none']);
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/port is in use/);
  }, 90_000);

  it('an address this machine does not have (--host 192.0.2.1): exit 1, names it', async () => {
    const r = await serveExit(['--model', modelDir, '--port', '0', '--host', '192.0.2.1', '--workers', '1', '--log', 'none']);
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('192.0.2.1');
  }, 90_000);

  it('a model folder it cannot load: exit 1, names the folder', async () => {
    const bad = path.join(tempDir('serve-bad-model'), 'model');
    mkdirSync(bad, { recursive: true });
    writeFileSync(path.join(bad, 'manifest.json'), '{"format": "cardiograd-model", "kind": "dense"');
    const r = await serveExit(['--model', bad, '--port', '0', '--workers', '2', '--log', 'none']);
    expect(r.hung).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain(bad);
  }, 90_000);
});

describe('the Node entry on one connection', () => {
  let running: RunningServer;
  let logged: Record<string, unknown>[];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    logged = [];
    const admission = new Admission({ maxJobs: 100, maxBytes: 1 << 22, maxBodyBytes: 1 << 16 });
    app = createApp(slowScorer(150), { model, maxBodyBytes: 1 << 16, admission, log: (e) => logged.push(e) });
    running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', maxBodyBytes: 1 << 16, admission, onRefusal: app.refused });
  });
  afterAll(async () => { await running?.stop(500); });

  it('GET /ready HTTP/1.0 without Host: 200 with a request id, a log line and a metric', async () => {
    const before = logged.length;
    const r = await raw(running.port, 'GET /ready HTTP/1.0\r\n\r\n');
    expect(r.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.text).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/i);
    expect(r.text).toContain('"ready":true');
    expect(r.closedByServer).toBe(true); // HTTP/1.0 without keep-alive
    expect(logged.slice(before)).toEqual([expect.objectContaining({ method: 'GET', path: '/ready', status: 200 })]);
    expect(app.metrics.render()).toMatch(/cardiograd_http_requests_total\{route="\/ready",method="GET",status="200"\} [1-9]/);
  });

  it('HTTP/1.1 without Host: a 400 that says why, with a request id, logged and counted', async () => {
    const before = logged.length;
    const r = await raw(running.port, 'GET /ready HTTP/1.1\r\n\r\n');
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(r.text).toMatch(/x-request-id: [0-9a-f-]{36}/i);
    expect(r.text).toContain('needs a Host header');
    expect(logged.slice(before)).toEqual([expect.objectContaining({ status: 400, refused: 'bad_header' })]);
    expect(app.metrics.render()).toMatch(/cardiograd_refusals_total\{reason="bad_header"\} [1-9]/);
  });

  it('a stop while a connection has 3 pipelined requests answers all 3 in order, then closes it', async () => {
    const body = (n: number) => JSON.stringify({ beats: Array.from({ length: n }, () => [1, 2, 3]) });
    const req = (n: number) => `POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body(n).length}\r\n\r\n${body(n)}`;
    const reply = raw(running.port, req(1) + req(2) + req(3));
    // Stop once the server has read the requests (two admitted: the per-connection limit).
    for (let t0 = Date.now(); !/cardiograd_admitted_requests 2$/m.test(app.metrics.render()); ) {
      if (Date.now() - t0 > 5000) throw new Error('the server never admitted the pipelined requests');
      await new Promise((r) => setTimeout(r, 5));
    }
    const stopped = running.stop(5000);
    const r = await reply;
    expect(await stopped).toBe(true);
    const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200', '200']);
    const counts = [...r.text.matchAll(/"scores":\[([^\]]*)\]/g)].map((m) => m[1].split(',').length);
    expect(counts).toEqual([1, 2, 3]);
    expect(r.text.split('HTTP/1.1 ').at(-1)).toMatch(/connection: close/i);
    expect(r.closedByServer).toBe(true);
  }, 20_000);
});

describe('charset', () => {
  const app = createApp(slowScorer(0), { model });
  const post = (type: string, body: BodyInit) => app.fetch(new Request('http://x/score', { method: 'POST', headers: { 'content-type': type }, body }));

  it.each(['utf-16', 'UTF-16LE', 'utf-16be', '"utf-16"', 'iso-8859-1'])('charset=%s is refused with 415, naming it', async (charset) => {
    const text = JSON.stringify({ beats: [[1, 2, 3]] });
    const utf16 = new Blob([Buffer.from('\ufeff' + text, 'utf16le')]);
    const res = await post(`application/json; charset=${charset}`, utf16);
    expect(res.status).toBe(415);
    expect((await res.json()).error).toContain(charset.replaceAll('"', ''));
  });

  it('utf-8 (any spelling) or no charset is scored', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json;charset="UTF8"']) {
      const res = await post(type, JSON.stringify({ beats: [[1, 2, 3]] }));
      expect(res.status).toBe(200);
    }
  });
});
