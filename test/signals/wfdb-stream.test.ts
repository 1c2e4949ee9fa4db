// The monitor's streamed WFDB input (wfdb-chunks.ts, wfdb-stream-node.ts) against the whole-record
// decoder, sample for sample: MIT-BIH 100 and 232, synthetic format 16 and 212 records whose frames
// and 212 pairs are cut across reads, every format's bytes cut at odd places, the refusals made
// before the first sample, and memory that does not grow with the record (a child process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { WfdbChunkDecoder } from '../../src/signals/wfdb-chunks.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { bytesFor, decodeSignalFile } from '../../src/signals/wfdb-signal.ts';
import { openWfdbLeadStream } from '../../src/signals/wfdb-stream-node.ts';
import { openSignalInput } from '../../src/signals/signal-input-node.ts';
import { MITDB } from './paths.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'wfdb-stream-'));

async function collect(chunks: AsyncIterable<Float32Array>): Promise<{ samples: Float32Array; count: number; longest: number }> {
  const parts: Float32Array[] = [];
  for await (const c of chunks) parts.push(Float32Array.from(c));
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { samples.set(p, o); o += p.length; }
  return { samples, count: parts.length, longest: Math.max(0, ...parts.map((p) => p.length)) };
}

/** Random bytes cut into pieces of 1 to `most` bytes. */
function pieces(bytes: Uint8Array, rng: () => number, most: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) { const n = 1 + Math.floor(rng() * most); out.push(bytes.subarray(i, i + n)); i += n; }
  return out;
}

const sum16 = (a: Int16Array) => { let s = 0; for (const v of a) s = (s + v) | 0; return (s << 16) >> 16; };

/** A record of random bytes in `format` with signals of `spf` samples per frame; the header states initial values and checksums. */
function writeRandomRecord(dir: string, name: string, format: number, spf: number[], frames: number, seed: string): void {
  const rng = seedrandom(seed);
  const bytes = Uint8Array.from({ length: bytesFor(format, frames * spf.reduce((a, b) => a + b, 0)) }, () => Math.floor(rng() * 256));
  const adc = decodeSignalFile(bytes, format, spf, frames);
  writeFileSync(path.join(dir, `${name}.dat`), bytes);
  writeFileSync(path.join(dir, `${name}.hea`), `${name} ${spf.length} 250 ${frames}\n` + spf.map((k, j) =>
    `${name}.dat ${format}${k > 1 ? `x${k}` : ''} 100(${j * 3})/mV 12 0 ${adc[j][0]} ${sum16(adc[j])} 0 L${j}`).join('\n') + '\n');
}

