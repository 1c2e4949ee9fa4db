// EDF and EDF+ (Kemp et al. 1992, 2003): 16-bit little-endian recordings, and BDF/BDF+ (BioSemi):
// the same layout with 24-bit samples, version byte 0xFF "BIOSEMI", reserved "24BIT" / "BDF+C" /
// "BDF+D" and a "BDF Annotations" channel. Pure bytes in, a checked header, digital samples per
// signal and the EDF+ annotations (TALs) out; no files.
//   header: 256 ASCII bytes (version, patient, recording, start date/time, header bytes, reserved
//           ("EDF+C" / "EDF+D"), number of data records, record duration, number of signals), then
//           ns x 256 bytes, field by field (label, transducer, physical dimension, physical min/max,
//           digital min/max, prefiltering, samples per record, reserved).
//   data:   number-of-records records; each holds every signal's samples-per-record int16 values.
// physical = (digital - dmin) * (pmax - pmin) / (dmax - dmin) + pmin.

export interface EdfSignalSpec {
  label: string;
  transducer: string;
  /** Physical dimension (unit), e.g. "uV". */
  units: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  /** Samples per second: samplesPerRecord / recordDuration. */
  fs: number;
  /** EDF+ "EDF Annotations" channel (TALs, not samples). */
  isAnnotations: boolean;
}

export interface EdfHeader {
  /** 16-bit EDF or 24-bit BDF samples. */
  format: 'EDF' | 'BDF';
  bytesPerSample: 2 | 3;
  /** "EDF", "EDF+C" (continuous) or "EDF+D" (discontinuous); BDF+C and BDF+D read as EDF+C and EDF+D. */
  variant: 'EDF' | 'EDF+C' | 'EDF+D';
  patient: string;
  recording: string;
  startDate: string;
  startTime: string;
  headerBytes: number;
  records: number;
  /** Seconds per data record. */
  recordDuration: number;
  signals: EdfSignalSpec[];
}

export interface EdfAnnotation {
  /** Seconds from the recording's start. */
  onset: number;
  duration: number | null;
  text: string;
}

export interface EdfRecording {
  header: EdfHeader;
  /** Digital values per signal (annotation channels get an empty array): Int16Array for EDF, Int32Array for BDF. */
  digital: (Int16Array | Int32Array)[];
  /** Start of each data record in seconds from the recording's start (EDF+D: from its TALs). */
  recordOnsets: Float64Array;
  annotations: EdfAnnotation[];
}

/** Highest sampling rate accepted: far above any ECG, far below a mistyped field. */
export const MAX_EDF_RATE = 100_000;

