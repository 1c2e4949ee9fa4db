// Reads a request body as UTF-8 text with a size limit (runtime-agnostic: Web streams only).
// A declared Content-Length over the limit is refused before reading; a chunked body is
// counted as it arrives and refused as soon as it passes the limit.

import { RequestError } from './request-error.ts';

export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new RequestError(413, `request body over ${maxBytes} bytes`);
  if (!req.body) return '';
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
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RequestError(400, 'request body is not valid UTF-8');
  }
}
