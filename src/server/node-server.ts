// Runs the fetch-handler app on Node's http server (via @hono/node-server), with the limits a
// public-facing server needs set by us rather than left to Node's defaults (headers 60 s,
// request 300 s), and a graceful stop: stop accepting, let requests in flight finish, close
// idle keep-alive connections, then resolve (the caller exits 0).

import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NodeServerOptions {
  fetch: (req: Request) => Promise<Response>;
  port: number;
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
  const server = createAdaptorServer({
    fetch: o.fetch,
    serverOptions: {
      headersTimeout,
      requestTimeout: o.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: o.keepAliveTimeoutMs ?? 5_000,
      connectionsCheckingInterval: o.checkIntervalMs ?? Math.min(1000, headersTimeout),
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<boolean> | null = null;
  const stop = (graceMs = 10_000) => (stopping ??= new Promise<boolean>((resolve) => {
    // Keep-alive connections that sit idle between requests would hold close() open.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    let timedOut = false;
    const deadline = setTimeout(() => { timedOut = true; server.closeAllConnections(); }, graceMs);
    server.close(() => { clearInterval(idle); clearTimeout(deadline); resolve(!timedOut); });
    server.closeIdleConnections();
  }));
  return { server, port, stop };
}