const ascii = (bytes: Uint8Array, from: number, length: number): string => {
  let s = '';
  for (let i = from; i < from + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s.trim();
};

/** Parses the header; `source` (the file path) names every error, with the field. */
export function parseEdfHeader(bytes: Uint8Array, source: string): EdfHeader {
  const err = (field: string, msg: string) => new Error(`${source}: EDF header, ${field}: ${msg}`);
  if (bytes.length < 256) throw new Error(`${source}: truncated: ${bytes.length} bytes, an EDF header takes at least 256`);
  const version = ascii(bytes, 0, 8);
  const format = version === '0' ? 'EDF' : bytes[0] === 0xff && ascii(bytes, 1, 7) === 'BIOSEMI' ? 'BDF' : null;
  if (format === null) throw err('version', `expected "0" (EDF) or 0xFF "BIOSEMI" (BDF), got "${version.replace(/[^\x20-\x7e]/g, '?')}"`);
  const bytesPerSample = format === 'EDF' ? 2 : 3;
  const [dLow, dHigh] = format === 'EDF' ? [-32768, 32767] : [-8388608, 8388607];
  const int = (field: string, text: string, min: number, max: number): number => {
    const v = Number(text);
    if (!/^[+-]?\d+$/.test(text) || !(v >= min && v <= max)) throw err(field, `expected an integer from ${min} to ${max}, got "${text}"`);
    return v;
  };
  const num = (field: string, text: string): number => {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v)) throw err(field, `expected a number, got "${text}"`);
    return v;
  };
  const ns = int('number of signals', ascii(bytes, 252, 4), 1, 4096);
  const headerBytes = int('number of bytes in header', ascii(bytes, 184, 8), 0, 1 << 30);
  if (headerBytes !== 256 * (ns + 1)) throw err('number of bytes in header', `${headerBytes}, but ${ns} signals need ${256 * (ns + 1)}`);
  if (bytes.length < headerBytes) throw new Error(`${source}: truncated: ${bytes.length} bytes, the header alone takes ${headerBytes}`);
  const reserved = ascii(bytes, 192, 44);
  const plus = reserved.slice(0, 5);
  const variant = plus === `${format}+D` ? 'EDF+D' : plus === `${format}+C` ? 'EDF+C' : 'EDF';
  const records = int('number of data records', ascii(bytes, 236, 8), -1, 1 << 30);
  if (records < 0) throw err('number of data records', '-1 (recording not closed) is not supported');
  const recordDuration = num('duration of a data record', ascii(bytes, 244, 8));
  // 0 is allowed for annotation-only EDF+ files (checked below, once the labels are known).
  if (!(recordDuration >= 0)) throw err('duration of a data record', `must not be negative, got ${recordDuration}`);

  // Signal fields are stored field by field: all labels, then all transducers, ...
  let at = 256;
  const column = (width: number): string[] => {
    const out = Array.from({ length: ns }, (_, i) => ascii(bytes, at + i * width, width));
    at += ns * width;
    return out;
  };
  const labels = column(16), transducers = column(80), units = column(8);
  const pmin = column(8), pmax = column(8), dmin = column(8), dmax = column(8);
  const prefilter = column(80), spr = column(8);
  const signals = labels.map((label, i): EdfSignalSpec => {
    const f = (field: string) => `signal ${i + 1} (${label || 'unlabelled'}) ${field}`;
    const isAnnotations = variant !== 'EDF' && label === `${format} Annotations`;
    if (!isAnnotations && recordDuration === 0) throw err('duration of a data record', `0 s, but signal ${i + 1} (${label}) holds samples`);
    const samplesPerRecord = int(f('samples per data record'), spr[i], 1, 1 << 24);
    const fs = samplesPerRecord / recordDuration;
    if (!isAnnotations && !(fs <= MAX_EDF_RATE)) {
      throw err(f('samples per data record'), `${samplesPerRecord} per ${recordDuration} s is ${fs} Hz, over ${MAX_EDF_RATE} Hz`);
    }
    const digitalMin = int(f('digital minimum'), dmin[i], dLow, dHigh);
    const digitalMax = int(f('digital maximum'), dmax[i], dLow, dHigh);
    if (digitalMax <= digitalMin) throw err(f('digital maximum'), `${digitalMax} is not above the digital minimum ${digitalMin}`);
    const physicalMin = num(f('physical minimum'), pmin[i]);
    const physicalMax = num(f('physical maximum'), pmax[i]);
    if (physicalMax === physicalMin) throw err(f('physical maximum'), `equals the physical minimum ${physicalMin}`);
    return { label, transducer: transducers[i], units: units[i], physicalMin, physicalMax, digitalMin, digitalMax,
      prefiltering: prefilter[i], samplesPerRecord, fs, isAnnotations };
  });
  if (variant !== 'EDF' && !signals.some((s) => s.isAnnotations)) throw err('signal labels', `${variant} needs an "${format} Annotations" signal`);
  return { format, bytesPerSample, variant, patient: ascii(bytes, 8, 80), recording: ascii(bytes, 88, 80), startDate: ascii(bytes, 168, 8),
    startTime: ascii(bytes, 176, 8), headerBytes, records, recordDuration, signals };
}

