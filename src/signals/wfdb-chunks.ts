// Decoding one WFDB signal file piece by piece, so a 24-hour or 7-day record never sits in
// memory whole. Bytes may arrive cut anywhere (mid-frame, mid 3-byte 212 pair, mid 310/311
// group): the decoder keeps the cut-off tail and decodes only whole units, where a unit is the
// fewest frames whose samples fill whole groups (212: 2 samples in 3 bytes; 310/311: 3 in 4).
// Format 8's difference chains carry over from piece to piece. The arrays handed back are reused
// by the next push or end (copy what must be kept), so a long record makes no garbage per chunk.
// Pure bytes in, numbers out.

import { bytesFor, decodeStreamInto } from './wfdb-signal.ts';

const SAMPLES_PER_GROUP: Record<number, number> = { 212: 2, 310: 3, 311: 3 };
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export class WfdbChunkDecoder {
  private readonly frameSize: number;
  /** Frames in one unit, and the bytes they take. */
  private readonly unitFrames: number;
  readonly unitBytes: number;
  /** Bytes the frames take (310/311: whole groups); bytes past them are not decoded. */
  readonly byteLength: number;
  private rest = new Uint8Array(0);
  private framesLeft: number;
  /** Format 8: each signal's last value, where its next piece's chain starts. */
  private readonly chain: number[];
  /** Reused: the decoded stream (all signals interleaved), then each signal's samples. */
  private stream = new Int16Array(0);
  private outs: Int16Array[];

  /**
   * @param format     the file's storage format
   * @param spf        samples per frame of each signal in the file, in header order
   * @param frames     frames the file holds (checked against its length beforehand: framesInFile)
   * @param initial    each signal's initial value (format 8's chain start)
   */
  constructor(private readonly format: number, private readonly spf: readonly number[], frames: number, initial: readonly number[] = []) {
    this.frameSize = spf.reduce((a, b) => a + b, 0);
    const group = SAMPLES_PER_GROUP[format] ?? 1;
    this.unitFrames = group / gcd(this.frameSize, group);
    this.unitBytes = bytesFor(format, this.unitFrames * this.frameSize);
    this.framesLeft = frames;
    this.byteLength = bytesFor(format, frames * this.frameSize);
    this.chain = spf.map((_, j) => initial[j] ?? 0);
    this.outs = spf.map(() => new Int16Array(0));
  }

  /** The whole units among the bytes so far (one Int16Array per signal; empty when none is complete). */
  push(bytes: Uint8Array): Int16Array[] {
    const buf = this.rest.length === 0 ? bytes : concat(this.rest, bytes);
    const units = Math.min(Math.floor(buf.length / this.unitBytes), Math.floor(this.framesLeft / this.unitFrames));
    const used = units * this.unitBytes;
    // Copy the tail: `bytes` may be a reused read buffer.
    this.rest = buf.slice(used);
    return this.decode(buf.subarray(0, used), units * this.unitFrames);
  }

  /** The frames left after the last whole unit (a last 212 sample or 310/311 group may be short). */
  end(): Int16Array[] {
    const out = this.decode(this.rest, this.framesLeft);
    this.rest = new Uint8Array(0);
    return out;
  }

  private decode(bytes: Uint8Array, frames: number): Int16Array[] {
    const total = frames * this.frameSize;
    if (this.stream.length < total) {
      this.stream = new Int16Array(total);
      this.outs = this.spf.map((k) => new Int16Array(frames * k));
    }
    const stream = decodeStreamInto(bytes, this.format, total, this.stream);
    const out = this.spf.map((k, j) => this.outs[j].subarray(0, frames * k));
    // Frame f holds signal 0's spf[0] samples, then signal 1's, ...
    for (let f = 0, i = 0; f < frames; f++) {
      for (let j = 0; j < this.spf.length; j++) {
        const o = out[j];
        for (let n = 0, base = f * this.spf[j]; n < this.spf[j]; n++) o[base + n] = stream[i++];
      }
    }
    if (this.format === 8) {
      out.forEach((o, j) => {
        let v = this.chain[j];
        for (let n = 0; n < o.length; n++) { v = (v + o[n]) | 0; o[n] = v; }
        this.chain[j] = v;
      });
    }
    this.framesLeft -= frames;
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
