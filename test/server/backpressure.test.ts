// The pieces of back-pressure one at a time (issue 22 item 1), each a defect of today's main:
// a declared Content-Length over the limit answered 413 before the body is read (no 100
// Continue), the admission budget's 503 + Retry-After and /ready 503, a small request still
// admitted when large ones fill the budget, at most 2 requests of a connection admitted at
// once, queued work dropped when its client goes away, the turn-taking queue, the parse budget,
// and every refusal counted in /metrics and logged. The scorer here holds each job until
// the test lets it go, so the queue's state is exact.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Admission } from '../../src/server/admission.ts';
import { createApp } from '../../src/server/app.ts';
import { FairQueue } from '../../src/server/fair-queue.ts';
import { checkJsonBudget } from '../../src/server/json-budget.ts';
import { startNodeServer, type RunningServer } from '../../src/server/node-server.ts';
import { RequestError } from '../../src/server/request-error.ts';
import { ClientGone, type ScoreOptions, type Scorer } from '../../src/server/scorer.ts';
import type { ScoreJob } from '../../src/server/score-jobs.ts';

interface Held { job: ScoreJob; options?: ScoreOptions; release: () => void }

/** A scorer that answers each job (one score of 0 per job) only when the test releases it. */
function holdingScorer() {
  const held: Held[] = [];
  const scorer: Scorer = {
    ready: () => true,
    queued: () => held.length,
    close: async () => {},
    score: (job, options) => new Promise((resolve, reject) => {
      const h: Held = { job, options, release: () => {
        held.splice(held.indexOf(h), 1);
        resolve({ ok: true, scores: new Float32Array(1), flags: new Uint8Array(1), threshold: 1, single: false });
      } };
      options?.signal?.addEventListener('abort', () => { if (held.includes(h)) { held.splice(held.indexOf(h), 1); reject(new ClientGone()); } });
      held.push(h);
    }),
  };
  return { scorer, held };
}

const model = { kind: 'dense', inputLength: 3 } as any;
let running: RunningServer | null = null;
afterEach(async () => { await running?.stop(500); running = null; });

async function start(opts: { maxBodyBytes?: number; maxBytes?: number; maxJobs?: number } = {}) {
  const { scorer, held } = holdingScorer();
  const logged: Record<string, unknown>[] = [];
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  const admission = new Admission({ maxJobs: opts.maxJobs ?? 100, maxBytes: opts.maxBytes ?? 4 * maxBodyBytes, maxBodyBytes });
  const app = createApp(scorer, { model, maxBodyBytes, admission, log: (e) => logged.push(e) });
  running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', maxBodyBytes, admission, onRefusal: app.refused });
  return { port: running.port, held, logged, admission, metrics: () => app.metrics.render() };
}

/** Writes `text` on a fresh connection; resolves with everything received until it closes (or `ms`). */
function raw(port: number, text: string | Buffer, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    const timer = setTimeout(() => { s.destroy(); resolve(got); }, ms);
    s.on('close', () => { clearTimeout(timer); resolve(got); });
  });
}

