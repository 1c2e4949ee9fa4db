// Runs the fetch-handler app on Node's http server (via @hono/node-server), with the limits a
// public-facing server needs set by us rather than left to Node's defaults (headers 60 s,
// request 300 s), and a graceful stop: stop accepting, let requests in flight finish, close
// idle keep-alive connections, then resolve (the caller exits 0).
// Request bodies are read here with Node streams and handed to the app whole (read-body.ts's
// setPrereadBody, and the adapter's `rawBody` hook for anything that reads `req.body`): reading
// a 400 kB body through Readable.toWeb cost ~6x more event-loop time per request (measured: 287 vs 1725 req/s of 256-beat bodies with a no-op scorer).

import { getRequestListener } from '@hono/node-server';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './app.ts';
import { setPrereadBody } from './read-body.ts';

export interface NodeServerOptions {
  fetch: (req: Request) => Promise<Response>;
  port: number;
  /** Bodies are read up to one byte past this; the app answers 413 for what is over. */
  maxBodyBytes?: number;
  host: string;
  /** Whole headers must arrive within this (ms). */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this (ms). */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs?: number;
  /** How often Node checks the two timeouts above (ms). */
  checkIntervalMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, waits for requests in flight (at most `graceMs`); true if all finished. */
  stop(graceMs?: number): Promise<boolean>;
}

export async function startNodeServer(o: NodeServerOptions): Promise<RunningServer> {
  const headersTimeout = o.headersTimeoutMs ?? 10_000;
  const cap = (o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) + 1;
  // The body read below reaches the app through setPrereadBody, not as a stream: see read-body.ts.
  const listener = getRequestListener((req, env) => {
    const raw = (env.incoming as IncomingMessage & { rawBody?: Buffer }).rawBody;
    if (raw !== undefined) setPrereadBody(req, raw);
    return o.fetch(req);
  });
  let active = 0; // requests received and not yet answered
  const server = createServer({
    headersTimeout,
    requestTimeout: o.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: o.keepAliveTimeoutMs ?? 5_000,
    connectionsCheckingInterval: o.checkIntervalMs ?? Math.min(1000, headersTimeout),
  }, (req, res) => {
    active++;
    res.once('close', () => { active--; });
    if (req.method === 'GET' || req.method === 'HEAD') return void listener(req, res);
    readUpTo(req, cap).then(({ body, complete }) => {
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      // The rest of an oversized body is not read: the connection closes after the 413
      // (said in the response, so a client's pool does not reuse it).
      if (!complete) { res.setHeader('connection', 'close'); res.once('finish', () => req.socket.destroy()); }
      void listener(req, res);
    }, () => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<boolean> | null = null;
  const stop = (graceMs = 10_000) => (stopping ??= new Promise<boolean>((resolve) => {
    // Only stop listening (net.Server's close): http.Server's close would also drop "idle"
    // connections at once, among them accepted ones whose request the event loop has not
    // parsed yet. Those get answered (with connection: close while draining); keep-alive
    // connections are closed once no request has been in flight for two 50 ms ticks.
    let quietTicks = 0;
    const idle = setInterval(() => {
      quietTicks = active === 0 ? quietTicks + 1 : 0;
      if (quietTicks >= 2) server.closeIdleConnections();
    }, 50);
    let timedOut = false;
    const deadline = setTimeout(() => { timedOut = true; server.closeAllConnections(); }, graceMs);
    net.Server.prototype.close.call(server, () => { clearInterval(idle); clearTimeout(deadline); resolve(!timedOut); });
  }));
  return { server, port, stop };
}

/** The body, or its first `cap` bytes (complete: false) when it is longer; rejects if the client goes away. */
function readUpTo(req: IncomingMessage, cap: number): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (complete: boolean) => {
      req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('close', onClose);
      resolve({ body: Buffer.concat(chunks, Math.min(size, cap)), complete });
    };
    const onData = (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= cap) { req.pause(); done(false); }
    };
    const onEnd = () => done(true);
    const onError = (e: Error) => reject(e);
    const onClose = () => { if (!req.complete) reject(new Error('client closed the connection')); };
    req.on('data', onData); req.on('end', onEnd); req.on('error', onError); req.on('close', onClose);
  });
}
