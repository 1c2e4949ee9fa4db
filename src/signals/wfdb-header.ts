// WFDB header (.hea) parsing: the record line and one line per signal, as PhysioNet's
// "header(5)" specification describes them. Pure text in, a checked description out; no files.
//   record line: NAME[/SEGMENTS] NSIG [FS[/COUNTERFREQ[(BASECOUNTER)]] [NSAMP [BASETIME [BASEDATE]]]]
//   signal line: FILE FORMAT[xSPF][:SKEW][+OFFSET] [GAIN[(BASELINE)][/UNITS] [ADCRES [ADCZERO [INITVAL [CHECKSUM [BLOCKSIZE [DESCRIPTION]]]]]]]

export interface SignalSpec {
  /** Signal file name, relative to the header's folder. */
  file: string;
  /** Storage format (wfdb-signal.ts): 212, 16, 8, 61, 80, 310 or 311. */
  format: number;
  /** ADC units per physical unit (WFDB's default 200 when the header says 0 or nothing). */
  gain: number;
  /** ADC value of 0 physical units (defaults to adcZero). */
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  /** First sample's ADC value, when given: checked against the data. */
  initialValue: number | null;
  /** 16-bit sum of all samples, when given: checked against the data. */
  checksum: number | null;
  /** Lead name, e.g. "MLII", "V1". */
  description: string;
  /** Byte offset of the first sample in the file. */
  byteOffset: number;
  /** Samples of this signal in each frame (the "x200" of "16x200"); its rate is fs times this. */
  samplesPerFrame: number;
}

export interface RecordHeader {
  name: string;
  /** Frames per second (a signal with k samples per frame runs at k * fs). */
  fs: number;
  /** Frames, or null when the header does not say (then the file length decides). */
  samples: number | null;
  signals: SignalSpec[];
}

export const SUPPORTED_FORMATS: readonly number[] = [212, 16, 8, 61, 80, 310, 311];
const DEFAULT_GAIN = 200;
/** Bits per sample when the header does not say. */
const DEFAULT_RESOLUTION: Record<number, number> = { 212: 12, 16: 16, 61: 16, 8: 8, 80: 8, 310: 10, 311: 10 };
/** Highest sampling rate (per signal) accepted: far above any ECG, far below a mistyped field. */
export const MAX_WFDB_RATE = 100_000;
/** ADC units per physical unit accepted: 1e-40 or 1e40 is a corrupt header, not a recording. */
const GAIN_RANGE = [1e-6, 1e9] as const;

