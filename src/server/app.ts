// The scoring API as a Web-standard fetch handler on Hono: `createApp(scorer, options).fetch`
// takes a Request and answers a Response, so the same app runs under Node (node-server.ts),
// Deno, Bun or an edge runtime. No Node API in this file.
//   GET  /         status, as the reference Flask API  {"status": "ok", "message": ...}
//   GET  /health   liveness                        {"status": "ok", "ok": true}
//   GET  /ready    every scoring thread loaded     200 {"ready": true} | 503 (loading, draining, queue full)
//   GET  /model    kind, input length, threshold and method, training metrics, limits
//   POST /score    {"beats": [[...L]]}             {"threshold", "scores": [...], "flags": [...]}
//   POST /predict  {"beat": [...L]}                {"anomaly", "reconstruction_error", "threshold"}
//                  {"beats": [[...L]]}             {"results": [{...}, ...]}
//   GET  /metrics  Prometheus text
// Errors are JSON {"error", "requestId"} with a 4xx that says what is wrong; anything
// unexpected is a bare 500 "internal error" (the detail goes to the log, never to the client).
// Query strings are ignored (routing is by path). Every response carries x-request-id.
// A server entry may refuse a request before its body is read (request-context.ts: queue full,
// body too large, no Host): answered here like the app's own errors, logged and counted.

import { Hono, type Context } from 'hono';
import { Metrics, type AdmissionGauges } from './metrics.ts';
import type { ModelInfo } from './model-info.ts';
import { readBodyBytes } from './read-body.ts';
import { RequestError } from './request-error.ts';
import { requestContext } from './request-context.ts';
import type { BodyKind } from './beats-body.ts';
import { ClientGone, type ScoredBeats, type Scorer } from './scorer.ts';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_BEATS = 4096;

export interface AppOptions {
  model: ModelInfo;
  maxBodyBytes?: number;
  /** One JSON object per answered request (and per unexpected error); absent = quiet. */
  log?: (entry: Record<string, unknown>) => void;
  /** True while shutting down: /ready answers 503. */
  draining?: () => boolean;
  /** The entry's admission budget: /ready answers 503 while saturated; /metrics shows its use. */
  admission?: AdmissionGauges & { saturated(): boolean };
}

export interface ScoringApp {
  fetch(req: Request): Promise<Response>;
  metrics: Metrics;
  /** Logs and counts a refusal the server entry answered itself (malformed HTTP, timeouts). */
  refused(r: { id: string; status: number; reason: string; message: string }): void;
}

const ROUTES = { '/': 'GET', '/health': 'GET', '/ready': 'GET', '/model': 'GET', '/metrics': 'GET', '/score': 'POST', '/predict': 'POST' } as const;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Env = { Variables: { requestId: string; beats: number; refused: string } };

/** Status of a request whose client went away (never delivered; for the log and metrics only). */
const CLIENT_GONE = 499;

export function createApp(scorer: Scorer, options: AppOptions): ScoringApp {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log;
  const draining = options.draining ?? (() => false);
  const admission = options.admission;
  const metrics = new Metrics(() => scorer.queued(), admission);
  const app = new Hono<Env>();

  // Request id, timing, metrics and the log line, around every request.
  app.use('*', async (c, next) => {
    const start = performance.now();
    const given = c.req.header('x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    const refusal = requestContext(c.req.raw).refusal;
    if (refusal) {
      c.set('refused', refusal.reason);
      c.res = c.json({ error: refusal.message, requestId: id }, refusal.status as 400,
        refusal.retryAfter !== undefined ? { 'retry-after': String(refusal.retryAfter) } : {});
    } else {
      await next();
    }
    c.res.headers.set('x-request-id', id);
    const refused = c.get('refused');
    if (refused) metrics.observeRefusal(refused);
    const path = new URL(c.req.url).pathname;
    const route = path in ROUTES ? path : 'other';
    const seconds = (performance.now() - start) / 1000;
    metrics.observeRequest(route, c.req.method, c.res.status, seconds);
    log?.({ time: new Date().toISOString(), id, method: c.req.method.slice(0, 16), path: path.slice(0, 200), status: c.res.status,
      ms: Math.round(seconds * 1e4) / 10, beats: c.get('beats') ?? 0, ...(refused ? { refused } : {}) });
  });

  // A client written for the reference Flask API checks GET / first.
  app.get('/', (c) => c.json({ status: 'ok', message: 'ECG anomaly detection API is running: POST /predict {"beat": [...]} or {"beats": [[...]]}' }));
  app.get('/health', (c) => c.json({ status: 'ok', ok: true }));
  app.get('/ready', (c) => {
    const why = draining() ? 'shutting down' : !scorer.ready() ? 'model not loaded yet' : admission?.saturated() ? 'the scoring queue is full' : null;
    return why === null ? c.json({ ready: true }) : c.json({ ready: false, error: why }, 503);
  });
  app.get('/model', (c) => c.json(options.model));
  app.get('/metrics', (c) => c.body(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));

  const scoreBody = async (c: Context<Env>, kind: BodyKind): Promise<ScoredBeats> => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new RequestError(415, 'send the body as content-type: application/json');
    // The body is read as UTF-8 bytes: any other charset would be decoded wrongly, not refused.
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(type)?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      throw new RequestError(415, `charset "${charset.slice(0, 40)}" is not supported: send the body as UTF-8 (content-type: application/json; charset=utf-8)`, 'unsupported_charset');
    }
    const body = await readBodyBytes(c.req.raw, maxBodyBytes);
    const { client, signal } = requestContext(c.req.raw);
    const r = await scorer.score({ body, kind }, { client, signal });
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
    if (e instanceof RequestError) {
      if (e.reason) c.set('refused', e.reason);
      return c.json({ error: e.message, requestId: c.get('requestId') }, e.status as 400);
    }
    if (e instanceof ClientGone) {
      c.set('refused', 'client_gone');
      return c.json({ error: e.message, requestId: c.get('requestId') }, CLIENT_GONE as 400);
    }
    log?.({ time: new Date().toISOString(), id: c.get('requestId'), level: 'error', error: String((e as Error)?.message ?? e).slice(0, 500) });
    return c.json({ error: 'internal error', requestId: c.get('requestId') }, 500);
  });

  const refused: ScoringApp['refused'] = (r) => {
    metrics.observeRefusal(r.reason);
    metrics.observeRequest('other', 'OTHER', r.status, 0);
    log?.({ time: new Date().toISOString(), id: r.id, status: r.status, refused: r.reason, error: r.message });
  };
  return { fetch: async (req) => app.fetch(req), metrics, refused };
}
