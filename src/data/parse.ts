// Parsers from a file's TEXT to a BeatSet. No file access here (see load-node.ts), so the same
// code parses an upload in a browser. Every format is strict: a malformed file fails with a
// DataFormatError naming the file, the 1-based line and the 1-based field; nothing is silently
// dropped, padded or trimmed. Blank lines are allowed only at the end of a file.
//
// Formats:
//   UCR .txt/.tsv   label first, then the values; fields separated by spaces or tabs
//   UCR .arff       header (@attribute ...) until @data, then comma-separated rows; the class
//                   attribute is the nominal one (last in UCR files)
//   CSV             comma-separated, label first or last, optional header row
//   Kaggle PTB      CSV with 187 values then the label (0 = normal, 1 = abnormal)

import { normalizeLabel, type BeatSet } from './dataset.ts';

/** A file that is not in the expected format. line and field are 1-based (null = whole file/line). */
export class DataFormatError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly field: number | null;
  constructor(message: string, where: { file: string; line?: number | null; field?: number | null }) {
    super(message);
    this.name = 'DataFormatError';
    this.file = where.file;
    this.line = where.line ?? null;
    this.field = where.field ?? null;
  }
}

export interface ParseOptions {
  /** File name used in error messages and as BeatSet.source. */
  source: string;
}

/** Where a row keeps its class label; 'none' = unlabelled beats (for scoring only). */
export type LabelColumn = 'first' | 'last' | 'none';

export interface CsvOptions extends ParseOptions {
  /** Which column holds the class label (default 'last'). */
  labelColumn?: LabelColumn;
  /** Whether the first row is a header: 'auto' (default) detects a non-numeric value field. */
  header?: boolean | 'auto';
}

// A plain decimal or exponent number; rejects "", "0x1f", "Infinity", "NaN" and "1,5".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function isNumber(field: string): boolean {
  return NUMBER.test(field);
}

/** Largest finite float32 (2^128 - 2^104). Beats are stored as float32: anything beyond is Infinity there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * True when x is a finite double that float32 can hold without overflowing to ±Infinity
 * (|x| <= FLOAT32_MAX). A double like 1e39 passes Number.isFinite but not this. Underflow to
 * 0 or a subnormal is not an error: the value is still a finite number.
 */
export function isFloat32Finite(x: number): boolean {
  return Math.abs(x) <= FLOAT32_MAX; // false for NaN and ±Infinity too
}

/**
 * Checks one beat value read from text: a plain decimal/exponent number whose value fits
 * float32. Returns the number, or throws a DataFormatError naming file, line and field (1-based).
 * Shared by every parser here and by the HTTP API's request validation.
 */
export function checkBeatValue(text: string, where: { file: string; line: number; field: number }, hint = ''): number {
  if (!isNumber(text)) throw notANumber(where.file, where.line, where.field, text, hint);
  const v = Number(text);
  if (!isFloat32Finite(v)) {
    throw new DataFormatError(`${where.file} line ${where.line}, field ${where.field}: "${text.slice(0, 40)}" is outside ` +
      `float32's range (beats are stored as float32, |value| <= ${FLOAT32_MAX})`, where);
  }
  return v;
}

/** Fewest samples in a beat: one sample has no shape to reconstruct. */
export const MIN_BEAT_LENGTH = 2;

/** One non-blank line of a file, already split into fields. */
interface Row { line: number; fields: string[] }

/**
 * The file's lines with their 1-based numbers, up to the last non-blank one. A blank line
 * before that is an error (it would be a silently dropped beat or a truncated file).
 */
function contentLines(text: string, source: string): { line: number; text: string }[] {
  // \r\n (Windows), \n and a lone \r (classic Mac) all end a line.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  if (last < 0) throw new DataFormatError(`${source}: file is empty (no beats)`, { file: source });
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i <= last; i++) {
    const t = lines[i];
    if (t.trim() === '') {
      throw new DataFormatError(`${source} line ${i + 1} is blank (blank lines are allowed only at the end of a file)`,
        { file: source, line: i + 1 });
    }
    out.push({ line: i + 1, text: t });
  }
  return out;
}

function notANumber(source: string, line: number, field: number, value: string, hint = ''): DataFormatError {
  return new DataFormatError(`${source} line ${line}, field ${field}: "${value}" is not a number${hint}`,
    { file: source, line, field });
}

/**
 * Packs rows into a BeatSet. Each row holds one label (first or last field) and the values;
 * every row must have as many values as the first one.
 */