describe('streamed WFDB input', () => {
  it('MIT-BIH 100 and 232: the streamed lead equals the whole-record lead, sample for sample, whatever the read size', async () => {
    for (const [record, second] of [['100', 'V5'], ['232', 'V1']]) {
      for (const lead of [undefined, second]) {
        const whole = readWfdbLead(path.join(MITDB, record), lead).samples;
        for (const chunkBytes of [1001, 2 ** 20]) {
          const s = openWfdbLeadStream(path.join(MITDB, record), lead, { chunkBytes });
          expect(s.total).toBe(650000);
          const got = await collect(s.chunks);
          expect(got.samples.length, `${record} ${lead} ${chunkBytes}`).toBe(whole.length);
          expect(got.samples.every((v, i) => v === whole[i]), `${record} ${lead ?? 'first'} read ${chunkBytes}`).toBe(true);
          expect(got.longest).toBeLessThanOrEqual(3600); // 10 s at 360 Hz, as other files are chunked
        }
      }
    }
  });

  it('synthetic format 16 and 212 records (mixed samples per frame, odd counts) read in odd sizes equal the whole-record decoder', async () => {
    const dir = tmp();
    try {
      for (const [format, spf, frames] of [[16, [1, 2, 1], 1001], [212, [1, 2], 999], [212, [1, 1, 1], 1001], [16, [3], 7]] as const) {
        const name = `r${format}_${spf.join('')}`;
        writeRandomRecord(dir, name, format, [...spf], frames, name);
        for (let j = 0; j < spf.length; j++) {
          const whole = readWfdbLead(path.join(dir, name), `L${j}`).samples;
          expect(whole.length).toBe(frames * spf[j]);
          // Reads are rounded down to whole units (at least one): 1 and 7 bytes read one unit at a time; the odd cuts
          // inside a unit are the decoder's test below.
          for (const chunkBytes of [1, 7, 13, 4096]) {
            const got = await collect(openWfdbLeadStream(path.join(dir, name), `L${j}`, { chunkBytes }).chunks);
            expect(Array.from(got.samples), `${name} L${j} read ${chunkBytes}`).toEqual(Array.from(whole));
          }
        }
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('every format, its bytes cut anywhere (mid-frame, mid-group), decodes as the whole file does', () => {
    const rng = seedrandom('cuts');
    for (const format of [212, 16, 61, 80, 8, 310, 311]) {
      for (const spf of [[1], [1, 1], [2, 1, 1], [1, 3]]) {
        const frames = 200 + Math.floor(rng() * 50);
        const n = frames * spf.reduce((a, b) => a + b, 0);
        // 310/311 may end after the bytes of a short last group; 212 after an odd last sample's 2 bytes.
        const bytes = Uint8Array.from({ length: format === 310 || format === 311 ? [0, 2, 3][n % 3] + Math.floor(n / 3) * 4 : bytesFor(format, n) }, () => Math.floor(rng() * 256));
        const initial = spf.map((_, j) => 10 * j - 5);
        const whole = decodeSignalFile(bytes, format, spf, frames, initial);
        const decoder = new WfdbChunkDecoder(format, spf, frames, initial);
        // The decoder reuses its arrays: each piece's samples are copied out at once.
        const parts = [...pieces(bytes, rng, 11).map((p) => decoder.push(p).map((a) => Array.from(a))), decoder.end().map((a) => Array.from(a))];
        spf.forEach((_, j) => {
          const got = parts.flatMap((p) => p[j]);
          expect(got, `format ${format} spf ${spf.join(',')} signal ${j}`).toEqual(Array.from(whole[j]));
        });
      }
    }
  });

  it('refuses a corrupt, truncated or oversized record when opened, before any sample; the monitor input streams WFDB', async () => {
    const dir = tmp();
    try {
      writeRandomRecord(dir, 'r', 212, [1, 1], 1000, 'refusals');
      const hea = readFileSync(path.join(dir, 'r.hea'), 'utf8');
      const lines = hea.split('\n');
      const bad = lines[2].split(' '); bad[6] = String(Number(bad[6]) + 1);
      writeFileSync(path.join(dir, 'c.hea'), [lines[0], lines[1], bad.join(' ')].join('\n'));
      // A checksum that does not match: the other lead is asked for, yet the record is refused at once.
      expect(() => openWfdbLeadStream(path.join(dir, 'c'), 'L0')).toThrow(/r\.dat: signal 1 \(L1\) checksum is -?\d+, .*c\.hea says/);
      writeFileSync(path.join(dir, 't.hea'), hea.replace('r 2 250 1000', 'r 2 250 1001'));
      expect(() => openWfdbLeadStream(path.join(dir, 't'))).toThrow(/r\.dat: truncated: .*t\.hea says 1001 samples per signal/);
      writeFileSync(path.join(dir, 'o.hea'), hea.replace('r 2 250 1000', 'r 2 250 900'));
      expect(() => openWfdbLeadStream(path.join(dir, 'o'))).toThrow(/r\.dat: 3000 bytes, but .*o\.hea says 900 samples per signal \(number of samples\) = 2700 bytes/);
      writeFileSync(path.join(dir, 'z.hea'), hea.replaceAll('r.dat', '/dev/zero'));
      expect(() => openWfdbLeadStream(path.join(dir, 'z'))).toThrow(/"\/dev\/zero" must be a plain file name/);
      const input = openSignalInput(path.join(dir, 'r'), { lead: 'L1' });
      expect(input.total).toBe(1000);
      expect(Array.from((await collect(input.chunks)).samples)).toEqual(Array.from(readWfdbLead(path.join(dir, 'r'), 'L1').samples));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('a 2-hour record streams through the monitor input in bounded memory; reading it whole does not (child processes)', () => {
    const dir = tmp();
    try {
      // 2 h, 2 leads, format 16 at 360 Hz: 10.4 MB of file; decoded whole, 2 x 5.2 MB of ADC values plus 10.4 MB in mV.
      const frames = 2 * 3600 * 360;
      writeFileSync(path.join(dir, 'long.dat'), new Uint8Array(frames * 4));
      writeFileSync(path.join(dir, 'long.hea'), `long 2 360 ${frames}\nlong.dat 16 200 16 0 0 0 0 MLII\nlong.dat 16 200 16 0 0 0 0 V5\n`);
      const grow = (how: string): number => {
        const code = `
          const record = ${JSON.stringify(path.join(dir, 'long'))};
          const { openSignalInput } = await import(${JSON.stringify(path.resolve('src/signals/signal-input-node.ts'))});
          const { readWfdbLead } = await import(${JSON.stringify(path.resolve('src/signals/wfdb-node.ts'))});
          globalThis.gc?.();
          const before = process.memoryUsage().rss;
          let n = 0;
          if (${JSON.stringify(how)} === 'stream') { for await (const c of openSignalInput(record).chunks) n += c.length; }
          else n = readWfdbLead(record).samples.length;
          if (n !== ${frames}) throw new Error('read ' + n);
          console.log(JSON.stringify({ grewMB: (process.resourceUsage().maxRSS * 1024 - before) / 2 ** 20 }));`;
        const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
        return JSON.parse(r.stdout.trim().split('\n').at(-1)!).grewMB;
      };
      const streamed = grow('stream'), whole = grow('whole');
      // Peak RSS over the RSS after the imports. Streaming holds a 1 MiB read buffer, one decoded chunk
      // and what the collector has not yet freed (measured 16 MB); a whole read at least the 31 MB above (measured 40-50 MB).
      expect(streamed, `streamed grew ${streamed} MB, whole ${whole} MB`).toBeLessThan(24);
      expect(whole, `streamed grew ${streamed} MB, whole ${whole} MB`).toBeGreaterThan(30);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
