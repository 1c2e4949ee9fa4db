// What a server entry knows about a request that a Web Request cannot carry (runtime-agnostic):
// who sent it (queues take turns between clients), a signal for when they go away, and a
// refusal the entry decided before reading the body (queue full, body too large, no Host).
// The app answers a refusal like any of its own errors: JSON, request id, log line, metrics.

/** Why a request was refused; also the label of cardiograd_refusals_total. */
export type RefusalReason = 'queue_full' | 'body_too_large' | 'bad_header' | 'unsupported_charset' | 'parse_budget'
  | 'bad_http' | 'timeout' | 'client_gone';

export interface EntryRefusal {
  status: number;
  reason: RefusalReason;
  message: string;
  /** Seconds, sent as Retry-After (503). */
  retryAfter?: number;
}

export interface RequestContext {
  client?: unknown;
  signal?: AbortSignal;
  refusal?: EntryRefusal;
}

const contexts = new WeakMap<Request, RequestContext>();

export function setRequestContext(req: Request, ctx: RequestContext): void { contexts.set(req, ctx); }

export function requestContext(req: Request): RequestContext { return contexts.get(req) ?? {}; }
