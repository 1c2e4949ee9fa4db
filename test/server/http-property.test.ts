// Issue 22 item 6 (service): fast-check properties of the Node entry (startNodeServer + the app,
// real body parsing) over HTTP bodies and headers: valid bodies are scored beat for beat,
// truncated and arbitrarily nested ones are refused with a 4xx that names the request, any
// header set is answered (never a 5xx; x-request-id kept only when sane), and requests
// pipelined on one connection are all answered, in order, each as it would be alone.
// The detector is a stand-in (score = sum of the beat), so expected scores are exact.
// Bounded: small numRuns, a few seconds in all.

import fc from 'fast-check';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../src/detect/detector.ts';
import { Admission } from '../../src/server/admission.ts';
import { createApp } from '../../src/server/app.ts';
import { startNodeServer, type RunningServer } from '../../src/server/node-server.ts';
import { createInProcessScorer } from '../../src/server/scorer.ts';

const L = 4;
const MAX_BODY = 16 * 1024;
/** score = Σ beat (float64 of the float32 samples), flagged above 10. */
const sumDetector = {
  beatLength: L,
  detect(beats: Float32Array, n: number) {
    const scores = new Float32Array(n), flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < L; t++) s += beats[i * L + t];
      scores[i] = s;
      flags[i] = !(s <= 10) ? 1 : 0; // non-finite is flagged
    }
    return { scores, flags, threshold: 10 };
  },
} as unknown as Detector;
const expectedScore = (beat: number[]) => Math.fround(beat.reduce((s, v) => s + Math.fround(v), 0));

let running: RunningServer;
let agent: http.Agent;
beforeAll(async () => {
  const admission = new Admission({ maxJobs: 64, maxBytes: 8 * MAX_BODY, maxBodyBytes: MAX_BODY });
  const app = createApp(createInProcessScorer(sumDetector, { maxBeats: 32 }), { model: { kind: 'dense', inputLength: L } as any, maxBodyBytes: MAX_BODY, admission });
  running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', maxBodyBytes: MAX_BODY, admission, maxPipelined: 2, onRefusal: app.refused,
    requestTimeoutMs: 600, headersTimeoutMs: 600, checkIntervalMs: 100 });
  agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
});
afterAll(async () => { agent?.destroy(); await running?.stop(500); });

interface Answer { status: number; headers: http.IncomingHttpHeaders; text: string }

function request(path: string, body: string | null, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: running.port, path, method: body === null ? 'GET' : 'POST', agent,
      headers: body === null ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** A 4xx JSON error naming the request: {"error": string, "requestId"} equal to the header. */
function expectNamedRefusal(a: Answer) {
  expect(a.status).toBeGreaterThanOrEqual(400);
  expect(a.status).toBeLessThan(500);
  const body = JSON.parse(a.text);
  expect(typeof body.error).toBe('string');
  expect(body.requestId).toBe(a.headers['x-request-id']);
}

const sampleValue = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const beat = fc.array(sampleValue, { minLength: L, maxLength: L });
const beats = fc.array(beat, { minLength: 1, maxLength: 12 });

describe('HTTP bodies (fast-check)', () => {
  it('valid: every beat scored, in order, exactly', async () => {
    await fc.assert(fc.asyncProperty(beats, async (bs) => {
      const a = await request('/score', JSON.stringify({ beats: bs }));
      expect(a.status).toBe(200);
      const r = JSON.parse(a.text);
      expect(r.scores).toEqual(bs.map(expectedScore));
      expect(r.flags).toEqual(bs.map((b) => expectedScore(b) > 10));
    }), { numRuns: 40, seed: 22 });
  });

  it('truncated anywhere: a 400 naming the request, never a score', async () => {
    await fc.assert(fc.asyncProperty(beats, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), async (bs, where) => {
      const full = JSON.stringify({ beats: bs });
      const a = await request('/score', full.slice(0, Math.floor(where * full.length)));
      expect(a.status).toBe(400);
      expectNamedRefusal(a);
    }), { numRuns: 40, seed: 22 });
  });

  it('shorter than its Content-Length: answered 408 or closed within the request timeout, never scored', async () => {
    await fc.assert(fc.asyncProperty(beats, fc.integer({ min: 1, max: 50 }), async (bs, missing) => {
      const full = JSON.stringify({ beats: bs });
      const sent = full.slice(0, Math.max(0, full.length - missing));
      const reply = await new Promise<string>((resolve) => {
        let got = '';
        const s = net.connect(running.port, '127.0.0.1', () => s.write(`POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${full.length}\r\n\r\n${sent}`));
        s.on('data', (d) => { got += d; });
        s.on('error', () => {});
        s.on('close', () => resolve(got));
        setTimeout(() => { s.destroy(); resolve(`(still open) ${got}`); }, 5000);
      });
      expect(reply === '' || /^HTTP\/1\.1 408 /.test(reply), reply.slice(0, 80)).toBe(true);
    }), { numRuns: 4, seed: 22 });
  }, 30_000);

  it('nested and arbitrary JSON: 200 only for a real body of beats, else a named 4xx; never a 5xx', async () => {
    const nested = fc.tuple(fc.integer({ min: 1, max: 40 }), beat).map(([depth, b]) => '{"beats":' + '['.repeat(depth) + JSON.stringify(b) + ']'.repeat(depth) + '}');
    await fc.assert(fc.asyncProperty(fc.oneof(nested, fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v) ?? 'null')), async (body) => {
      const a = await request('/score', body);
      if (a.status === 200) {
        const parsed = JSON.parse(body);
        expect(Array.isArray(parsed.beats) && parsed.beats.every((b: unknown) => Array.isArray(b) && b.length === L)).toBe(true);
        expect(JSON.parse(a.text).scores).toHaveLength(parsed.beats.length);
      } else {
        expectNamedRefusal(a);
      }
    }), { numRuns: 60, seed: 22 });
  });
});

