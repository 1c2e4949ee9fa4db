// A small EDF/EDF+ writer for tests, written from the specification (not from the reader):
// ASCII header fields padded with spaces, then int16 little-endian data records.

export interface EdfSignalIn {
  label: string;
  units?: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin?: number;
  digitalMax?: number;
  samplesPerRecord: number;
  /** records * samplesPerRecord digital values (ignored for annotation channels). */
  digital?: Int16Array | number[];
}

export interface EdfIn {
  variant?: 'EDF' | 'EDF+C' | 'EDF+D';
  recordDuration: number;
  records: number;
  signals: EdfSignalIn[];
  /** EDF+: each record's onset in seconds (default r * duration), and extra TAL texts per record. */
  onsets?: number[];
  tals?: string[][];
  /** Overrides of header fields by name, written verbatim (for hostile files). */
  raw?: { records?: string; duration?: string; ns?: string; headerBytes?: string; samplesPerRecord?: string[] };
}

const pad = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s.padEnd(n, ' '));

export function writeEdf(e: EdfIn): Uint8Array {
  const variant = e.variant ?? 'EDF';
  const signals = [...e.signals];
  const annSpr = 30;
  if (variant !== 'EDF') signals.push({ label: 'EDF Annotations', physicalMin: -1, physicalMax: 1, digitalMin: -32768, digitalMax: 32767, samplesPerRecord: annSpr });
  const ns = signals.length;
  let h = pad('0', 8) + pad('X X X X', 80) + pad('Startdate X X X X', 80) + '01.01.01' + '00.00.00';
  h += pad(e.raw?.headerBytes ?? String(256 * (ns + 1)), 8) + pad(variant === 'EDF' ? '' : variant, 44);
  h += pad(e.raw?.records ?? String(e.records), 8) + pad(e.raw?.duration ?? String(e.recordDuration), 8) + pad(e.raw?.ns ?? String(ns), 4);
  const col = (f: (s: EdfSignalIn, i: number) => string, n: number) => signals.map((s, i) => pad(f(s, i), n)).join('');
  h += col((s) => s.label, 16) + col(() => '', 80) + col((s) => s.units ?? '', 8);
  h += col((s) => String(s.physicalMin), 8) + col((s) => String(s.physicalMax), 8);
  h += col((s) => String(s.digitalMin ?? -32768), 8) + col((s) => String(s.digitalMax ?? 32767), 8);
  h += col(() => '', 80) + col((s, i) => e.raw?.samplesPerRecord?.[i] ?? String(s.samplesPerRecord), 8) + col(() => '', 32);
  const recordBytes = 2 * signals.reduce((a, s) => a + s.samplesPerRecord, 0);
  const out = new Uint8Array(h.length + e.records * recordBytes);
  for (let i = 0; i < h.length; i++) out[i] = h.charCodeAt(i);
  const view = new DataView(out.buffer);
  let pos = h.length;
  for (let r = 0; r < e.records; r++) {
    for (const s of signals) {
      if (s.label === 'EDF Annotations') {
        const onset = e.onsets?.[r] ?? r * e.recordDuration;
        let tal = `+${onset}\x14\x14\x00`;
        for (const t of e.tals?.[r] ?? []) tal += `+${onset}\x14${t}\x14\x00`;
        if (tal.length > 2 * annSpr) throw new Error('annotation too long for the test writer');
        for (let k = 0; k < tal.length; k++) out[pos + k] = tal.charCodeAt(k);
      } else {
        for (let k = 0; k < s.samplesPerRecord; k++) view.setInt16(pos + 2 * k, Number(s.digital?.[r * s.samplesPerRecord + k] ?? 0), true);
      }
      pos += 2 * s.samplesPerRecord;
    }
  }
  return out;
}
