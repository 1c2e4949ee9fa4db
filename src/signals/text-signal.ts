// One-column text signals: a CSV or text file with one sample per line (an optional header line,
// or several columns of which one is chosen), and the same text arriving in chunks on stdin.

/**
 * Parses a whole text signal. `column` picks a column of a CSV (0-based); a first line that is
 * not numeric is taken as a header. Errors name the file, line and column.
 */
export function parseTextSignal(text: string, source: string, column = 0): Float32Array {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/[,;\t ]+/);
    if (column >= cells.length) throw new Error(`${source}:${i + 1}: has ${cells.length} column(s), no column ${column + 1}`);
    const v = Number(cells[column]);
    if (cells[column] === '' || !Number.isFinite(v)) {
      if (out.length === 0 && i === firstContentLine(lines)) continue; // a header line
      throw new Error(`${source}:${i + 1}: column ${column + 1} is "${cells[column]}", not a finite number`);
    }
    out.push(v);
  }
  if (out.length === 0) throw new Error(`${source}: no samples`);
  return Float32Array.from(out);
}

function firstContentLine(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/**
 * Incremental parser for samples arriving in arbitrary chunks (a live stream): whitespace or
 * newline separated numbers; a line split across two chunks is joined. Same values as
 * parseTextSignal on the concatenated text.
 */
export class TextSampleStream {
  private rest = '';
  private line = 1;
  private sawSample = false;

  constructor(private readonly source: string) {}

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
      const line = part.replace(/#.*$/, '');
      for (const token of line.split(/[\s,;]+/)) {
        if (token === '') continue;
        const v = Number(token);
        if (!Number.isFinite(v)) {
          if (!this.sawSample && this.line === 1) continue; // a header on the first line
          throw new Error(`${this.source}:${this.line}: "${token}" is not a finite number`);
        }
        this.sawSample = true;
        out.push(v);
      }
    }
    return Float32Array.from(out);
  }
}
