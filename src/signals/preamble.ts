// What a text signal's preamble (the lines before its first data line) says about the samples:
//   "Key,Value" (or "Key: Value") lines: Sample Rate / Sampling Frequency / fs -> the rate
//     ("512 hertz", "130 Hz", "1 kHz", "250"); Unit / Units -> the unit; Lead -> the lead's name;
//     any other key (Name, Date of Birth, Device, ...) is kept out of the way;
//   a line with as many fields as the data lines: the column names, each perhaps with its unit
//     ("ecg [uV]", "ECG (mV)", "uV"); the ECG column is the one named like an ECG.
// Flags (--fs, --unit, --column) fill what it does not state; a flag that contradicts it is an
// error, and so is a multi-column file whose ECG column cannot be told.

export interface TextOptions {
  fs?: number;
  /** "mV", "uV", "µV" or "V". */
  unit?: string;
  /** 0-based column of the ECG. */
  column?: number;
}

export interface TextLayout {
  /** 0-based column read. */
  column: number;
  /** Its header name, or "column N". */
  columnName: string;
  /** Samples per second, when the preamble or --fs states it. */
  fs: number | null;
  /** The unit as stated ("µV", "mV", "V"), or "mV" when nothing states one. */
  unit: string;
  unitStated: boolean;
  /** Factor from the file's unit to mV. */
  toMillivolts: number;
  /** The preamble's "Lead" value, when it has one. */
  lead: string | null;
}

/** Fields of a line: split at commas, semicolons or tabs when it has any, else at spaces. */
export function splitCells(line: string): string[] {
  return (/[,;\t]/.test(line) ? line.split(/[,;\t]/) : line.split(/\s+/)).map((c) => c.trim());
}

const RATE_KEY = /^(sample|sampling)[ _-]?(rate|frequency|freq)(\s*\(hz\))?$|^samplerate$|^fs$|^frequency$/i;
const UNIT_KEY = /^(unit|units|physical dimension)$/i;
const LEAD_KEY = /^lead$/i;
const ECG_NAME = /ecg|ekg|\blead\b|mlii|voltage|\bsignal\b|^(mv|uv|µv|μv)$/i;
const NOT_ECG = /time|stamp|date|index|^sample\s*#?$|^n$/i;

/** mV per unit, or null for a string that is not a voltage unit. */
export function millivoltsPer(unit: string): number | null {
  const u = unit.trim().replace(/^micro ?volts?$/i, 'uv').replace(/^milli ?volts?$/i, 'mv').replace(/^volts?$/i, 'v').toLowerCase();
  if (u === 'mv') return 1;
  if (u === 'uv' || u === 'µv' || u === 'μv') return 1e-3;
  if (u === 'v') return 1e3;
  return null;
}

/** "512 hertz", "130 Hz", "1 kHz", "250" -> Hz, else null. */
function parseRate(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(hz|hertz|khz)?$/i.exec(text.trim());
  if (!m) return null;
  const v = Number(m[1]) * (m[2]?.toLowerCase() === 'khz' ? 1000 : 1);
  return v > 0 ? v : null;
}

/** A header cell's unit: "ecg [uV]", "ECG (mV)", "ecg_uv" or a bare "uV". */
function unitOfName(name: string): string | null {
  const bracket = /[[(]\s*([^\])]+?)\s*[\])]/.exec(name);
  if (bracket && millivoltsPer(bracket[1]) !== null) return bracket[1];
  const suffix = /(?:^|[_\s-])(mv|uv|µv|μv)$/i.exec(name);
  return suffix ? suffix[1] : null;
}

function keyValue(line: string): [string, string] | null {
  const cells = splitCells(line);
  if (/[,;\t]/.test(line) && cells.length >= 2) return [cells[0], cells.slice(1).filter((c) => c !== '').join(', ')];
  const m = /^([A-Za-z][\w ]*?)\s*[:=]\s*(.+)$/.exec(line);
  return m ? [m[1], m[2]] : null;
}

