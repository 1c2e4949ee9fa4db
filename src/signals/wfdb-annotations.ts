// WFDB annotation files in MIT format (the .atr of PhysioNet): decode and encode.
// Each annotation is a 16-bit little-endian word: the top 6 bits are a code A, the low 10 bits an
// interval I. A = 1..49 is a beat or event label, I the samples since the previous one; the pseudo
// codes that follow it modify it: SUB (61) sets its subtype, CHN (62) its channel, NUM (60) its num,
// AUX (63) carries I bytes of text. SKIP (59) is followed by a 32-bit interval (high word first) for
// gaps over 1023 samples. A word of 0 ends the file. chan and num carry over to later annotations.

export interface Annotation {
  sample: number;
  /** The label mnemonic ("N", "V", "+"). */
  symbol: string;
  subtype: number;
  chan: number;
  num: number;
  aux: string;
}

const SKIP = 59, NUM = 60, SUB = 61, CHN = 62, AUX = 63;

/** WFDB's standard label codes: index = code. */
const SYMBOLS = [' ', 'N', 'L', 'R', 'a', 'V', 'F', 'J', 'A', 'S', 'E', 'j', '/', 'Q', '~', '[15]', '|',
  '[17]', 's', 'T', '*', 'D', '"', '=', 'p', 'B', '^', 't', '+', 'u', '?', '!', '[', ']', 'e', 'n', '@',
  'x', 'f', '(', ')', 'r'];
const CODE_OF = new Map(SYMBOLS.map((s, i) => [s, i]));

export function symbolOf(code: number): string {
  return SYMBOLS[code] ?? `[${code}]`;
}

export function codeOf(symbol: string, source = 'annotation'): number {
  const code = CODE_OF.get(symbol) ?? (/^\[(\d+)\]$/.test(symbol) ? Number(symbol.slice(1, -1)) : NaN);
  if (!(code >= 1 && code <= 49)) throw new Error(`${source}: "${symbol}" is not a WFDB annotation label`);
  return code;
}

/** Sign-extends a 10-bit field (subtype and num are signed in WFDB). */
const signed10 = (i: number) => (i > 511 ? i - 1024 : i);

export function decodeAnnotations(bytes: Uint8Array, source = 'annotation file'): Annotation[] {
  const out: Annotation[] = [];
  let time = 0, chan = 0, num = 0, pos = 0;
  const word = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  while (pos + 1 < bytes.length) {
    const w = word(pos);
    const a = w >> 10, i = w & 0x3ff;
    pos += 2;
    if (w === 0) return out;
    const last = out[out.length - 1];
    if (a === SKIP) {
      if (pos + 4 > bytes.length) throw new Error(`${source}: SKIP at byte ${pos - 2} is cut off`);
      time += ((word(pos) << 16) | word(pos + 2)) | 0;
      pos += 4;
    } else if (a === NUM || a === SUB || a === CHN || a === AUX) {
      if (!last) throw new Error(`${source}: byte ${pos - 2}: modifier ${a} before any annotation`);
      if (a === NUM) num = last.num = signed10(i);
      else if (a === SUB) last.subtype = signed10(i);
      else if (a === CHN) chan = last.chan = i;
      else {
        if (pos + i > bytes.length) throw new Error(`${source}: AUX at byte ${pos - 2} is cut off`);
        let text = '';
        for (let k = 0; k < i && bytes[pos + k] !== 0; k++) text += String.fromCharCode(bytes[pos + k]);
        last.aux = text;
        pos += i + (i & 1);
      }
    } else if (a >= 1 && a <= 49) {
      time += i;
      out.push({ sample: time, symbol: symbolOf(a), subtype: 0, chan, num, aux: '' });
    } else {
      throw new Error(`${source}: byte ${pos - 2}: unknown annotation code ${a}`);
    }
  }
  throw new Error(`${source}: ends without the end-of-file word (truncated?)`);
}

/** Encodes annotations (sorted by sample; several may share one) in MIT format. */
export function encodeAnnotations(annotations: readonly Annotation[]): Uint8Array {
  const bytes: number[] = [];
  const put = (w: number) => bytes.push(w & 0xff, (w >> 8) & 0xff);
  let time = 0, chan = 0, num = 0;
  for (const [k, a] of annotations.entries()) {
    const where = `annotation ${k}`;
    if (!Number.isInteger(a.sample) || a.sample < time) throw new Error(`${where}: sample ${a.sample} is not an integer >= the previous ${time}`);
    let gap = a.sample - time;
    if (gap > 1023) {
      put(SKIP << 10);
      put((gap >>> 16) & 0xffff);
      put(gap & 0xffff);
      gap = 0;
    }
    put((codeOf(a.symbol, where) << 10) | gap);
    time = a.sample;
    if (a.subtype !== 0) put((SUB << 10) | (check10(a.subtype, where, 'subtype') & 0x3ff));
    if (a.chan !== chan) put((CHN << 10) | (checkRange(a.chan, 0, 1023, where, 'chan')));
    if (a.num !== num) put((NUM << 10) | (check10(a.num, where, 'num') & 0x3ff));
    chan = a.chan; num = a.num;
    if (a.aux) {
      const text = Array.from(a.aux, (c) => c.charCodeAt(0));
      if (text.length > 255 || text.some((c) => c > 255 || c === 0)) throw new Error(`${where}: aux must be at most 255 Latin-1 characters`);
      put((AUX << 10) | text.length);
      bytes.push(...text);
      if (text.length & 1) bytes.push(0);
    }
  }
  put(0);
  return Uint8Array.from(bytes);
}

function checkRange(v: number, lo: number, hi: number, where: string, field: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${where}: ${field} ${v} is outside ${lo}..${hi}`);
  return v;
}
const check10 = (v: number, where: string, field: string) => checkRange(v, -512, 511, where, field);

/** Parses the rdann text listing ("Time Sample # Type Sub Chan Num<TAB>Aux"). */
export function parseRdannListing(text: string, source = 'rdann listing'): Annotation[] {
  const out: Annotation[] = [];
  const lines = text.split(/\r?\n/);
  for (const [k, line] of lines.entries()) {
    if (k === 0 && /^\s*Time\s+Sample/.test(line)) continue;
    if (!line.trim()) continue;
    const [fields, aux = ''] = line.split('\t');
    const f = fields.trim().split(/\s+/);
    if (f.length !== 6) throw new Error(`${source}: line ${k + 1}: expected time, sample, type, sub, chan, num`);
    const ints = [f[1], f[3], f[4], f[5]].map((s, j) => {
      if (!/^-?\d+$/.test(s)) throw new Error(`${source}: line ${k + 1}: ${['sample', 'sub', 'chan', 'num'][j]} "${s}" is not an integer`);
      return Number(s);
    });
    out.push({ sample: ints[0], symbol: f[2], subtype: ints[1], chan: ints[2], num: ints[3], aux });
  }
  return out;
}

/** rdann's time column: "m:ss.mmm" under an hour, else "h:mm:ss.mmm". */
export function rdannTime(sample: number, fs: number): string {
  const ms = Math.round((sample / fs) * 1000);
  const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60;
  const tail = `${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${tail}` : `${m}:${tail}`;
}

/** Detected beats as annotations: the AAMI class letters N, S, V, F, Q are WFDB beat labels too. */
export function beatAnnotations(beats: readonly { sample: number; class: string }[]): Annotation[] {
  return beats.map((b) => ({ sample: b.sample, symbol: b.class, subtype: 0, chan: 0, num: 0, aux: '' }));
}
