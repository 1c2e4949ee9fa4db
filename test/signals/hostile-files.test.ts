// Hostile files (issue 24 item 7): 1 GB sparse files with valid-looking headers, a header whose
// counts do not match its data, absurd rates, a text stream cut mid-line: clear errors (file and
// field named) before anything large is read, and memory stays bounded.
import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEdfFile } from '../../src/signals/edf-node.ts';
import { openSignalInput } from '../../src/signals/signal-input-node.ts';
import { openEdfLeadStream } from '../../src/signals/edf-stream-node.ts';
import { edfRecordBytes, parseEdfHeader } from '../../src/signals/edf.ts';
import { TextSampleStream } from '../../src/signals/text-signal.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { writeEdf } from './edf-writer.ts';

const GB = 2 ** 30;
const tmp = () => mkdtempSync(path.join(tmpdir(), 'hostile-'));

/** A sparse file of `size` bytes starting with `head` (takes no disk space). */
function sparse(file: string, head: Uint8Array, size: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, head);
  closeSync(fd);
  truncateSync(file, size);
}

describe('hostile signal files', () => {
  it('1 GB sparse EDF, WFDB and text files are refused before they are read, in bounded memory', () => {
    const dir = tmp();
    const rss0 = process.memoryUsage().rss;
    // EDF whose header matches the 1 GB exactly: 1 signal, 65536 samples per record.
    const spr = 32768, records = Math.floor((GB - 512) / (2 * spr));
    const head = writeEdf({ recordDuration: 1, records: 0, raw: { records: String(records) }, signals: [{ label: 'ECG', units: 'uV', physicalMin: -1, physicalMax: 1, samplesPerRecord: spr }] });
    const edf = path.join(dir, 'huge.edf');
    sparse(edf, head, 512 + records * 2 * spr);
    expect(() => readEdfFile(edf)).toThrow(/huge\.edf: \d+ bytes; signal files over 512 MiB are not read into memory/);
    // The same size with a header that does not add up: the count mismatch is named.
    const off = path.join(dir, 'off.edf');
    sparse(off, head, GB);
    expect(() => readEdfFile(off)).toThrow(/off\.edf: 1073741824 bytes, but the header says 16383 data records/);
    // WFDB: a header claiming 500M samples of format 16 and a 1 GB sparse .dat.
    writeFileSync(path.join(dir, 'big.hea'), 'big 1 360 536870912\nbig.dat 16 200 16 0 0 0 0 ECG\n');
    sparse(path.join(dir, 'big.dat'), new Uint8Array(0), GB);
    expect(() => readWfdbLead(path.join(dir, 'big'))).toThrow(/big\.dat: 1073741824 bytes; signal files over 512 MiB are not read into memory/);
    // Text: 1 GB of zeros (NUL bytes) named .csv.
    const csv = path.join(dir, 'big.csv');
    sparse(csv, new TextEncoder().encode('ecg\n0.1\n'), GB);
    expect(() => openSignalInput(csv, { fs: 360 })).toThrow(/big\.csv: 1073741824 bytes of text; files over 256 MiB are not read into memory: stream it instead/);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(200 * 2 ** 20);
  });

  it('the monitor streams a 1 GB sparse EDF record by record in bounded memory; a 1 GB EDF+ without time-keeping is refused at open', async () => {
    const dir = tmp();
    const spr = 32768, records = Math.floor((GB - 512) / (2 * spr));
    const head = writeEdf({ recordDuration: 1, records: 0, raw: { records: String(records) }, signals: [{ label: 'ECG', units: 'uV', physicalMin: -1, physicalMax: 1, samplesPerRecord: spr }] });
    const edf = path.join(dir, 'huge.edf');
    sparse(edf, head, 512 + records * 2 * spr);
    const rss0 = process.memoryUsage().rss;
    const input = openSignalInput(edf);
    expect(input.total).toBe(records * spr);
    expect(input.fs).toBe(spr);
    let seen = 0, chunks = 0;
    for await (const c of input.chunks) {
      seen += c.length;
      if (++chunks === 200) break; // 2000 s of 32768 Hz: 250 MB of the file
    }
    expect(seen).toBe(200 * 10 * spr);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(200 * 2 ** 20);
    // EDF+C of the same size, all zeros after the header: no time-keeping annotation in record 1.
    const plus = writeEdf({ variant: 'EDF+C', recordDuration: 1, records: 0, raw: { records: String(records) },
      signals: [{ label: 'ECG', units: 'uV', physicalMin: -1, physicalMax: 1, samplesPerRecord: spr - 30 }, { label: 'EDF Annotations', physicalMin: -1, physicalMax: 1, samplesPerRecord: 30 }] });
    const edfPlus = path.join(dir, 'huge-plus.edf');
    sparse(edfPlus, plus, plus.length + records * edfRecordBytes(parseEdfHeader(plus, 'huge-plus.edf')));
    expect(() => openEdfLeadStream(edfPlus)).toThrow(/huge-plus\.edf: data record 1 has no time-keeping annotation/);
    // A data record over 64 MiB is refused, not allocated.
    const wideSignal = (label: string) => ({ label, units: 'uV', physicalMin: -1, physicalMax: 1, samplesPerRecord: 2 ** 24 });
    const wide = writeEdf({ recordDuration: 1000, records: 0, raw: { records: '1' }, signals: [wideSignal('ECG'), wideSignal('ECG2'), wideSignal('ECG3')] });
    const wideFile = path.join(dir, 'wide.edf');
    sparse(wideFile, wide, wide.length + edfRecordBytes(parseEdfHeader(wide, 'wide.edf')));
    expect(() => openEdfLeadStream(wideFile)).toThrow(/wide\.edf: EDF header: a data record takes 100663296 bytes \(samples per data record\), over 64 MiB/);
  }, 30_000);

  it('absurd rates and counts are named; a stream cut mid-line ends with what it had', () => {
    const dir = tmp();
    const csv = path.join(dir, 'rate.csv');
    writeFileSync(csv, 'Sample Rate,999999999 hertz\n0.1\n0.2\n');
    expect(() => openSignalInput(csv)).toThrow(/rate\.csv: a sampling rate of 999999999 Hz is outside 50 to 100000 Hz/);
    writeFileSync(csv, 'Sample Rate,0 hertz\n0.1\n');
    expect(() => openSignalInput(csv)).toThrow(/rate\.csv:1: field "Sample Rate" is "0 hertz", not a sampling rate/);
    writeFileSync(path.join(dir, 'r.hea'), 'r 1 1e9 10\nr.dat 16 200 16 0 0 0 0 ECG\n');
    writeFileSync(path.join(dir, 'r.dat'), new Uint8Array(20));
    expect(() => readWfdbLead(path.join(dir, 'r'))).toThrow(/r\.hea:1: .*(sampling|frequency|Hz)/i);
    writeFileSync(path.join(dir, 'n.hea'), 'n 1 360 1000\nn.dat 16 200 16 0 0 0 0 ECG\n');
    writeFileSync(path.join(dir, 'n.dat'), new Uint8Array(20));
    expect(() => readWfdbLead(path.join(dir, 'n'))).toThrow(/n\.dat: truncated: .*says 1000 samples per signal .*holds 10/);
    const p = new TextSampleStream('stdin');
    const got = [...p.push('0.5\n0.25\n0.1'), ...p.end()];
    expect(got).toEqual([0.5, 0.25, Math.fround(0.1)]);
    expect(() => new TextSampleStream('stdin').push('0.5\n0.2.5\n')).toThrow(/stdin:2: column 1 \(column 1\) is "0\.2\.5"/);
  });
});