function rowsToBeatSet(rows: Row[], labelColumn: LabelColumn, source: string, hint = ''): BeatSet {
  if (rows.length === 0) throw new DataFormatError(`${source}: file is empty (no beats)`, { file: source });
  const first = rows[0];
  const labelled = labelColumn !== 'none';
  const length = first.fields.length - (labelled ? 1 : 0);
  if (length < 1) {
    throw new DataFormatError(`${source} line ${first.line} has no values besides the label`, { file: source, line: first.line });
  }
  if (length < MIN_BEAT_LENGTH) {
    throw new DataFormatError(`${source} line ${first.line} has ${length} value${labelled ? ' besides the label' : ''}: ` +
      `a beat needs at least ${MIN_BEAT_LENGTH} samples (is the separator right?)`, { file: source, line: first.line });
  }
  const n = rows.length;
  const beats = new Float32Array(n * length);
  const labels: string[] = new Array(n);
  const valueStart = labelColumn === 'first' ? 1 : 0; // index of the first value in a row
  for (let r = 0; r < n; r++) {
    const { line, fields } = rows[r];
    if (fields.length - (labelled ? 1 : 0) !== length) {
      throw new DataFormatError(
        `${source} line ${line} has ${fields.length - (labelled ? 1 : 0)} values, expected ${length} (as line ${first.line})`,
        { file: source, line });
    }
    if (labelled) {
      const labelIndex = labelColumn === 'first' ? 0 : length;
      const label = fields[labelIndex];
      if (label === '') {
        throw new DataFormatError(`${source} line ${line}, field ${labelIndex + 1}: the label is empty`,
          { file: source, line, field: labelIndex + 1 });
      }
      labels[r] = normalizeLabel(label);
    } else {
      labels[r] = '';
    }
    const offset = r * length;
    for (let j = 0; j < length; j++) {
      beats[offset + j] = checkBeatValue(fields[valueStart + j], { file: source, line, field: valueStart + j + 1 }, hint);
    }
  }
  return { beats, n, length, labels, source };
}

/**
 * UCR text format (.txt, .tsv): the label, then the values, separated by spaces or tabs.
 * `unlabelled: true` reads rows of values only (beats to score).
 */
export function parseUcr(text: string, opts: ParseOptions & { unlabelled?: boolean }): BeatSet {
  const rows = contentLines(text, opts.source).map(({ line, text: t }) => ({ line, fields: t.trim().split(/\s+/) }));
  const hint = rows.length > 0 && rows[0].fields.length === 1 && rows[0].fields[0].includes(',')
    ? ' (the file looks comma-separated: read it as CSV)' : '';
  if (hint) throw notANumber(opts.source, rows[0].line, 1, rows[0].fields[0].slice(0, 40), hint);
  return rowsToBeatSet(rows, opts.unlabelled ? 'none' : 'first', opts.source);
}

/** Splits one CSV line: commas, surrounding spaces and double quotes removed. */
function splitCsvLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

/**
 * CSV: one beat per row, the label in the first or last column (option, default last).
 * A header row is detected when the first row has a non-numeric field other than the label.
 */
export function parseCsv(text: string, opts: CsvOptions): BeatSet {
  const labelColumn = opts.labelColumn ?? 'last';
  const guessedLayout = opts.labelColumn === undefined;
  const rows: Row[] = contentLines(text, opts.source).map(({ line, text: t }) => ({ line, fields: splitCsvLine(t, ',') }));
  let header = opts.header ?? 'auto';
  if (header === 'auto') {
    const f = rows[0].fields;
    const values = labelColumn === 'first' ? f.slice(1) : labelColumn === 'last' ? f.slice(0, -1) : f;
    header = values.some((v) => !isNumber(v));
  }
  if (header) {
    rows.shift();
    if (rows.length === 0) throw new DataFormatError(`${opts.source}: file is empty (a header row but no beats)`, { file: opts.source });
  }
  if (guessedLayout) refuseLabelFirstLayout(rows, opts.source);
  return rowsToBeatSet(rows, labelColumn, opts.source);
}

const isIntegerValued = (f: string) => isNumber(f) && Number.isInteger(Number(f));

/**
 * The default layout is label last. A file whose first column holds an integer in every row
 * (a class label such as 1 or 1.0e+00) while its last column holds numbers that are not all
 * integers (samples) is almost surely label-first: read label-last, every beat would be
 * shifted by one sample and labelled with its last sample. Refuse and ask for the flag.
 */
function refuseLabelFirstLayout(rows: Row[], source: string): void {
  if (rows.length === 0 || rows[0].fields.length < 3) return;
  if (!rows.every((r) => isIntegerValued(r.fields[0]))) return;
  if (!rows.every((r) => isNumber(r.fields[r.fields.length - 1]))) return; // a text label last: label-last indeed
  const sample = rows.find((r) => !isIntegerValued(r.fields[r.fields.length - 1]));
  if (!sample) return; // integers at both ends (e.g. raw ADC counts): nothing to tell them apart
  const field = sample.fields.length;
  throw new DataFormatError(`${source}: the first column looks like an integer class label (line ${rows[0].line}: ` +
    `"${rows[0].fields[0].slice(0, 20)}") but the last does not (line ${sample.line}, field ${field}: "${sample.fields[field - 1].slice(0, 20)}"); ` +
    'this file seems to keep its label first: pass --label-column first (or --label-column last if the last column really is the label)',
  { file: source, line: sample.line, field });
}

