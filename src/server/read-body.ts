// Reads a request body's bytes with a size limit (runtime-agnostic: Web streams only). The
// bytes are decoded where they are parsed (score-jobs.ts): on the pool, off the event loop.
// A declared Content-Length over the limit is refused before reading; a chunked body is
// counted as it arrives and refused as soon as it passes the limit.

import { RequestError } from './request-error.ts';

/** The whole body in a fresh buffer of its own (safe to transfer to a worker thread). */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new RequestError(413, `request body over ${maxBytes} bytes`);
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
      throw new RequestError(413, `request body over ${maxBytes} bytes`);
    }
    chunks.push(step.value);
  }
  // One chunk that owns its whole buffer (how the Node entry hands bodies over) needs no copy.
  if (chunks.length === 1 && chunks[0].byteOffset === 0 && chunks[0].byteLength === chunks[0].buffer.byteLength) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
  return bytes;
}
