// UTF-8 without TextEncoder/TextDecoder: those are Web APIs, and plain ECMAScript engines
// (QuickJS and the sandboxes built on it) do not have them. The scoring core only encodes
// JSON for a digest and decodes a safetensors header, a few kB each, so a loop is fast enough.
// Checked against TextEncoder/TextDecoder on random strings and bytes in test/io/utf8.test.ts.

/** The UTF-8 bytes of `s`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function utf8Encode(s: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * The string `bytes` encode; throws on malformed UTF-8 (truncated or overlong sequences,
 * surrogates, code points over U+10FFFF), like TextDecoder('utf-8', { fatal: true }).
 * A leading byte-order mark is dropped, as TextDecoder does.
 */
export function utf8DecodeStrict(bytes: Uint8Array): string {
  const units: number[] = [];
  let text = '';
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const bad = (at: number): never => { throw new Error(`invalid UTF-8 at byte ${at}`); };
  const cont = (at: number): number => {
    if (at >= bytes.length || (bytes[at] & 0xc0) !== 0x80) bad(at);
    return bytes[at] & 63;
  };
  while (i < bytes.length) {
    const b = bytes[i];
    let c: number;
    let n: number;
    if (b < 0x80) { c = b; n = 1; }
    else if (b >= 0xc2 && b <= 0xdf) { c = ((b & 31) << 6) | cont(i + 1); n = 2; }
    else if (b >= 0xe0 && b <= 0xef) {
      c = ((b & 15) << 12) | (cont(i + 1) << 6) | cont(i + 2); n = 3;
      if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) bad(i); // overlong, or a surrogate
    } else if (b >= 0xf0 && b <= 0xf4) {
      c = ((b & 7) << 18) | (cont(i + 1) << 12) | (cont(i + 2) << 6) | cont(i + 3); n = 4;
      if (c < 0x10000 || c > 0x10ffff) bad(i);
    } else {
      return bad(i);
    }
    if (c < 0x10000) units.push(c);
    else units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    i += n;
    // Flush in slices: String.fromCharCode(...units) has an argument-count limit.
    if (units.length >= 4096) { text += String.fromCharCode(...units); units.length = 0; }
  }
  return text + String.fromCharCode(...units);
}
