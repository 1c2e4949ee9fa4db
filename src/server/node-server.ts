// Runs the fetch-handler app on Node's http server (via @hono/node-server), with the limits a
// public-facing server needs set by us rather than left to Node's defaults (headers 60 s,
// request 300 s), back-pressure, and a graceful stop.
// Request bodies are read here with Node streams and handed to the app whole (read-body.ts's
// setPrereadBody): reading a 400 kB body through Readable.toWeb cost ~6x more event-loop time
// per request (measured: 287 vs 1725 req/s of 256-beat bodies with a no-op scorer).
//
// Back-pressure (issue 22): a body is read only once its request is admitted, so a flood holds
// a bounded amount of memory:
//   - Content-Length over the limit: 413 at once, nothing read (no 100 Continue either);
//   - the admission budget (admission.ts) full: 503 with Retry-After, nothing read;
//   - a connection may have `maxPipelined` requests admitted at once; the body of the next
//     one is not read until one of them is answered (TCP pushes back on the client);
//   - a connection that closes aborts its requests' signal: their queued work is dropped.
// A body too large, already known bad or large and refused for a full queue is not read, so
// its connection closes after the answer; a small one refused for a full queue is read and
// discarded (the client reads its 503 instead of a reset). Refusals are answered
// by the app (JSON, request id, log line, metrics); malformed HTTP and timeouts, which never
// reach it, are reported through onRefusal.
//
// Graceful stop: stop accepting, answer every request already read, pipelined ones included
// (only the last answer on a connection says `connection: close`), close idle connections.

import { getRequestListener } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { isRefusal, type Admission, type Ticket } from './admission.ts';
import { DEFAULT_MAX_BODY_BYTES } from './app.ts';
import { prefixTooDeep, tooDeepMessage } from './json-budget.ts';
import { setPrereadBody } from './read-body.ts';
import { setRequestContext, type EntryRefusal, type RefusalReason, type RequestContext } from './request-context.ts';

/** Default for NodeServerOptions.maxPipelined. */
export const DEFAULT_MAX_PIPELINED = 2;

export interface NodeRefusal { id: string; status: number; reason: RefusalReason; message: string }

export interface NodeServerOptions {
  fetch: (req: Request) => Promise<Response>;
  port: number;
  /** Bodies over this are refused (413): at once when declared, else when read past it. */
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
  /** The budget a body must fit before it is read; absent = no bound (tests of other things). */
  admission?: Admission;
  /** Requests one connection may have admitted at once (default 2). */
  maxPipelined?: number;
  /** Retry-After of a 503 when the budget is full (seconds, default 1). */
  retryAfterSeconds?: number;
  /** Malformed HTTP and timeouts, answered by Node's parser layer here, never by the app. */
  onRefusal?: (r: NodeRefusal) => void;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, waits for requests in flight (at most `graceMs`); true if all finished. */
  stop(graceMs?: number): Promise<boolean>;
}

/** One connection's requests: admitted (started) ones, and those waiting for their turn. */
interface Connection {
  client: object;
  abort: AbortController;
  started: number;
  /** Requests received and not answered (started or waiting). */
  outstanding: number;
  waiting: (() => void)[];
  /** Every unanswered request's cleanup, run when the socket closes. */
  open: Set<() => void>;
}

type Incoming = IncomingMessage & { rawBody?: Buffer; context?: RequestContext };

