// Pipelining floods against a running server (issue 22), and what a legitimate client sees
// meanwhile. Used by flood.test.ts; the same functions print the numbers in the report.

import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';

/**
 * `{"beats": [[[...]]]}` with balanced brackets, exactly `bytes` long: JSON.parse's worst case.
 * `padded`: behind a 32 KiB string, so that the nesting starts past the first chunk the Node
 * entry checks before reading on: such a body is read whole and refused on a scoring thread.
 */
export function nestedBody(bytes: number, padded = false): Buffer {
  const head = padded ? `{"pad":"${'x'.repeat(32 * 1024)}","beats":` : '{"beats":', tail = '}';
  const k = Math.floor((bytes - head.length - tail.length) / 2);
  const pad = bytes - head.length - tail.length - 2 * k;
  return Buffer.from(head + '['.repeat(k) + ']'.repeat(k) + ' '.repeat(pad) + tail);
}

export interface Flood { stop(): Promise<void>; statuses: Map<number, number>; connections: number }

/**
 * `connections` sockets, each writing `pipelined` POST /score requests back to back without
 * waiting for answers; a socket the server closes is opened again, until stop().
 */
export function startFlood(port: number, connections: number, pipelined: number, body: Buffer): Flood {
  const head = Buffer.from(`POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  const statuses = new Map<number, number>();
  const sockets = new Set<net.Socket>();
  let stopped = false;
  let opened = 0;
  const open = () => {
    if (stopped) return;
    opened++;
    const s = net.connect(port, '127.0.0.1', () => { for (let i = 0; i < pipelined; i++) { s.write(head); s.write(body); } });
    sockets.add(s);
    let seen = '';
    s.on('data', (d: Buffer) => {
      seen = (seen + d.toString('latin1')).slice(-4096);
      for (const m of seen.matchAll(/HTTP\/1\.1 (\d{3}) /g)) statuses.set(Number(m[1]), (statuses.get(Number(m[1])) ?? 0) + 1);
      seen = seen.replace(/HTTP\/1\.1 \d{3} /g, '');
    });
    s.on('error', () => {});
    s.on('close', () => { sockets.delete(s); setTimeout(open, 5); });
  };
  for (let i = 0; i < connections; i++) open();
  return {
    statuses,
    get connections() { return opened; },
    stop: async () => {
      stopped = true;
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

/** One POST /score of `body` on `agent`: status and milliseconds to the whole answer. */
export function timedScore(port: number, agent: http.Agent, body: string): Promise<{ status: number; ms: number; scores: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/score', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        const ms = performance.now() - t0;
        let scores = -1;
        try { scores = JSON.parse(text).scores?.length ?? -1; } catch { /* not JSON */ }
        resolve({ status: res.statusCode!, ms, scores });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GET /ready's status (0 when it could not be asked). */
export function readyStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ready', agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => { req.destroy(); resolve(0); });
  });
}

/** A process's resident memory now and at its peak (MB), from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
}
