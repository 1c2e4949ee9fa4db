// The scoring HTTP API on a real socket (127.0.0.1, port 0): scores match the detector's own,
// bad requests get a 4xx with a message.

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createAutoencoder } from '../../src/autoencoders/registry.ts';
import { Detector } from '../../src/ecg/detector.ts';
import { fitScaler } from '../../src/ecg/scaler.ts';
import { generateSyntheticEcg } from '../../src/ecg/synthetic.ts';
import { createScoringServer } from '../../src/server/app.ts';

const beats = generateSyntheticEcg({ nNormal: 20, nAbnormal: 5, length: 140, seed: 3 });
const detector = new Detector(createAutoencoder({ kind: 'dense', length: 140, hidden: [16, 8] } as any, 1),
  fitScaler('standard', beats.beats, beats.n, 140), { value: 1, method: 'test' });
const server = createScoringServer(detector, { kind: 'dense' });
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (body: string) => fetch(`${base}/score`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
const rows = (n: number) => Array.from({ length: n }, (_, i) => Array.from(beats.beats.subarray(i * 140, (i + 1) * 140)));

describe('scoring API', () => {
  it('POST /score returns the detector\'s scores and flags', async () => {
    const res = await post(JSON.stringify({ beats: rows(3) }));
    expect(res.status).toBe(200);
    const body = await res.json();
    const direct = detector.detect(beats.beats.subarray(0, 3 * 140), 3);
    expect(body.scores).toEqual(Array.from(direct.scores));
    expect(body.flags).toEqual(Array.from(direct.flags, (f) => f === 1));
    expect(body.threshold).toBe(1);
  });

  it('GET /health and /model', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/model`)).json()).toEqual({ kind: 'dense' });
  });

  it('rejects malformed requests with a clear message', async () => {
    const cases: [string, number, RegExp][] = [
      ['not json', 400, /not valid JSON/],
      [JSON.stringify({ beats: [] }), 400, /at least one beat/],
      [JSON.stringify({ beats: [[1, 2, 3]] }), 422, /beat 0 has 3 samples; this model expects 140/],
      [JSON.stringify({ beats: [[...rows(1)[0].slice(0, 139), 'x']] }), 422, /beat 0, sample 139 is not a finite number/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect((await res.json()).error).toMatch(message);
    }
    expect((await fetch(`${base}/score`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
