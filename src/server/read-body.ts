// Reads a request body's bytes with a size limit (runtime-agnostic: Web streams only). The
// bytes are decoded where they are parsed (score-jobs.ts): on the pool, off the event loop.
// A declared Content-Length over the limit is refused before reading; a chunked body is
// counted as it arrives and refused as soon as it passes the limit.

import { RequestError } from './request-error.ts';

// Bodies a server entry has already read whole (node-server.ts reads them with Node streams),
// by request: readBodyBytes takes them from here instead of through `req.body`, which on
// @hono/node-server builds a full native Request (AbortController, headers, a ReadableStream)
// per request: ~15% of the event loop's time and much of its garbage under 256-beat load.
const preread = new WeakMap<Request, Uint8Array>();

/** Hands readBodyBytes the body of `req`, already read (at most one byte past the limit). */
export function setPrereadBody(req: Request, body: Uint8Array): void { preread.set(req, body); }

/** `bytes` itself if it owns its whole buffer (safe to transfer), else a copy that does. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes); // a copy (a Buffer's slice() would be a view)
}

/** The whole body in a fresh buffer of its own (safe to transfer to a worker thread). */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new RequestError(413, `request body over ${maxBytes} bytes`, 'body_too_large');
  const given = preread.get(req);
  if (given !== undefined) {
    preread.delete(req);
    if (given.byteLength > maxBytes) throw new RequestError(413, `request body over ${maxBytes} bytes`, 'body_too_large');
    return owned(given);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try { step = await reader.read(); } catch { throw new RequestError(400, 'the request body could not be read'); }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new RequestError(413, `request body over ${maxBytes} bytes`, 'body_too_large');
    }
    chunks.push(step.value);
  }
  // One chunk that owns its whole buffer needs no copy.
  if (chunks.length === 1) return owned(chunks[0]);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
  return bytes;
}
