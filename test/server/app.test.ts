// The fetch handler called directly (no socket): every route, every refusal, and the answers
// against the detector's own. The model is a real one: 5 epochs on ECG5000.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { detectorFromParts, type Detector } from '../../src/detect/detector.ts';
import { loadModelFolder } from '../../src/detect/model-folder-node.ts';
import { createApp, type ScoringApp } from '../../src/server/app.ts';
import { modelInfoFromManifest } from '../../src/server/model-info.ts';
import { createInProcessScorer } from '../../src/server/scorer.ts';
import { LEAK, testBeats, trainTestModel } from './helpers.ts';

let model: ReturnType<typeof trainTestModel>;
let detector: Detector;
let app: ScoringApp;
const logged: Record<string, unknown>[] = [];
const rows = testBeats(8);

beforeAll(() => {
  model = trainTestModel();
  const { manifest, tensors } = loadModelFolder(model.dir);
  detector = detectorFromParts(manifest as any, tensors);
  app = createApp(createInProcessScorer(detector, { maxBeats: 5 }),
    { model: modelInfoFromManifest(manifest, { maxBeatsPerRequest: 5, maxBodyBytes: 64 * 1024 }), maxBodyBytes: 64 * 1024, log: (e) => logged.push(e) });
}, 120_000);
afterAll(() => model?.cleanup());

const call = (path: string, init?: RequestInit) => app.fetch(new Request(`http://x${path}`, init));
const post = (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  call(path, { method: 'POST', body: typeof body === 'string' || body instanceof Uint8Array ? body as BodyInit : JSON.stringify(body), headers });
const direct = (beats: number[][]) => detector.detect(Float32Array.from(beats.flat()), beats.length);

describe('scoring app (fetch handler)', () => {
  it('POST /score answers the detector\'s scores, flags and threshold; a query string is ignored', async () => {
    const res = await post('/score?verbose=1&x=%00', { beats: rows.slice(0, 3) });
    expect(res.status).toBe(200);
    const body = await res.json();
    const d = direct(rows.slice(0, 3));
    expect(body).toEqual({ threshold: d.threshold, scores: Array.from(d.scores), flags: Array.from(d.flags, (f) => f === 1) });
  });

  it('POST /predict: one beat gives the reference project\'s shape, several give results', async () => {
    const d = direct(rows.slice(0, 2));
    const one = await (await post('/predict', { beat: rows[0] })).json();
    expect(one).toEqual({ anomaly: d.flags[0] === 1, reconstruction_error: d.scores[0], threshold: d.threshold });
    const many = await (await post('/predict', { beats: rows.slice(0, 2) })).json();
    expect(many.results).toEqual([0, 1].map((i) => ({ anomaly: d.flags[i] === 1, reconstruction_error: d.scores[i], threshold: d.threshold })));
  });

  it('a beat the model cannot score (overflowing error) is an anomaly, never normal', async () => {
    const huge = rows[0].map(() => 3e38); // within float32, but its squared error overflows
    const r = await (await post('/predict', { beat: huge })).json();
    expect(r.anomaly).toBe(true);
    expect(r.reconstruction_error === null || r.reconstruction_error > r.threshold).toBe(true);
  });

  it('GET /health, /ready, /model (no server paths), /metrics', async () => {
    expect(await (await call('/health')).json()).toEqual({ status: 'ok', ok: true });
    expect(await (await call('/ready')).json()).toEqual({ ready: true });
    const info = await (await call('/model')).json();
    expect(info).toMatchObject({ kind: 'dense', inputLength: 140, threshold: { value: detector.threshold.value, method: detector.threshold.method } });
    expect(info.metrics.rocAuc).toBeGreaterThan(0.5);
    expect(JSON.stringify(info)).not.toContain(model.dir);
    expect(JSON.stringify(info)).not.toMatch(LEAK);
    await post('/score', { beats: rows.slice(0, 4) });
    const text = await (await call('/metrics')).text();
    expect(text).toMatch(/cardiograd_http_requests_total\{route="\/score",method="POST",status="200"\} \d+/);
    expect(text).toMatch(/cardiograd_http_request_duration_seconds_bucket\{route="\/score",le="\+Inf"\} \d+/);
    const beats = Number(/cardiograd_beats_scored_total (\d+)/.exec(text)![1]);
    expect(beats).toBeGreaterThanOrEqual(4);
  });

  it('refuses bad requests with a status and a message naming what is wrong', async () => {
    const bad = [...rows[0]];
    bad[17] = 1e39;
    const cases: [Response, number, RegExp][] = [
      [await post('/score', 'not json'), 400, /not valid JSON/],
      [await post('/score', { beats: [] }), 400, /at least one beat/],
      [await post('/score', [1, 2]), 400, /JSON object/],
      [await post('/score', { beats: [[1, 2, 3]] }), 422, /beat 0 has 3 samples; this model expects 140/],
      [await post('/score', { beats: [rows[0], [...rows[1].slice(0, 139), 'x']] }), 422, /beat 1, sample 139 is not a finite number/],
      [await post('/score', { beats: [rows[0], bad] }), 422, /beat 1, sample 17 is beyond the float32 range/],
      [await post('/score', '{"beats": [[' + '1e400,'.repeat(139) + '1]]}'), 422, /beat 0, sample 0 is not a finite number/],
      [await post('/predict', { beat: bad }), 422, /beat, sample 17 is beyond the float32 range/],
      [await post('/score', { beats: rows.slice(0, 6) }), 413, /6 beats in one request; the limit is 5/],
      [await post('/score', { beats: rows }, { 'content-type': 'text/plain' }), 415, /application\/json/],
      [await post('/score', { beats: rows }, {}), 415, /application\/json/],
      [await post('/score', 'x'.repeat(70 * 1024)), 413, /over 65536 bytes/],
      [await post('/score', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, /not valid JSON/],
      [await call('/score'), 405, /use POST \/score/],
      [await call('/health', { method: 'DELETE' }), 405, /use GET \/health/],
      [await call('/nope/../../etc/passwd'), 404, /no such route/],
    ];
    for (const [res, status, message] of cases) {
      expect(res.status).toBe(status);
      const text = await res.text();
      expect(JSON.parse(text).error).toMatch(message);
      expect(text).not.toMatch(LEAK);
    }
  });

  it('keeps a sane x-request-id, replaces others, and logs one JSON line per request', async () => {
    logged.length = 0;
    const mine = await call('/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const odd = await call('/health', { headers: { 'x-request-id': 'bad id\u0007'.replace('\u0007', '!') } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ id: 'abc-123', method: 'GET', path: '/health', status: 200 });
    expect(typeof logged[0].ms).toBe('number');
  });

  it('an unexpected failure is a bare 500 with no detail', async () => {
    const broken = createApp({ ready: () => true, queued: () => 0, close: async () => {},
      score: async () => { throw new Error('boom at /work/main/src/x.ts:1'); } }, { model: {} as any });
    const res = await broken.fetch(new Request('http://x/score', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error).toBe('internal error');
    expect(text).not.toMatch(LEAK);
  });
});
