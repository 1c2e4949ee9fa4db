// readBodyBytes: bodies the Node entry already read (setPrereadBody) come back as bytes that own
// their whole buffer (a pooled Buffer slice is copied: transferring it to a scoring thread would
// detach Node's shared pool), within the same limits as streamed bodies.
import { describe, expect, it } from 'vitest';
import { readBodyBytes, setPrereadBody } from '../../src/server/read-body.ts';
import { RequestError } from '../../src/server/request-error.ts';

const post = (headers: Record<string, string> = {}) => new Request('http://x/score', { method: 'POST', headers, body: 'not this' });

describe('readBodyBytes with a pre-read body', () => {
  it('returns the pre-read bytes, not the stream; a pooled slice as a copy that owns its buffer', async () => {
    const pooled = Buffer.from('{"beats": []}'); // small: a slice of Node's shared pool
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    const req = post();
    setPrereadBody(req, pooled);
    const got = await readBodyBytes(req, 1024);
    expect(new TextDecoder().decode(got)).toBe('{"beats": []}');
    expect(got.byteOffset === 0 && got.byteLength === got.buffer.byteLength).toBe(true);
    const whole = new Uint8Array(new ArrayBuffer(8)).fill(49);
    const req2 = post();
    setPrereadBody(req2, whole);
    expect(await readBodyBytes(req2, 1024)).toBe(whole); // owns its buffer: no copy
  });

  it('refuses a pre-read body over the limit (413), and a declared length over it before reading', async () => {
    const req = post();
    setPrereadBody(req, new Uint8Array(11));
    await expect(readBodyBytes(req, 10)).rejects.toMatchObject({ status: 413 });
    const declared = post({ 'content-length': '11' });
    setPrereadBody(declared, new Uint8Array(3));
    await expect(readBodyBytes(declared, 10)).rejects.toBeInstanceOf(RequestError);
  });

  it('without one, reads the stream as before', async () => {
    expect(new TextDecoder().decode(await readBodyBytes(post(), 1024))).toBe('not this');
  });
});