/** Beat length of Kaggle's PTB heartbeat CSVs (ptbdb_normal.csv, ptbdb_abnormal.csv). */
export const PTB_LENGTH = 187;

/**
 * Kaggle PTB heartbeat CSV: 187 values then the label (0 = normal, 1 = abnormal), no header.
 * Each beat is zero-padded to 187 samples in the original files; the padding is part of the
 * fixed-length format and is kept (nothing is trimmed or added).
 */
export function parsePtb(text: string, opts: ParseOptions): BeatSet {
  const set = parseCsv(text, { ...opts, labelColumn: 'last', header: false });
  if (set.length !== PTB_LENGTH) {
    throw new DataFormatError(`${opts.source} line 1: beats have ${set.length} values, the PTB format has ${PTB_LENGTH}`,
      { file: opts.source, line: 1 });
  }
  return { ...set, normalLabel: '0' };
}

/** Parses `@attribute name type`; returns the nominal values, or null for a numeric attribute. */
function parseAttribute(t: string, source: string, line: number): string[] | null {
  const m = /^@attribute\s+('[^']*'|"[^"]*"|\S+)\s+(.+)$/i.exec(t.trim());
  if (!m) throw new DataFormatError(`${source} line ${line}: malformed @attribute line`, { file: source, line });
  const type = m[2].trim();
  if (type.startsWith('{')) {
    if (!type.endsWith('}')) throw new DataFormatError(`${source} line ${line}: unterminated {...} in @attribute`, { file: source, line });
    return splitCsvLine(type.slice(1, -1), ',').map((v) => v.replace(/^'(.*)'$/, '$1'));
  }
  if (/^(numeric|real|integer)$/i.test(type)) return null;
  throw new DataFormatError(`${source} line ${line}: unsupported attribute type "${type}" (numeric or {nominal} only)`,
    { file: source, line });
}

/**
 * UCR .arff: header lines until @data, then comma-separated rows. The class attribute is the
 * nominal one: last in UCR files (first is accepted too); every label must be one of its values.
 */
export function parseArff(text: string, opts: ParseOptions): BeatSet {
  const { source } = opts;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const attributes: { line: number; nominal: string[] | null }[] = [];
  let dataStart = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('%')) continue;
    if (/^@data\b/i.test(t)) { dataStart = i + 1; break; }
    if (/^@attribute\b/i.test(t)) attributes.push({ line: i + 1, nominal: parseAttribute(t, source, i + 1) });
    else if (!/^@relation\b/i.test(t)) {
      throw new DataFormatError(`${source} line ${i + 1}: unexpected header line "${t.slice(0, 40)}"`, { file: source, line: i + 1 });
    }
  }
  if (dataStart < 0) {
    if (lines.every((l) => l.trim() === '')) throw new DataFormatError(`${source}: file is empty (no beats)`, { file: source });
    throw new DataFormatError(`${source}: no @data line (not an ARFF file?)`, { file: source });
  }
  const last = attributes[attributes.length - 1];
  const labelColumn: LabelColumn | null = last?.nominal ? 'last' : attributes[0]?.nominal ? 'first' : null;
  if (!labelColumn) {
    throw new DataFormatError(`${source}: no nominal class attribute (expected the last @attribute to be {class values})`, { file: source });
  }
  const classValues = new Set((labelColumn === 'last' ? last : attributes[0]).nominal!.map(normalizeLabel));

  // Data rows: the same blank-line rule as the other formats; % comments are allowed.
  const rows: Row[] = [];
  let lastContent = lines.length - 1;
  while (lastContent >= dataStart && lines[lastContent].trim() === '') lastContent--;
  for (let i = dataStart; i <= lastContent; i++) {
    const t = lines[i].trim();
    if (t.startsWith('%')) continue;
    if (t === '') throw new DataFormatError(`${source} line ${i + 1} is blank (blank lines are allowed only at the end of a file)`, { file: source, line: i + 1 });
    if (t.startsWith('{')) throw new DataFormatError(`${source} line ${i + 1}: sparse ARFF rows are not supported`, { file: source, line: i + 1 });
    const fields = splitCsvLine(t, ',').map((v) => v.replace(/^'(.*)'$/, '$1'));
    if (fields.length !== attributes.length) {
      throw new DataFormatError(`${source} line ${i + 1} has ${fields.length - 1} values, expected ${attributes.length - 1} (as the @attribute lines)`,
        { file: source, line: i + 1 });
    }
    rows.push({ line: i + 1, fields });
  }
  const set = rowsToBeatSet(rows, labelColumn, source);
  for (let r = 0; r < set.n; r++) {
    if (!classValues.has(set.labels[r])) {
      const field = labelColumn === 'first' ? 1 : set.length + 1;
      throw new DataFormatError(`${source} line ${rows[r].line}, field ${field}: label "${set.labels[r]}" is not one of the class values {${[...classValues].join(',')}}`,
        { file: source, line: rows[r].line, field });
    }
  }
  return set;
}