const post = (length: number | string, extra = '') =>
  `POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

function postJson(port: number, body: string, agent: http.Agent | false = false): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/score', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const until = async (what: () => boolean, ms = 3000) => {
  const t0 = Date.now();
  while (!what()) { if (Date.now() - t0 > ms) throw new Error('timed out waiting'); await new Promise((r) => setTimeout(r, 5)); }
};

describe('Content-Length checked before the body is read', () => {
  it('9e15 bytes and the limit + 1 are refused at once (413), nothing read, logged and counted', async () => {
    const s = await start({ maxBodyBytes: 1000 });
    for (const length of ['9000000000000000', '1001']) {
      const t0 = performance.now();
      const reply = await raw(s.port, post(length)); // headers only: main waited for the body here
      expect(performance.now() - t0).toBeLessThan(1500); // answered, and the connection closed, without the body
      expect(reply).toMatch(/^HTTP\/1\.1 413/);
      expect(reply).toMatch(/x-request-id: /i);
      expect(reply).toMatch(/connection: close/i);
    }
    expect(s.metrics()).toMatch(/cardiograd_refusals_total\{reason="body_too_large"\} 2/);
    expect(s.logged.filter((e) => e.refused === 'body_too_large')).toHaveLength(2);
  });

  it('Expect: 100-continue: no 100 for a body that will be refused; a 100 for one that fits', async () => {
    const s = await start({ maxBodyBytes: 1000 });
    const refused = await raw(s.port, post(5000, 'Expect: 100-continue\r\n'));
    expect(refused).toMatch(/^HTTP\/1\.1 413/);
    expect(refused).not.toMatch(/100 Continue/);
    const fits = await raw(s.port, post(20, 'Expect: 100-continue\r\n'), 300);
    expect(fits).toMatch(/^HTTP\/1\.1 100 Continue/);
  });
});

describe('the admission budget', () => {
  it('503 + Retry-After when full, /ready 503 meanwhile; a small request still fits beside large ones', async () => {
    // 4 KiB bodies are large here (over 256 KiB / 64): they may fill 3/4 of the budget.
    const s = await start({ maxBodyBytes: 64 * 1024, maxBytes: 256 * 1024 });
    const large = JSON.stringify({ beats: [[1, 2, 3]], pad: 'x'.repeat(60 * 1024) });
    const answers = [0, 1, 2].map(() => postJson(s.port, large));
    await until(() => s.held.length === 3); // 3 x 60 KiB admitted: 180 of the 192 KiB large share
    const shed = await postJson(s.port, large);
    expect(shed.status).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(JSON.parse(shed.text).error).toMatch(/queue is full/);
    const ready = await fetch(`http://127.0.0.1:${s.port}/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).error).toMatch(/queue is full/);
    const small = postJson(s.port, JSON.stringify({ beats: [[1, 2, 3]] }));
    await until(() => s.held.length === 4); // admitted from the kept quarter
    for (const h of [...s.held]) h.release();
    expect((await small).status).toBe(200);
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(s.admission.admittedJobs()).toBe(0);
    expect(s.admission.admittedBytes()).toBe(0);
    expect(s.metrics()).toMatch(/cardiograd_refusals_total\{reason="queue_full"\} 1/);
    expect(s.logged.some((e) => e.refused === 'queue_full' && e.status === 503)).toBe(true);
  });

  it('a connection pipelining 6 requests has at most 2 admitted at once; all 6 are answered in order', async () => {
    const s = await start();
    const body = '{"beats":[[1,2,3]]}';
    const one = `${post(body.length).replace('Host: x', 'Host: x\r\nX-Request-Id: r-N')}${body}`;
    const text = Array.from({ length: 6 }, (_, i) => one.replace('r-N', `r-${i}`)).join('');
    const reply = raw(s.port, text, 1500);
    let most = 0;
    for (let answered = 0; answered < 6;) {
      await until(() => s.held.length > 0);
      await new Promise((r) => setTimeout(r, 30)); // time for a third to be admitted, if it could be
      most = Math.max(most, s.held.length);
      const h = s.held[0];
      h.release();
      answered++;
    }
    expect(most).toBe(2);
    const ids = [...(await reply).matchAll(/x-request-id: (r-\d)/gi)].map((m) => m[1]);
    expect(ids).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
  });

  it('queued work is dropped when its client goes away, and counted', async () => {
    const s = await start();
    const body = '{"beats":[[1,2,3]]}';
    const socket = net.connect(s.port, '127.0.0.1', () => socket.write(`${post(body.length)}${body}${post(body.length)}${body}`));
    socket.on('error', () => {});
    await until(() => s.held.length === 2);
    socket.destroy();
    await until(() => s.held.length === 0); // main kept both and scored them for nobody
    await until(() => /cardiograd_refusals_total\{reason="client_gone"\} 2/.test(s.metrics()));
    expect(s.admission.admittedJobs()).toBe(0);
  });
});

describe('the parse budget', () => {
  it('refuses nesting past 8 levels at once, from the first chunk, without reading the rest', async () => {
    const s = await start({ maxBodyBytes: 8 << 20 });
    const t0 = performance.now();
    const reply = await raw(s.port, post(8 << 20) + '{"beats":' + '['.repeat(1000)); // 8 MiB declared, 1 kB sent
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toMatch(/nests deeper than 8 levels/);
    expect(s.held).toHaveLength(0);
    expect(s.metrics()).toMatch(/cardiograd_refusals_total\{reason="parse_budget"\} 1/);
  });

  it('on the whole body: too deep past the first chunk (400) or too many values (413), found in a few ms', () => {
    const deep = new TextEncoder().encode(`{"pad":"${'x'.repeat(40_000)}","beats":${'['.repeat(4 << 20)}${']'.repeat(4 << 20)}}`);
    const t0 = performance.now();
    expect(() => checkJsonBudget(deep, 1e6)).toThrow(expect.objectContaining({ status: 400, reason: 'parse_budget' }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(() => checkJsonBudget(new TextEncoder().encode(`[${'0,'.repeat(2000)}0]`), 1000)).toThrow(RequestError);
    expect(() => checkJsonBudget(new TextEncoder().encode('{"beats":[[1,2,3]],"s":"[[[[[[[[[[[[,,,,"}'), 100)).not.toThrow();
  });
});

describe('FairQueue', () => {
  it('takes turns between clients: one client\'s burst of 12 does not go before another\'s one', () => {
    const q = new FairQueue<string>();
    for (let i = 0; i < 12; i++) q.push('burst', `b${i}`);
    q.push('other', 'o0');
    expect([q.shift(), q.shift(), q.shift()]).toEqual(['b0', 'o0', 'b1']);
    expect(q.remove('burst', 'b5')).toBe(true);
    expect(q.remove('burst', 'b5')).toBe(false);
    expect(q.length).toBe(9);
    expect(q.drain()).toHaveLength(9);
    expect(q.shift()).toBeUndefined();
  });
});
