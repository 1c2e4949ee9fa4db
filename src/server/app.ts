// The scoring API as a Web-standard fetch handler on Hono: `createApp(scorer, options).fetch`
// takes a Request and answers a Response, so the same app runs under Node (node-server.ts),
// Deno, Bun or an edge runtime. No Node API in this file.
//   GET  /         status, as the reference Flask API  {"status": "ok", "message": ...}
//   GET  /health   liveness                        {"status": "ok", "ok": true}
//   GET  /ready    every scoring thread loaded     200 {"ready": true} | 503
//   GET  /model    kind, input length, threshold and method, training metrics, limits
//   POST /score    {"beats": [[...L]]}             {"threshold", "scores": [...], "flags": [...]}
//   POST /predict  {"beat": [...L]}                {"anomaly", "reconstruction_error", "threshold"}
//                  {"beats": [[...L]]}             {"results": [{...}, ...]}
//   GET  /metrics  Prometheus text
// Errors are JSON {"error", "requestId"} with a 4xx that says what is wrong; anything
// unexpected is a bare 500 "internal error" (the detail goes to the log, never to the client).
// Query strings are ignored (routing is by path). Every response carries x-request-id.

import { Hono, type Context } from 'hono';
import { Metrics } from './metrics.ts';
import type { ModelInfo } from './model-info.ts';
import { readBodyBytes } from './read-body.ts';
import { RequestError } from './request-error.ts';
import type { BodyKind } from './beats-body.ts';
import type { ScoredBeats, Scorer } from './scorer.ts';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_BEATS = 4096;

export interface AppOptions {
  model: ModelInfo;
  maxBodyBytes?: number;
  /** One JSON object per answered request (and per unexpected error); absent = quiet. */
  log?: (entry: Record<string, unknown>) => void;
  /** True while shutting down: /ready answers 503 and connections are not kept alive. */
  draining?: () => boolean;
}

export interface ScoringApp {
  fetch(req: Request): Promise<Response>;
  metrics: Metrics;
}

const ROUTES = { '/': 'GET', '/health': 'GET', '/ready': 'GET', '/model': 'GET', '/metrics': 'GET', '/score': 'POST', '/predict': 'POST' } as const;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Env = { Variables: { requestId: string; beats: number } };

export function createApp(scorer: Scorer, options: AppOptions): ScoringApp {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log;
  const draining = options.draining ?? (() => false);
  const metrics = new Metrics(() => scorer.queued());
  const app = new Hono<Env>();

  // Request id, timing, metrics and the log line, around every request.
  app.use('*', async (c, next) => {
    const start = performance.now();
    const given = c.req.header('x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('x-request-id', id);
    if (draining()) c.res.headers.set('connection', 'close');
    const path = new URL(c.req.url).pathname;
    const route = path in ROUTES ? path : 'other';
    const seconds = (performance.now() - start) / 1000;
    metrics.observeRequest(route, c.req.method, c.res.status, seconds);
    log?.({ time: new Date().toISOString(), id, method: c.req.method.slice(0, 16), path: path.slice(0, 200), status: c.res.status,
      ms: Math.round(seconds * 1e4) / 10, beats: c.get('beats') ?? 0 });
  });

  // A client written for the reference Flask API checks GET / first.
  app.get('/', (c) => c.json({ status: 'ok', message: 'ECG anomaly detection API is running: POST /predict {"beat": [...]} or {"beats": [[...]]}' }));
  app.get('/health', (c) => c.json({ status: 'ok', ok: true }));
  app.get('/ready', (c) => (scorer.ready() && !draining() ? c.json({ ready: true })
    : c.json({ ready: false, error: draining() ? 'shutting down' : 'model not loaded yet' }, 503)));
  app.get('/model', (c) => c.json(options.model));
  app.get('/metrics', (c) => c.body(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));

  const scoreBody = async (c: Context<Env>, kind: BodyKind): Promise<ScoredBeats> => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new RequestError(415, 'send the body as content-type: application/json');
    const body = await readBodyBytes(c.req.raw, maxBodyBytes);
    const r = await scorer.score({ body, kind });
    let anomalies = 0;
    for (const f of r.flags) anomalies += f;
    metrics.observeScores(r.scores.length, anomalies);
    c.set('beats', r.scores.length);
    return r;
  };

  app.post('/score', async (c) => {
    const r = await scoreBody(c, 'score');
    return c.json({ threshold: r.threshold, scores: Array.from(r.scores), flags: Array.from(r.flags, (f) => f === 1) });
  });
  app.post('/predict', async (c) => {
    const r = await scoreBody(c, 'predict');
    const results = Array.from(r.scores, (s, i) => ({ anomaly: r.flags[i] === 1, reconstruction_error: s, threshold: r.threshold }));
    return c.json(r.single ? results[0] : { results });
  });

  for (const [path, method] of Object.entries(ROUTES)) {
    app.all(path, (c) => c.json({ error: `use ${method} ${path}`, requestId: c.get('requestId') }, 405, { allow: method === 'GET' ? 'GET, HEAD' : method }));
  }
  app.notFound((c) => c.json({ error: `no such route; the routes are ${Object.entries(ROUTES).map(([p, m]) => `${m} ${p}`).join(', ')}`,
    requestId: c.get('requestId') }, 404));
  app.onError((e, c) => {
    if (e instanceof RequestError) return c.json({ error: e.message, requestId: c.get('requestId') }, e.status as 400);
    log?.({ time: new Date().toISOString(), id: c.get('requestId'), level: 'error', error: String((e as Error)?.message ?? e).slice(0, 500) });
    return c.json({ error: 'internal error', requestId: c.get('requestId') }, 500);
  });

  return { fetch: async (req) => app.fetch(req), metrics };
}
