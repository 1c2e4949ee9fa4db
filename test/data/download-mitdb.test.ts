// downloadMitdb and `npm run data -- mitdb` against a loopback server that serves the MIT-BIH
// files of ../shared/data/mitdb (never the internet).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadMitdb, MITDB_SHA256 } from '../../src/data/download-node.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { readAnnotationFile } from '../../src/signals/wfdb-annotations-node.ts';
import { cliWithStdin, MITDB } from '../monitor/helpers.ts';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const file = (name: string) => readFileSync(path.join(MITDB, name));
// A made-up record "900" only the server's SHA256SUMS.txt vouches for (a copy of 100's files);
// 106.atr, 108.atr and 900.atr are stand-ins served from 100.atr (the only .atr in ../shared).
const SUMS = ['100.hea', '100.dat', '100.atr', '106.hea', '106.dat'].map((n) => `${sha(file(n))}  ${n}`)
  .concat([`${sha(file('100.atr'))}  106.atr`, `${sha(file('100.atr'))}  108.atr`, `${sha(file('100.hea'))}  900.hea`, `${sha(file('100.dat'))}  900.dat`, `${sha(file('100.atr'))}  900.atr`]).join('\n') + '\n';

let server: Server;
let base = '';
const requests: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/mitdb\//, '');
    requests.push(name);
    if (name === 'SHA256SUMS.txt') { res.writeHead(200); res.end(SUMS); return; }
    if (name === '108.dat') { res.writeHead(200); res.end(Buffer.alloc(100)); return; } // corrupt
    const source = name.startsWith('900.') || name === '106.atr' || name === '108.atr' ? name.replace(/^\d+/, '100') : name;
    if (/^\d{3}\.(hea|dat|atr)$/.test(source) && existsSync(path.join(MITDB, source))) {
      const body = file(source);
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mitdb/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('downloadMitdb', () => {
  it('downloads records, verifies them against the built-in checksums, and they read as WFDB', async () => {
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'mitdb-')), 'mitdb');
    const first = await downloadMitdb(['100'], { baseUrl: base, outDir, progress: null });
    expect(first.downloaded.map((f) => path.basename(f))).toEqual(['100.hea', '100.dat', '100.atr']);
    expect(requests).not.toContain('SHA256SUMS.txt'); // built-in checksums were enough for 100
    for (const n of ['100.hea', '100.dat', '100.atr']) expect(sha(readFileSync(path.join(outDir, n)))).toBe(MITDB_SHA256[n]);
    expect(readAnnotationFile(path.join(outDir, '100.atr')).length).toBe(2274);
    const r = await downloadMitdb(['100', '106'], { baseUrl: base, outDir, progress: null });
    expect(r.downloaded.map((f) => path.basename(f)).sort()).toEqual(['106.atr', '106.dat', '106.hea']);
    for (const n of ['106.hea', '106.dat']) expect(sha(readFileSync(path.join(outDir, n)))).toBe(MITDB_SHA256[n]);
    expect(requests).toContain('SHA256SUMS.txt'); // 106.atr is checked against the server's list
    expect(readWfdbLead(path.join(outDir, '106')).samples.length).toBe(650000);
    const again = await downloadMitdb(['100'], { baseUrl: base, outDir, progress: null });
    expect(again.downloaded).toEqual([]);
  });

  it('checks other records against the server\'s SHA256SUMS.txt', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'mitdb-'));
    const r = await downloadMitdb(['900'], { baseUrl: base, outDir, progress: null });
    expect(r.downloaded.length).toBe(3);
    await expect(downloadMitdb(['901'], { baseUrl: base, outDir, progress: null })).rejects.toThrow(/SHA256SUMS\.txt lists no 901\.hea/);
  });

  it('refuses a checksum mismatch and writes nothing', async () => {
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'mitdb-')), 'out');
    await expect(downloadMitdb(['108'], { baseUrl: base, outDir, progress: null })).rejects.toThrow(/108\.dat: sha256 mismatch .*nothing written/);
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('`npm run data -- mitdb 100` through the CLI', async () => {
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'mitdb-')), 'mitdb');
    const r = await cliWithStdin('data', ['mitdb', '100', '--url', base, '--out', outDir], []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((f) => path.basename(f))).toEqual(['100.hea', '100.dat', '100.atr']);
    const bad = await cliWithStdin('data', ['mitdb', '--url', base], []);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name the records to download/);
  });
});