/**
 * `lines`: the preamble with their line numbers; `firstData`: the first data line's fields (null
 * when the text has none). `source` names the errors.
 */
export function interpretPreamble(lines: readonly { text: string; line: number }[], firstData: string[] | null, source: string, opts: TextOptions): TextLayout {
  let fs: { value: number; line: number } | null = null;
  let unit: { value: string; line: number; what: string } | null = null;
  let lead: string | null = null;
  let header: { cells: string[]; line: number } | null = null;
  const width = firstData?.length ?? 0;
  for (const { text, line } of lines) {
    const kv = keyValue(text);
    if (kv && RATE_KEY.test(kv[0])) {
      const v = parseRate(kv[1]);
      if (v === null) throw new Error(`${source}:${line}: field "${kv[0]}" is "${kv[1]}", not a sampling rate like "512 hertz" or "250 Hz"`);
      fs = { value: v, line };
    } else if (kv && UNIT_KEY.test(kv[0])) {
      if (millivoltsPer(kv[1]) === null) throw new Error(`${source}:${line}: field "${kv[0]}" is "${kv[1]}", not a voltage unit (mV, µV, uV, V)`);
      unit = { value: kv[1], line, what: `field "${kv[0]}"` };
    } else if (kv && LEAD_KEY.test(kv[0])) {
      lead = kv[1];
    } else if (splitCells(text).length === width) {
      header = { cells: splitCells(text), line };
    }
  }
  const column = chooseColumn(header, width, source, opts, firstData);
  const columnName = header ? header.cells[column] : `column ${column + 1}`;
  const named = header ? unitOfName(header.cells[column]) : null;
  if (named !== null) {
    if (unit && millivoltsPer(unit.value) !== millivoltsPer(named)) {
      throw new Error(`${source}:${header!.line}: column "${columnName}" is in ${named}, but line ${unit.line} says ${unit.value}`);
    }
    unit = { value: named, line: header!.line, what: `column "${columnName}"` };
  }
  if (opts.unit !== undefined) {
    const flag = millivoltsPer(opts.unit);
    if (flag === null) throw new Error(`--unit must be mV, uV, µV or V, got "${opts.unit}"`);
    if (unit && millivoltsPer(unit.value) !== flag) throw new Error(`--unit ${opts.unit} disagrees with ${source}:${unit.line} (${unit.what}: ${unit.value})`);
    unit ??= { value: opts.unit, line: 0, what: '--unit' };
  }
  if (fs && opts.fs !== undefined && Math.abs(fs.value - opts.fs) > 1e-9 * fs.value) {
    throw new Error(`--fs ${opts.fs} disagrees with ${source}:${fs.line}, which says ${fs.value} Hz`);
  }
  return { column, columnName, fs: fs?.value ?? opts.fs ?? null, unit: unit?.value ?? 'mV', unitStated: unit !== null,
    toMillivolts: unit ? millivoltsPer(unit.value)! : 1, lead };
}

function chooseColumn(header: { cells: string[]; line: number } | null, width: number, source: string, opts: TextOptions, firstData: string[] | null): number {
  if (opts.column !== undefined) {
    if (firstData && opts.column >= width) throw new Error(`${source}: --column ${opts.column + 1}, but its data lines have ${width} field(s)`);
    return opts.column;
  }
  if (width <= 1) return 0;
  if (!header) throw new Error(`${source}: ${width} fields per line and no header line naming the ECG column: give --column N (1-based)`);
  const ecg = header.cells.map((c, i) => [c, i] as const).filter(([c]) => ECG_NAME.test(c) && !NOT_ECG.test(c));
  if (ecg.length === 1) return ecg[0][1];
  const names = header.cells.map((c) => `"${c}"`).join(', ');
  if (ecg.length === 0) throw new Error(`${source}:${header.line}: no column is named like an ECG (ecg, ekg, lead, mV, uV) among ${names}: give --column N (1-based)`);
  throw new Error(`${source}:${header.line}: several columns could be the ECG (${ecg.map(([c]) => `"${c}"`).join(', ')}): give --column N (1-based)`);
}
