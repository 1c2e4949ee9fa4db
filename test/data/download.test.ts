// downloadEcg5000 against a local HTTP server (no internet).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadEcg5000 } from '../../src/data/download-node.ts';

const TRAIN = '1 0.1 0.2 0.3\n2 0.4 0.5 0.6\n';
const TEST = '1 0.7 0.8 0.9\n';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const zip = zipSync({ 'ECG5000/ECG5000_TRAIN.txt': strToU8(TRAIN), 'ECG5000_TEST.txt': strToU8(TEST), 'ECG5000_TRAIN.arff': strToU8('@relation x') });

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ECG5000.zip') { res.writeHead(200, { 'content-length': zip.length }); res.end(Buffer.from(zip)); }
    else if (req.url === '/garbage.zip') { res.writeHead(200); res.end('not a zip'); }
    else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const expected = { 'ECG5000_TRAIN.txt': sha(TRAIN), 'ECG5000_TEST.txt': sha(TEST) };

describe('downloadEcg5000', () => {
  it('downloads, verifies and writes the two files (from any folder in the zip)', async () => {
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'dl-')), 'ecg5000');
    const logs: string[] = [];
    const r = await downloadEcg5000({ url: `${base}/ECG5000.zip`, outDir, expected, progress: null, log: (m) => logs.push(m) });
    expect(r.downloaded).toBe(true);
    expect(readFileSync(path.join(outDir, 'ECG5000_TRAIN.txt'), 'utf8')).toBe(TRAIN);
    expect(readFileSync(path.join(outDir, 'ECG5000_TEST.txt'), 'utf8')).toBe(TEST);
    expect(readdirSync(outDir).sort()).toEqual(['ECG5000_TEST.txt', 'ECG5000_TRAIN.txt']);
    // A second run finds verified files and does not download again.
    const again = await downloadEcg5000({ url: `${base}/missing.zip`, outDir, expected, progress: null });
    expect(again.downloaded).toBe(false);
  });

  it('refuses a checksum mismatch and writes nothing', async () => {
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'dl-')), 'ecg5000');
    const wrong = { ...expected, 'ECG5000_TEST.txt': '0'.repeat(64) };
    await expect(downloadEcg5000({ url: `${base}/ECG5000.zip`, outDir, expected: wrong, progress: null }))
      .rejects.toThrow(/ECG5000_TEST\.txt: sha256 mismatch/);
    expect(existsSync(path.join(outDir, 'ECG5000_TRAIN.txt'))).toBe(false);
    expect(existsSync(path.join(outDir, 'ECG5000_TEST.txt'))).toBe(false);
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
  });

  it('reports HTTP errors, bad zips and missing entries', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'dl-'));
    await expect(downloadEcg5000({ url: `${base}/nope.zip`, outDir, expected, progress: null })).rejects.toThrow(/HTTP 404/);
    await expect(downloadEcg5000({ url: `${base}/garbage.zip`, outDir, expected, progress: null })).rejects.toThrow(/not a valid zip/);
    await expect(downloadEcg5000({ url: `${base}/ECG5000.zip`, outDir, expected: { 'OTHER.txt': sha('x') }, progress: null }))
      .rejects.toThrow(/the zip has no OTHER\.txt/);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