/** Parses a header's text; `source` (the file path) names every error. */
export function parseWfdbHeader(text: string, source: string): RecordHeader {
  // Comment lines start with '#'; everything after a '#' on a line is a comment too.
  const lines = text.split(/\r?\n/).map((l, i) => ({ n: i + 1, text: l.replace(/#.*$/, '').trim() })).filter((l) => l.text !== '');
  if (lines.length === 0) throw new Error(`${source}: empty header (no record line)`);
  const rec = lines[0];
  const f = rec.text.split(/\s+/);
  const at = (field: string, line = rec.n) => `${source}:${line}: ${field}`;
  const [name, segments] = f[0].split('/');
  if (segments !== undefined) throw new Error(`${at('record name')}: multi-segment records ("${f[0]}") are not supported`);
  const nsig = Number(f[1]);
  if (!Number.isInteger(nsig) || nsig < 1) throw new Error(`${at('number of signals')}: expected a positive integer, got "${f[1] ?? ''}"`);
  const fsText = (f[2] ?? '250').split('/')[0];
  const fs = Number(fsText);
  if (!(fs > 0) || !Number.isFinite(fs)) throw new Error(`${at('sampling frequency')}: expected a positive number, got "${f[2]}"`);
  if (fs > MAX_WFDB_RATE) throw new Error(`${at('sampling frequency')}: ${fs} Hz is over ${MAX_WFDB_RATE} Hz`);
  let samples: number | null = null;
  if (f[3] !== undefined) {
    samples = Number(f[3]);
    if (!Number.isInteger(samples) || samples < 0) throw new Error(`${at('number of samples')}: expected a non-negative integer, got "${f[3]}"`);
    if (samples === 0) samples = null; // 0 means "not stated"
  }
  const sigLines = lines.slice(1, 1 + nsig);
  if (sigLines.length < nsig) {
    throw new Error(`${source}: the record line says ${nsig} signals, the header has ${sigLines.length} signal line(s)`);
  }
  const signals = sigLines.map((l) => parseSignalLine(l.text, (field) => at(field, l.n)));
  signals.forEach((s, i) => {
    if (fs * s.samplesPerFrame > MAX_WFDB_RATE) throw new Error(`${at('format', sigLines[i].n)}: ${s.samplesPerFrame} samples per frame at ${fs} Hz is ${fs * s.samplesPerFrame} Hz, over ${MAX_WFDB_RATE} Hz`);
    // Signal files live next to the header: a name with a folder in it ("../x", "/dev/zero") is refused.
    if (s.file === '.' || s.file === '..' || /[\\/]/.test(s.file) || s.file === '-') {
      throw new Error(`${at('file name', sigLines[i].n)}: "${s.file}" must be a plain file name in the header's folder`);
    }
  });
  return { name, fs, samples, signals };
}

function parseSignalLine(text: string, at: (field: string) => string): SignalSpec {
  const f = text.split(/\s+/);
  const file = f[0];
  const fm = /^(\d+)(?:x(\d+))?(?::(-?\d+))?(?:\+(\d+))?$/.exec(f[1] ?? '');
  if (!fm) throw new Error(`${at('format')}: expected e.g. 212 or 16, got "${f[1] ?? ''}"`);
  const format = Number(fm[1]);
  if (!SUPPORTED_FORMATS.includes(format)) {
    throw new Error(`${at('format')}: format ${format} is not supported (supported: ${SUPPORTED_FORMATS.join(', ')})`);
  }
  const samplesPerFrame = fm[2] !== undefined ? Number(fm[2]) : 1;
  if (!(samplesPerFrame >= 1 && samplesPerFrame <= 1_000_000)) throw new Error(`${at('format')}: samples per frame must be 1 to 1000000, got ${fm[2]}`);
  if (fm[3] !== undefined && fm[3] !== '0') throw new Error(`${at('format')}: skew ${fm[3]} is not supported`);
  const byteOffset = fm[4] !== undefined ? Number(fm[4]) : 0;

  // GAIN[(BASELINE)][/UNITS]
  let gain = DEFAULT_GAIN, baseline: number | null = null, units = 'mV';
  if (f[2] !== undefined) {
    const gm = /^([-+\d.eE]+)(?:\((-?\d+)\))?(?:\/(\S+))?$/.exec(f[2]);
    if (!gm || !Number.isFinite(Number(gm[1]))) throw new Error(`${at('gain')}: expected a number like 200 or 200(1024)/mV, got "${f[2]}"`);
    const g = Number(gm[1]);
    if (g < 0) throw new Error(`${at('gain')}: must not be negative, got ${g}`);
    if (g !== 0 && !(g >= GAIN_RANGE[0] && g <= GAIN_RANGE[1])) throw new Error(`${at('gain')}: ${g} is outside ${GAIN_RANGE[0]} to ${GAIN_RANGE[1]} ADC units per ${gm[3] ?? 'mV'}`);
    gain = g === 0 ? DEFAULT_GAIN : g;
    if (gm[2] !== undefined) baseline = Number(gm[2]);
    if (gm[3] !== undefined) units = gm[3];
  }
  const int = (i: number, field: string, fallback: number | null): number | null => {
    if (f[i] === undefined) return fallback;
    const v = Number(f[i]);
    if (!/^[+-]?\d+$/.test(f[i]) || !Number.isSafeInteger(v)) throw new Error(`${at(field)}: expected an integer, got "${f[i]}"`);
    return v;
  };
  const adcResolution = int(3, 'ADC resolution', DEFAULT_RESOLUTION[format] ?? 16)!;
  const adcZero = int(4, 'ADC zero', 0)!;
  const initialValue = int(5, 'initial value', null);
  const checksum = int(6, 'checksum', null);
  const blockSize = int(7, 'block size', 0);
  if (blockSize !== 0) throw new Error(`${at('block size')}: block size ${blockSize} is not supported`);
  const description = f.slice(8).join(' ');
  return { file, format, gain, baseline: baseline ?? adcZero, units, adcResolution, adcZero, initialValue, checksum, description, byteOffset, samplesPerFrame };
}