/** Decodes a whole EDF/EDF+ file. The data size must match the header exactly. */
export function decodeEdf(bytes: Uint8Array, source: string): EdfRecording {
  const header = parseEdfHeader(bytes, source);
  const recordBytes = edfRecordBytes(header);
  const dataBytes = bytes.length - header.headerBytes;
  const expected = header.records * recordBytes;
  if (dataBytes < expected) {
    throw new Error(`${source}: truncated: the header says ${header.records} data records (number of data records) of ${recordBytes} bytes, the file holds ${Math.floor(dataBytes / recordBytes)} (${dataBytes} data bytes)`);
  }
  if (dataBytes > expected) {
    throw new Error(`${source}: ${dataBytes} data bytes, but the header says ${header.records} data records (number of data records) of ${recordBytes} bytes = ${expected}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const digital = header.signals.map((s) => { const n = s.isAnnotations ? 0 : header.records * s.samplesPerRecord; return header.format === 'EDF' ? new Int16Array(n) : new Int32Array(n); });
  const b = header.bytesPerSample;
  const recordOnsets = new Float64Array(header.records);
  const annotations: EdfAnnotation[] = [];
  const clock = new EdfRecordClock(header, source);
  for (let r = 0; r < header.records; r++) {
    const pos = header.headerBytes + r * recordBytes;
    const time = clock.read(bytes.subarray(pos, pos + recordBytes), r);
    recordOnsets[r] = time.onset;
    annotations.push(...time.annotations);
    header.signals.forEach((s, i) => {
      if (s.isAnnotations) return;
      const out = digital[i], base = r * s.samplesPerRecord, at = pos + clock.offsets[i];
      for (let k = 0; k < s.samplesPerRecord; k++) out[base + k] = edfSample(view, at + b * k, b);
    });
  }
  return { header, digital, recordOnsets, annotations };
}

/** Bytes of one data record. */
export function edfRecordBytes(header: EdfHeader): number {
  return header.bytesPerSample * header.signals.reduce((a, s) => a + s.samplesPerRecord, 0);
}

/** One little-endian two's-complement sample of 2 (EDF) or 3 (BDF) bytes at byte `at`. */
export function edfSample(view: DataView, at: number, bytesPerSample: 2 | 3): number {
  if (bytesPerSample === 2) return view.getInt16(at, true);
  return ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16)) << 8) >> 8;
}

/**
 * Each data record's start time and annotations, record after record, with EDF+'s timekeeping
 * checked: a time-keeping TAL in every EDF+ record, records in order without overlap, and no gap
 * in a file not marked EDF+D. Used by the whole-file decoder and the streaming reader alike.
 */
export class EdfRecordClock {
  /** Byte offset of each signal inside a data record. */
  readonly offsets: number[];
  private previous: number | null = null;
  private first = 0;

  constructor(private readonly header: EdfHeader, private readonly source: string) {
    let at = 0;
    this.offsets = header.signals.map((s) => { const o = at; at += header.bytesPerSample * s.samplesPerRecord; return o; });
  }

  /** `record`: the bytes of data record `r` (0-based, read in order). */
  read(record: Uint8Array, r: number): { onset: number; annotations: EdfAnnotation[] } {
    const { header, source } = this;
    let onset: number | null = null;
    const annotations: EdfAnnotation[] = [];
    header.signals.forEach((s, i) => {
      if (!s.isAnnotations) return;
      const tals = parseTals(record.subarray(this.offsets[i], this.offsets[i] + header.bytesPerSample * s.samplesPerRecord), `${source}: data record ${r + 1}, ${s.label}`);
      for (const t of tals) {
        if (t.timekeeping && onset === null) onset = t.onset;
        else if (!t.timekeeping) annotations.push(...t.texts.map((text) => ({ onset: t.onset, duration: t.duration, text })));
      }
    });
    if (header.variant !== 'EDF' && onset === null) throw new Error(`${source}: data record ${r + 1} has no time-keeping annotation (EDF+ needs one per record)`);
    const at: number = onset ?? r * header.recordDuration;
    if (r === 0) this.first = at;
    const prev = this.previous;
    if (prev !== null && at < prev + header.recordDuration - 1e-9) {
      throw new Error(`${source}: data record ${r + 1} starts at ${at} s, before the end of record ${r} (${prev + header.recordDuration} s)`);
    }
    if (header.variant !== 'EDF+D' && Math.abs(at - this.first - r * header.recordDuration) > 1e-6) {
      throw new Error(`${source}: data record ${r + 1} starts at ${at} s, a gap in a file marked ${header.variant} (continuous)`);
    }
    this.previous = at;
    return { onset: at, annotations };
  }
}

interface Tal { onset: number; duration: number | null; texts: string[]; timekeeping: boolean }

/** Time-stamped annotation lists: +ONSET[\x15DURATION]\x14TEXT\x14...\x14\x00, padded with \x00. */
export function parseTals(bytes: Uint8Array, where: string): Tal[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  const tals: Tal[] = [];
  for (const raw of text.split('\x00')) {
    if (raw === '') continue;
    const parts = raw.split('\x14');
    const m = /^([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?$/.exec(parts[0]);
    if (!m || parts.length < 2) throw new Error(`${where}: malformed annotation "${raw.replace(/[\x00-\x1f]/g, '|')}" (expected +ONSET[\\x15DURATION]\\x14TEXT\\x14)`);
    const texts = parts.slice(1, parts[parts.length - 1] === '' ? -1 : undefined);
    // The first TAL of a record with an empty first text keeps the record's time.
    const timekeeping = tals.length === 0 && texts.length > 0 && texts[0] === '';
    tals.push({ onset: Number(m[1]), duration: m[2] !== undefined ? Number(m[2]) : null, texts: timekeeping ? texts.slice(1) : texts, timekeeping });
  }
  return tals;
}

/** Physical values of one signal, in its header's unit. */
export function edfPhysical(s: EdfSignalSpec, digital: ArrayLike<number>): Float64Array {
  const scale = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
  const out = new Float64Array(digital.length);
  for (let i = 0; i < digital.length; i++) out[i] = (digital[i] - s.digitalMin) * scale + s.physicalMin;
  return out;
}

/** Factor from the signal's unit to mV, or null when the unit is not a voltage. */
export function toMillivolts(units: string): number | null {
  const u = units.trim();
  if (/^(uV|µV|μV)$/i.test(u) || u === '\xb5V') return 1e-3;
  if (/^mV$/i.test(u)) return 1;
  if (/^V$/i.test(u)) return 1e3;
  if (/^nV$/i.test(u)) return 1e-6;
  return null;
}

/** The ECG channel: by label (case-insensitive, exact or as a word), else the first labelled ECG/EKG, else the first ordinary signal. */
export function pickEdfLead(header: EdfHeader, lead: string | undefined, source: string): number {
  const ordinary = header.signals.map((s, i) => ({ s, i })).filter(({ s }) => !s.isAnnotations);
  if (ordinary.length === 0) throw new Error(`${source}: no signal channels (only annotations)`);
  if (lead !== undefined) {
    const want = lead.toLowerCase();
    const hit = ordinary.find(({ s }) => s.label.toLowerCase() === want)
      ?? ordinary.find(({ s }) => s.label.toLowerCase().split(/[\s,;:/-]+/).includes(want));
    if (!hit) throw new Error(`${source}: no lead "${lead}" (signals: ${ordinary.map(({ s }) => s.label || '(unlabelled)').join(', ')})`);
    return hit.i;
  }
  return (ordinary.find(({ s }) => /\b(ecg|ekg)\b/i.test(s.label)) ?? ordinary[0]).i;
}
