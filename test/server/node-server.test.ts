// The Node entry's own limits and shutdown: slow clients are cut off by the timeouts the app
// sets (short ones here), and SIGTERM during load answers every accepted request, then exits 0.

import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { detectorFromParts } from '../../src/detect/detector.ts';
import { loadModelFolder } from '../../src/detect/model-folder-node.ts';
import { createApp } from '../../src/server/app.ts';
import { modelInfoFromManifest } from '../../src/server/model-info.ts';
import { startNodeServer, type RunningServer } from '../../src/server/node-server.ts';
import { createInProcessScorer } from '../../src/server/scorer.ts';
import { startServe, testBeats, trainTestModel } from './helpers.ts';

let model: ReturnType<typeof trainTestModel>;
let running: RunningServer;

beforeAll(async () => {
  model = trainTestModel();
  const { manifest, tensors } = loadModelFolder(model.dir);
  const app = createApp(createInProcessScorer(detectorFromParts(manifest as any, tensors), { maxBeats: 4096 }),
    { model: modelInfoFromManifest(manifest, { maxBeatsPerRequest: 4096, maxBodyBytes: 1 << 20 }) });
  running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1',
    headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 500, checkIntervalMs: 100 });
}, 120_000);
afterAll(async () => { await running?.stop(1000); model?.cleanup(); });

/** Opens a raw connection, writes `text`, and resolves with what came back and when it closed. */
function slowClient(port: number, text: string): Promise<{ ms: number; reply: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let reply = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d) => { reply += d; });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ ms: performance.now() - t0, reply }));
    setTimeout(() => { socket.destroy(); reject(new Error('the server never closed the slow connection')); }, 10_000);
  });
}

describe('Node entry', () => {
  it('closes a client that never finishes its headers (headers timeout)', async () => {
    const r = await slowClient(running.port, 'POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: appl');
    expect(r.ms).toBeGreaterThanOrEqual(350);
    expect(r.ms).toBeLessThan(5000);
    expect(r.reply === '' || /^HTTP\/1\.1 408/.test(r.reply)).toBe(true);
  });

  it('closes a client that never finishes its body (request timeout)', async () => {
    const r = await slowClient(running.port, 'POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"beats": [[1,');
    expect(r.ms).toBeGreaterThanOrEqual(700);
    expect(r.ms).toBeLessThan(5000);
    expect(r.reply === '' || /^HTTP\/1\.1 408/.test(r.reply)).toBe(true);
  });

  it('still answers others meanwhile, and closes idle keep-alive connections', async () => {
    const r = await slowClient(running.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r.reply).toMatch(/^HTTP\/1\.1 200/);
    expect(r.reply).toContain('"status":"ok"');
    expect(r.ms).toBeLessThan(5000); // closed by the 500 ms keep-alive timeout, not Node's default
  });
});

describe('serve and SIGTERM', () => {
  it('answers every request it accepted, refuses new connections, exits 0', async () => {
    // 48 bodies of 1.4 MB at once: over the default admission budget, which would shed some (503).
    const serve = await startServe(['--model', model.dir, '--workers', '2', '--log', 'none', '--max-queued-bytes', String(256 << 20)]);
    const port = Number(new URL(serve.base).port);
    const body = JSON.stringify({ beats: Array.from({ length: 4 }, () => testBeats(256)).flat() }); // 1024 beats
    const N = 48;
    let sent = 0, answered = 0;
    const tStart = performance.now();
    const allSent = new Promise<void>((resolveSent) => {
      const answers = Array.from({ length: N }, () => new Promise<{ status: number; scores: number }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/score', method: 'POST', agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (d) => { text += d; });
          res.on('end', () => { answered++; resolve({ status: res.statusCode!, scores: res.statusCode === 200 ? JSON.parse(text).scores.length : -1 }); });
        });
        req.on('error', (e) => { (e as Error & { detail?: string }).detail = `after ${answered} answers, ${sent} sent, ${(performance.now() - tStart) | 0} ms`; reject(e); });
        req.on('finish', () => { if (++sent === N) resolveSent(); });
        req.end(body);
      }));
      void Promise.all(answers).then((a) => { results = a; }, (e) => { failure = e; });
    });
    let results = null as { status: number; scores: number }[] | null;
    let failure = null as Error | null;
    await allSent;
    // Wait until the server holds every request (admitted, or already answered): a connection
    // still in the kernel's accept queue when the listener closes is reset, which no server can
    // answer, and on a loaded machine 48 connections can take a while to be accepted.
    const admitted = async () => Number(/^cardiograd_admitted_requests (\d+)$/m.exec(await (await fetch(`${serve.base}/metrics`)).text())?.[1] ?? 0);
    for (let t0 = performance.now(); answered + await admitted() < N && performance.now() - t0 < 30_000;) await new Promise((r) => setTimeout(r, 20));
    const answeredBeforeSignal = answered;
    serve.child.kill('SIGTERM');
    const code = await serve.exit;
    await new Promise((r) => setTimeout(r, 50));
    expect(failure && `${failure.message} ${(failure as Error & { detail?: string }).detail}`).toBeNull();
    expect(answeredBeforeSignal).toBeLessThan(N); // the signal really came during load
    expect(results!.map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(results!.map((r) => r.scores)).toEqual(Array(N).fill(1024));
    expect(code).toBe(0);
    await expect(fetch(`${serve.base}/health`)).rejects.toThrow();
  }, 120_000);
});
