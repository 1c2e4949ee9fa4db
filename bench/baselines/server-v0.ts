// Baseline for bench/suites/server-load.ts: a verbatim copy of src/server/app.ts before issue 14
// (Node http, one synchronous scorer on the event loop). Only the import path changed.

// The scoring HTTP API (Node's http module, no framework):
//   GET  /health  → { ok: true }
//   GET  /model   → the model's kind, beat length, threshold and training summary
//   POST /score   ← { "beats": [[...140 numbers], ...] }  → { scores, flags, threshold }
// Bad requests get a 4xx with a JSON { error } that says what is wrong.

import http from 'node:http';
import type { Detector } from '../../src/detect/detector.ts';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { throw new HttpError(400, 'body is not valid JSON'); }
}

/** Validates { beats: number[][] } against the model's beat length and packs it row-major. */
export function parseBeats(body: unknown, length: number): { data: Float32Array; n: number } {
  const beats = (body as { beats?: unknown })?.beats;
  if (!Array.isArray(beats) || beats.length === 0) throw new HttpError(400, 'expected {"beats": [[...], ...]} with at least one beat');
  const data = new Float32Array(beats.length * length);
  beats.forEach((beat, i) => {
    if (!Array.isArray(beat) || beat.length !== length) {
      throw new HttpError(422, `beat ${i} has ${Array.isArray(beat) ? beat.length : 'no'} samples; this model expects ${length}`);
    }
    beat.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(422, `beat ${i}, sample ${j} is not a finite number`);
      data[i * length + j] = v;
    });
  });
  return { data, n: beats.length };
}

export function createScoringServer(detector: Detector, modelInfo: Record<string, unknown>): http.Server {
  return http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
      if (req.method === 'GET' && req.url === '/model') return send(res, 200, modelInfo);
      if (req.url === '/score') {
        if (req.method !== 'POST') throw new HttpError(405, 'use POST /score');
        const { data, n } = parseBeats(await readJson(req), detector.beatLength);
        const { scores, flags, threshold } = detector.detect(data, n);
        return send(res, 200, { threshold, scores: Array.from(scores), flags: Array.from(flags, (f) => f === 1) });
      }
      throw new HttpError(404, `no route ${req.method} ${req.url}`);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      send(res, status, { error: (e as Error).message });
    }
  });
}
