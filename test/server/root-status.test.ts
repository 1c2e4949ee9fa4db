// GET / answers like the reference Flask API's index route, so a client written for it works unchanged.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import type { Scorer } from '../../src/server/scorer.ts';

// GET / never scores: a scorer that throws proves the route does not touch it.
const scorer = new Proxy({}, { get: () => () => { throw new Error('GET / must not score'); } }) as unknown as Scorer;

describe('GET /', () => {
  it('answers {"status": "ok", "message": ...} with 200', async () => {
    const app = createApp(scorer, { model: {} as any });
    const res = await app.fetch(new Request('http://x/'));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(typeof body.message).toBe('string');
    expect(body.message.length).toBeGreaterThan(0);
  });

  it('refuses POST / with 405 and Allow: GET, HEAD', async () => {
    const app = createApp(scorer, { model: {} as any });
    const res = await app.fetch(new Request('http://x/', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
