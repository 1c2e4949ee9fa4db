// One-column text signals: a CSV or text file with one sample per line (an optional header line,
// or several columns of which one is chosen), and the same text arriving in chunks on stdin.

/** A decimal number ("1.5", "-2e-3"); "0x10", "1_000", "" and "Infinity" are not samples. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A header cell is a name: letters (not an exponent such as 1e-3), and not a spelling of NaN or Infinity (those are bad samples). */
const isHeaderLine = (cells: string[]) => cells.some((c) => /[a-z]/i.test(c) && !DECIMAL.test(c)) && !cells.some((c) => /^[+-]?(nan|inf(inity)?)$/i.test(c));

/**
 * Reads one line's sample from `column` (0-based): a number, null for a blank, comment or
 * header line (only the first content line may be a header). Errors name the line and column.
 */
function sampleOfLine(raw: string, lineNo: number, firstContent: boolean, source: string, column: number): number | null {
  const line = raw.replace(/#.*$/, '').trim();
  if (line === '') return null;
  const cells = line.split(/[,;\t ]+/);
  if (firstContent && isHeaderLine(cells)) return null;
  if (column >= cells.length) throw new Error(`${source}:${lineNo}: has ${cells.length} column(s), no column ${column + 1}`);
  const cell = cells[column];
  if (!DECIMAL.test(cell)) throw new Error(`${source}:${lineNo}: column ${column + 1} is "${cell}", not a decimal number`);
  return Number(cell);
}

/**
 * Parses a whole text signal. `column` picks a column of a CSV (0-based); a first line of names
 * is taken as a header. Errors name the file, line and column.
 */
export function parseTextSignal(text: string, source: string, column = 0): Float32Array {
  const stream = new TextSampleStream(source, column);
  const a = stream.push(text), b = stream.end();
  if (a.length + b.length === 0) throw new Error(`${source}: no samples`);
  const out = new Float32Array(a.length + b.length);
  out.set(a); out.set(b, a.length);
  return out;
}

/**
 * Incremental parser for samples arriving in arbitrary chunks (a live stream): one sample per
 * line from `column`; a line split across two chunks is joined. The same parser as
 * parseTextSignal, so a file and the same bytes piped give the same samples.
 */
export class TextSampleStream {
  private rest = '';
  private line = 1;
  private sawContent = false;

  constructor(private readonly source: string, private readonly column = 0) {}

  /** Samples completed by this chunk. */
  push(chunk: string): Float32Array {
    const text = this.rest + chunk;
    // Only whole lines are parsed: a number or a comment split across chunks waits for its end.
    const cut = text.lastIndexOf('\n');
    this.rest = text.slice(cut + 1);
    return this.parse(text.slice(0, cut + 1));
  }

  /** Whatever remains after the last chunk. */
  end(): Float32Array {
    const text = this.rest;
    this.rest = '';
    return this.parse(text);
  }

  private parse(text: string): Float32Array {
    const out: number[] = [];
    for (const [k, part] of text.split('\n').entries()) {
      if (k > 0) this.line++;
      const v = sampleOfLine(part.replace(/\r$/, ''), this.line, !this.sawContent, this.source, this.column);
      if (part.replace(/#.*$/, '').trim() !== '') this.sawContent = true;
      if (v !== null) out.push(v);
    }
    return Float32Array.from(out);
  }
}
