// A tiny static file server for the demo page and the browser tests (Node only). Serves a fixed
// table of paths from memory or disk, bound to 127.0.0.1, with the same Content-Security-Policy
// on every response (module workers take their policy from their own script's response).

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Served = { body: string | Uint8Array; type: string } | { file: string; type: string };

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export const TYPES = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', json: 'application/json',
  text: 'text/plain; charset=utf-8', bytes: 'application/octet-stream',
} as const;

/** Serves `routes` (path -> content) on 127.0.0.1:`port` (0 = any free port). */
export function serveStatic(routes: Record<string, Served>, opts: { port?: number; csp?: string } = {}): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[pathname === '/' ? '/index.html' : pathname];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    if (!route) { res.writeHead(404, { 'content-type': TYPES.text }).end(`not found: ${pathname}\n`); return; }
    let body: string | Uint8Array;
    try {
      body = 'file' in route ? readFileSync(route.file) : route.body;
    } catch (e) {
      res.writeHead(500, { 'content-type': TYPES.text }).end(`cannot read ${pathname}: ${(e as Error).message}\n`);
      return;
    }
    const headers: Record<string, string> = { 'content-type': route.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (opts.csp) headers['content-security-policy'] = opts.csp;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
