// A fast path for the common scoring body: `{"beats": [[n, ...], ...]}` or `{"beat": [n, ...]}`
// read straight from the UTF-8 bytes into a Float32Array, with no string decode and no JS
// arrays. Profiling the pool showed JSON.parse + packing at ~2.5x the cost of scoring itself.
// It accepts only a strict subset of JSON (one key, rows of exactly `length` plain numbers,
// within float32 range, at most maxBeats rows); anything else returns null and the caller
// uses parseBeatsBody, which gives the same values for valid bodies and the error messages.
//
// Numbers: JSON's grammar. With at most 15 significant digits and a decimal exponent within
// ±22, m·10^e (or m/10^e) is one correctly rounded IEEE operation on exact operands (Clinger's
// fast path), so it equals Number(text); other numbers go through Number(text) itself.

import { FLOAT32_MAX, type BodyKind, type ParsedBeats } from './beats-body.ts';

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles for k <= 22
const SPACE = 32, TAB = 9, LF = 10, CR = 13, COMMA = 44, MINUS = 45, DOT = 46, ZERO = 48, NINE = 57,
  COLON = 58, OPEN = 91, CLOSE = 93, BRACE = 123, UNBRACE = 125, PLUS = 43, E = 101, E_UPPER = 69;

// The cursor lives in module state rather than in closures: V8 keeps `b` and `i` in
// registers this way (closure-captured, the parser was only ~15% faster than JSON.parse).
let b: Uint8Array = new Uint8Array(0);
let i = 0;

function ws(): void {
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return;
    i++;
  }
}

function literal(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
  i += s.length;
  return true;
}

/** One JSON number at i; NaN when it is not one (or not a plain float32-range value). */
function number(): number {
  const start = i;
  let negative = false;
  if (b[i] === MINUS) { negative = true; i++; }
  let m = 0, significant = 0, exponent = 0;
  let c = b[i];
  if (c === ZERO) c = b[++i];
  else if (c > ZERO && c <= NINE) {
    while (c >= ZERO && c <= NINE) { m = m * 10 + (c - ZERO); significant++; c = b[++i]; }
  } else return NaN;
  if (c === DOT) {
    c = b[++i];
    if (!(c >= ZERO && c <= NINE)) return NaN;
    while (c >= ZERO && c <= NINE) {
      if (m !== 0 || c !== ZERO) significant++;
      m = m * 10 + (c - ZERO);
      exponent--;
      c = b[++i];
    }
  }
  if (c === E || c === E_UPPER) {
    c = b[++i];
    let sign = 1, e = 0, digits = 0;
    if (c === PLUS) c = b[++i]; else if (c === MINUS) { sign = -1; c = b[++i]; }
    while (c >= ZERO && c <= NINE) { if (e < 10000) e = e * 10 + (c - ZERO); digits++; c = b[++i]; }
    if (digits === 0) return NaN;
    exponent += sign * e;
  }
  let v: number;
  if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    v = exponent >= 0 ? m * POW10[exponent] : m / POW10[-exponent];
    if (negative) v = -v;
  } else {
    v = Number(String.fromCharCode.apply(null, b.subarray(start, i) as unknown as number[]));
  }
  return Math.abs(v) <= FLOAT32_MAX ? v : NaN;
}

export function parseBeatsFast(bytes: Uint8Array, kind: BodyKind, length: number, maxBeats: number): ParsedBeats | null {
  b = bytes;
  i = 0;
  try {
    return parseBody(kind, length, maxBeats);
  } finally {
    b = new Uint8Array(0); // do not keep the request alive
  }
}

function parseBody(kind: BodyKind, length: number, maxBeats: number): ParsedBeats | null {
  ws();
  if (b[i++] !== BRACE) return null;
  ws();
  let single: boolean;
  if (literal('"beats"')) single = false;
  else if (kind === 'predict' && literal('"beat"')) single = true;
  else return null;
  ws();
  if (b[i++] !== COLON) return null;
  ws();
  if (!single) { if (b[i++] !== OPEN) return null; ws(); }
  let out = new Float32Array(length * (single ? 1 : 64));
  let rows = 0;
  // The rows are read with the buffer and cursor in locals (`buf`, `p`): module state is
  // reloaded on every access, and this loop is where a thread spends most of its time
  // (profiled under load: number() was ~45% of a scoring thread's time, ~50 ns a number).
  // Plain numbers (no exponent, <= 15 significant digits, <= 22 decimals) are read inline;
  // any other number goes through number() from its start, so the values are the same.
  const buf = b;
  let p = i;
  let c = 0;
  for (;;) {
    if (buf[p++] !== OPEN || rows >= maxBeats) return null;
    if ((rows + 1) * length > out.length) { const grown = new Float32Array(out.length * 2); grown.set(out); out = grown; }
    const base = rows * length;
    for (let j = 0; j < length; j++) {
      c = buf[p];
      while (c === SPACE || c === LF || c === CR || c === TAB) c = buf[++p];
      const start = p;
      let negative = false;
      if (c === MINUS) { negative = true; c = buf[++p]; }
      let m = 0, significant = 0, exponent = 0;
      if (c === ZERO) c = buf[++p];
      else if (c > ZERO && c <= NINE) {
        do { m = m * 10 + (c - ZERO); significant++; c = buf[++p]; } while (c >= ZERO && c <= NINE);
      } else return null;
      if (c === DOT) {
        c = buf[++p];
        if (!(c >= ZERO && c <= NINE)) return null;
        do {
          if (m !== 0 || c !== ZERO) significant++;
          m = m * 10 + (c - ZERO);
          exponent--;
          c = buf[++p];
        } while (c >= ZERO && c <= NINE);
      }
      let v: number;
      if (c === E || c === E_UPPER || significant > 15 || exponent < -22) {
        i = start;
        v = number();
        p = i;
        if (v !== v) return null; // NaN
      } else {
        v = exponent === 0 ? m : m / POW10[-exponent];
        if (negative) v = -v;
        if (!(Math.abs(v) <= FLOAT32_MAX)) return null;
      }
      out[base + j] = v;
      c = buf[p];
      while (c === SPACE || c === LF || c === CR || c === TAB) c = buf[++p];
      if (j < length - 1) { if (c !== COMMA) return null; p++; }
    }
    if (buf[p++] !== CLOSE) return null;
    rows++;
    if (single) break;
    c = buf[p];
    while (c === SPACE || c === LF || c === CR || c === TAB) c = buf[++p];
    if (c === COMMA) { p++; c = buf[p]; while (c === SPACE || c === LF || c === CR || c === TAB) c = buf[++p]; continue; }
    if (c === CLOSE) { p++; break; }
    return null;
  }
  i = p;
  ws();
  if (b[i++] !== UNBRACE) return null;
  ws();
  if (i !== b.length) return null;
  return { data: out.length === rows * length ? out : out.slice(0, rows * length), n: rows, single };
}