describe('HTTP headers (fast-check)', () => {
  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((n) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'content-type'].includes(n));
  const visible = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,38}[\x21-\x7e])?$/);
  it('any content-type, any extra headers, any x-request-id: answered, never a 5xx; the id kept only when sane', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'APPLICATION/JSON;charset="UTF-8"'), visible),
      fc.dictionary(token, visible, { maxKeys: 6 }), visible, beats,
      async (type, extra, id, bs) => {
        const a = await request('/score', JSON.stringify({ beats: bs }), { ...extra, 'content-type': type, 'x-request-id': id });
        expect(a.status).toBeLessThan(500);
        const sane = /^[A-Za-z0-9._:-]{1,128}$/.test(id);
        expect(a.headers['x-request-id'] === id).toBe(sane);
        const json = /^application\/json\s*(;|$)/i.test(type);
        const utf8 = !/charset/i.test(type) || /charset\s*=\s*"?utf-?8"?\s*$/i.test(type);
        if (json && utf8) expect(a.status).toBe(200); else expectNamedRefusal(a);
      }), { numRuns: 60, seed: 22 });
  });
});

/** Splits what came back on one connection into responses (status, headers, body by Content-Length). */
function splitResponses(raw: Buffer): { status: number; id: string; body: string }[] {
  const out: { status: number; id: string; body: string }[] = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = raw.subarray(at, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    out.push({ status: Number(head.slice(9, 12)), id: /\r\nx-request-id: *([^\r]*)/i.exec(head)?.[1] ?? '', body: raw.subarray(end + 4, end + 4 + length).toString('utf8') });
    at = end + 4 + length;
  }
  return out;
}

describe('pipelined requests on one connection (fast-check)', () => {
  const one = fc.oneof(
    beats.map((bs) => ({ kind: 'valid' as const, body: JSON.stringify({ beats: bs }), bs })),
    beats.map((bs) => ({ kind: 'bad' as const, body: JSON.stringify({ beats: bs }).slice(0, -1), bs })),
    fc.constant({ kind: 'health' as const, body: '', bs: [] as number[][] }),
  );
  it('all answered, in order, each as it would be alone', async () => {
    await fc.assert(fc.asyncProperty(fc.array(one, { minLength: 1, maxLength: 6 }), async (reqs) => {
      const text = reqs.map((r, i) => r.kind === 'health' ? `GET /health HTTP/1.1\r\nHost: x\r\nx-request-id: p-${i}\r\n\r\n`
        : `POST /score HTTP/1.1\r\nHost: x\r\nx-request-id: p-${i}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`).join('');
      const raw = await new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        const s = net.connect(running.port, '127.0.0.1', () => s.write(text));
        s.on('data', (d) => {
          chunks.push(d);
          if (splitResponses(Buffer.concat(chunks)).length === reqs.length) s.end();
        });
        s.on('error', () => {});
        s.on('close', () => resolve(Buffer.concat(chunks)));
        setTimeout(() => s.destroy(), 5000);
      });
      const answers = splitResponses(raw);
      expect(answers.map((a) => a.id)).toEqual(reqs.map((_, i) => `p-${i}`));
      answers.forEach((a, i) => {
        const r = reqs[i];
        expect(a.status).toBe(r.kind === 'bad' ? 400 : 200);
        if (r.kind === 'valid') expect(JSON.parse(a.body).scores).toEqual(r.bs.map(expectedScore));
      });
    }), { numRuns: 30, seed: 22 });
  }, 30_000);
});