export async function startNodeServer(o: NodeServerOptions): Promise<RunningServer> {
  const headersTimeout = o.headersTimeoutMs ?? 10_000;
  const maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxPipelined = Math.max(1, o.maxPipelined ?? DEFAULT_MAX_PIPELINED);
  const retryAfter = o.retryAfterSeconds ?? 1;
  // The body read below reaches the app through setPrereadBody, not as a stream: see read-body.ts.
  const listener = getRequestListener((req, env) => {
    const incoming = env.incoming as Incoming;
    if (incoming.rawBody !== undefined) setPrereadBody(req, incoming.rawBody);
    if (incoming.context) setRequestContext(req, incoming.context);
    return o.fetch(req);
  }, {
    // A request the adapter cannot turn into a Web Request (a malformed Host, a backslash in
    // the path) never reaches the app: answered here the same way, and reported.
    errorHandler: () => {
      const id = randomUUID();
      const message = 'the request target or Host header is malformed';
      o.onRefusal?.({ id, status: 400, reason: 'bad_header', message });
      return new Response(JSON.stringify({ error: message, requestId: id }), { status: 400,
        headers: { 'content-type': 'application/json', 'x-request-id': id } });
    },
  });
  const connections = new WeakMap<Socket, Connection>();
  const connectionOf = (socket: Socket): Connection => {
    let conn = connections.get(socket);
    if (!conn) {
      const c: Connection = conn = { client: {}, abort: new AbortController(), started: 0, outstanding: 0, waiting: [], open: new Set() };
      connections.set(socket, c);
      socket.once('close', () => { c.abort.abort(); for (const done of [...c.open]) done(); });
    }
    return conn;
  };
  let active = 0; // requests received and not yet answered
  let stopping = false;
  let listenHost = o.host; // for a request without Host (HTTP/1.0)

  const onRequest = (req: Incoming, res: ServerResponse, expectsContinue: boolean) => {
    const conn = connectionOf(req.socket);
    active++;
    conn.outstanding++;
    let started = false, finished = false;
    let ticket: Ticket | null = null;
    const done = () => {
      if (finished) return;
      finished = true;
      active--;
      conn.outstanding--;
      conn.open.delete(done);
      ticket?.release();
      if (started) { conn.started--; startWaiting(conn); }
    };
    conn.open.add(done);
    res.once('close', done);
    // While stopping, only a connection's last unanswered request closes it: pipelined ones are answered too.
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (stopping && conn.outstanding <= 1 && !this.headersSent) this.setHeader('connection', 'close');
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    const start = () => {
      started = true;
      conn.started++;
      handle(req, res, conn, expectsContinue, (t) => { ticket = t; });
    };
    if (conn.started < maxPipelined) start(); else conn.waiting.push(start);
  };

  const startWaiting = (conn: Connection) => {
    while (conn.waiting.length && conn.started < maxPipelined && !conn.abort.signal.aborted) conn.waiting.shift()!();
  };

  /**
   * Answers through the app without keeping the body. `close`: the body is not read at all
   * (too large, or already known bad), so the connection closes after the answer; otherwise
   * (queue full) the body is read and discarded, and the client can read the 503 and go on.
   */
  const refuse = (req: Incoming, res: ServerResponse, context: RequestContext, refusal: EntryRefusal, close = true) => {
    if (close) {
      res.setHeader('connection', 'close');
      res.once('finish', () => req.socket.destroySoon());
    } else {
      req.resume();
    }
    req.context = { ...context, refusal };
    void listener(req, res);
  };

  const handle = (req: Incoming, res: ServerResponse, conn: Connection, expectsContinue: boolean, hold: (t: Ticket) => void) => {
    const context: RequestContext = { client: conn.client, signal: conn.abort.signal };
    const hostProblem = checkHost(req, listenHost);
    if (hostProblem) return refuse(req, res, context, { status: 400, reason: 'bad_header', message: hostProblem });
    if (req.method === 'GET' || req.method === 'HEAD') { req.context = context; return void listener(req, res); }
    const length = req.headers['content-length'];
    const declared = length === undefined ? null : Number(length); // Node's parser accepts digits only
    if (declared !== null && declared > maxBody) {
      return refuse(req, res, context, { status: 413, reason: 'body_too_large', message: `request body over ${maxBody} bytes (Content-Length: ${length})` });
    }
    if (o.admission) {
      const t = o.admission.admit(declared);
      // A small body is read and discarded (the client reads its 503 instead of a reset); a large one is not worth reading.
      const close = expectsContinue || declared === null || declared > o.admission.largeBody;
      if (isRefusal(t)) return refuse(req, res, context, { status: 503, reason: 'queue_full', message: t.message, retryAfter }, close);
      hold(t);
    }
    if (expectsContinue) res.writeContinue();
    readUpTo(req, maxBody + 1).then(({ body, complete, tooDeep }) => {
      if (tooDeep) return refuse(req, res, context, { status: 400, reason: 'parse_budget', message: tooDeepMessage() });
      req.rawBody = body;
      req.context = context;
      // The rest of an oversized body is not read: the connection closes after the 413.
      if (!complete) { res.setHeader('connection', 'close'); res.once('finish', () => req.socket.destroy()); }
      void listener(req, res);
    }, () => res.destroy());
  };

  const server = createServer({
    headersTimeout,
    requestTimeout: o.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: o.keepAliveTimeoutMs ?? 5_000,
    connectionsCheckingInterval: o.checkIntervalMs ?? Math.min(1000, headersTimeout),
    // Checked in handle(): HTTP/1.0 needs no Host, and a refusal goes through the app (request id, log, metrics).
    requireHostHeader: false,
  }, (req, res) => onRequest(req, res, false));
  // Expect: 100-continue: the 100 is sent only once the body is admitted (handle()).
  server.on('checkContinue', (req, res) => onRequest(req, res, true));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, reason, message]: [number, RefusalReason, string] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'timeout', 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'bad_http', 'the request headers are too large'] : [400, 'bad_http', 'malformed HTTP request'];
    const id = randomUUID();
    o.onRefusal?.({ id, status, reason, message });
    // A response already under way on this socket cannot be followed by another status line.
    const busy = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (busy?.headersSent) return void socket.destroy();
    const body = JSON.stringify({ error: message, requestId: id });
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const port = address.port;
  listenHost = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${port}`;
  let stoppingPromise: Promise<boolean> | null = null;
  const stop = (graceMs = 10_000) => (stoppingPromise ??= new Promise<boolean>((resolve) => {
    stopping = true;
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

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Why the request cannot be routed for want of a Host (null when it can). An HTTP/1.0
 * request may omit it (a load balancer's health check often does): it gets the address the
 * server listens on. HTTP/1.1 requires it: the request gets that address too, so that the app
 * can answer the 400 itself.
 */
function checkHost(req: IncomingMessage, listenHost: string): string | null {
  if (req.headers.host !== undefined && req.headers.host !== '') return null;
  req.headers.host = listenHost;
  return req.httpVersion === '1.0' ? null : `an HTTP/${req.httpVersion} request needs a Host header`;
}

/** Bytes of a body's first chunk checked for nesting before the rest is read. */
const PREFIX_CHECK_BYTES = 16 * 1024;

/**
 * The body, or its first `cap` bytes (complete: false) when it is longer, or tooDeep when its
 * first chunk already nests too deep (the rest is not read); rejects if the client goes away.
 */
function readUpTo(req: IncomingMessage, cap: number): Promise<{ body: Buffer; complete: boolean; tooDeep?: true }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('close', onClose); };
    const done = (complete: boolean) => {
      stop();
      resolve({ body: Buffer.concat(chunks, Math.min(size, cap)), complete });
    };
    const onData = (c: Buffer) => {
      if (size === 0 && prefixTooDeep(c.subarray(0, PREFIX_CHECK_BYTES))) {
        req.pause();
        stop();
        return resolve({ body: Buffer.alloc(0), complete: false, tooDeep: true });
      }
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
