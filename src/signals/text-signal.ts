// Text signals from files, devices and stdin: one or more columns (comma, semicolon, tab or space
// separated), with or without a header, samples in mV or µV. What comes before the first data
// line is the preamble (preamble.ts): "Key,Value" lines such as an Apple Watch export's
// "Sample Rate,512 hertz" and "Unit,µV", and a line of column names ("timestamp;ecg [uV]", as a
// Polar H10 logger writes). From it come the sampling rate, the unit and the ECG column; what it
// does not state comes from --fs, --unit and --column, and what neither states is an error.
// A data line starts with a number (or a digit, for a timestamp); samples are scaled to mV.
// The same parser reads a whole file and text arriving in chunks on stdin, so both give the
// same samples; errors name the source, the line and the field.

import { interpretPreamble, splitCells, type TextLayout, type TextOptions } from './preamble.ts';

export type { TextLayout, TextOptions } from './preamble.ts';

/** A decimal number ("1.5", "-2e-3"); "0x10", "1_000", "" and "Infinity" are not samples. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A data line's first cell starts like a number or a timestamp; NaN/Infinity count as (bad) data, not as names. */
const isDataLine = (cells: string[]) => /^[+\-.\d]/.test(cells[0]) || cells.some((c) => /^[+-]?(nan|inf(inity)?)$/i.test(c));

export interface TextSignal extends TextLayout { samples: Float32Array }

/** Parses a whole text signal (samples in mV). */
export function readTextSignal(text: string, source: string, opts: TextOptions = {}): TextSignal {
  const stream = new TextSampleStream(source, opts);
  const a = stream.push(text), b = stream.end();
  if (a.length + b.length === 0) throw new Error(`${source}: no samples`);
  const samples = new Float32Array(a.length + b.length);
  samples.set(a); samples.set(b, a.length);
  return { ...stream.layout!, samples };
}

/** The samples alone; `column` (0-based) picks a column when there is no header to name the ECG. */
export function parseTextSignal(text: string, source: string, column?: number): Float32Array {
  return readTextSignal(text, source, column === undefined ? {} : { column }).samples;
}

/**
 * Incremental parser for samples arriving in arbitrary chunks (a live stream); a line split
 * across two chunks is joined. The preamble waits until the first data line settles the layout.
 */
export class TextSampleStream {
  private rest = '';
  private line = 0;
  private readonly preamble: { text: string; line: number }[] = [];
  /** Known once the first data line is read. */
  layout: TextLayout | null = null;
  private scale = 1;

  constructor(private readonly source: string, private readonly opts: TextOptions = {}) {}

  /** Samples completed by this chunk. */
  push(chunk: string): Float32Array {
    const text = this.rest + chunk;
    // Only whole lines are parsed: a number or a comment split across chunks waits for its end.
    const cut = text.lastIndexOf('\n');
    this.rest = text.slice(cut + 1);
    return this.parse(cut >= 0 ? text.slice(0, cut).split('\n') : []);
  }

  /** Whatever remains after the last chunk. */
  end(): Float32Array {
    const text = this.rest;
    this.rest = '';
    const out = this.parse([text]);
    if (!this.layout && this.preamble.length > 0) this.settle(null);
    return out;
  }

  private parse(lines: string[]): Float32Array {
    const out: number[] = [];
    for (const raw of lines) {
      this.line++;
      const line = raw.replace(/\r$/, '').replace(/#.*$/, '').trim();
      if (line === '') continue;
      const cells = splitCells(line);
      if (!this.layout) {
        if (!isDataLine(cells)) { this.preamble.push({ text: line, line: this.line }); continue; }
        this.settle(cells);
      }
      const col = this.layout!.column;
      if (col >= cells.length) throw new Error(`${this.source}:${this.line}: has ${cells.length} field(s), no column ${col + 1} (${this.layout!.columnName})`);
      const cell = cells[col];
      if (!DECIMAL.test(cell)) throw new Error(`${this.source}:${this.line}: column ${col + 1} (${this.layout!.columnName}) is "${cell}", not a decimal number`);
      out.push(Number(cell) * this.scale);
    }
    return Float32Array.from(out);
  }

  private settle(firstData: string[] | null): void {
    this.layout = interpretPreamble(this.preamble, firstData, this.source, this.opts);
    this.scale = this.layout.toMillivolts;
  }
}
