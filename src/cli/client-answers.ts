// What `npm run client` trusts of a scoring service: nothing it has not checked. Every answer
// is checked against what was sent (one score and one flag per beat, of the right types), and
// any mismatch is an error naming the URL and what is wrong: a beat the service did not score
// is never shown as normal. Every call has a deadline covering connect and the whole answer.

import { UserError } from './args.ts';

export interface ModelAnswer {
  inputLength: number;
  threshold: { value: number; method: string };
  limits: { maxBeatsPerRequest?: number; maxBodyBytes?: number };
}

export interface ScoreAnswer {
  threshold: number;
  /** One per beat sent; +Infinity where the service could not compute the score (null in JSON). */
  scores: Float64Array;
  flags: Uint8Array;
}

/** The URL of `route` under `base`, keeping base's path: http://h/api + model = http://h/api/model. */
export function endpoint(base: URL, route: string): string {
  const dir = new URL(base.href);
  dir.search = '';
  dir.hash = '';
  if (!dir.pathname.endsWith('/')) dir.pathname += '/';
  return new URL(route, dir).href;
}

/** GET or POST `url`, parsed as JSON; fails with a named reason (unreachable, timeout, status, not JSON). */
export async function callJson(url: string, timeoutMs: number, init: RequestInit = {}): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string, status: number, ok: boolean;
  try {
    const res = await fetch(url, { ...init, signal });
    status = res.status;
    ok = res.ok;
    text = await res.text();
  } catch (e) {
    if (signal.aborted) throw new UserError(`${url} did not answer within ${timeoutMs / 1000} s (--timeout)`);
    throw new UserError(`cannot reach ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new UserError(`${url} answered ${status} with a body that is not JSON`); }
  if (!ok) {
    const error = isObject(body) && typeof body.error === 'string' ? body.error : text;
    throw new UserError(`${url} answered ${status}: ${error.slice(0, 200)}`);
  }
  return body;
}

/** Checks GET /model's answer: the fields the client relies on, with their types. */
export function checkModelAnswer(url: string, body: unknown): ModelAnswer {
  const bad = (what: string): never => { throw new UserError(`${url}: not a model description: ${what}`); };
  if (!isObject(body)) return bad('the answer is not a JSON object');
  const { inputLength, threshold, limits } = body;
  if (!Number.isInteger(inputLength) || (inputLength as number) < 1) bad(`"inputLength" must be a positive integer, got ${show(inputLength)}`);
  if (!isObject(threshold)) return bad(`"threshold" must be an object, got ${show(threshold)}`);
  if (!isFiniteNumber(threshold.value)) bad(`"threshold.value" must be a finite number, got ${show(threshold.value)}`);
  if (typeof threshold.method !== 'string') bad(`"threshold.method" must be a string, got ${show(threshold.method)}`);
  const checked: ModelAnswer['limits'] = {};
  if (limits !== undefined) {
    if (!isObject(limits)) bad(`"limits" must be an object, got ${show(limits)}`);
    for (const key of ['maxBeatsPerRequest', 'maxBodyBytes'] as const) {
      const v = (limits as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || (v as number) < 1) bad(`"limits.${key}" must be a positive integer, got ${show(v)}`);
      checked[key] = v as number;
    }
  }
  return { inputLength: inputLength as number, threshold: { value: threshold.value as number, method: threshold.method as string }, limits: checked };
}

/**
 * Checks POST /score's answer to `sent` beats: "scores" (numbers, or null for a beat the
 * service could not compute), "flags" (booleans), both exactly `sent` long, and "threshold".
 * A null score must be flagged: a beat that could not be scored is never normal.
 */
export function checkScoreAnswer(url: string, body: unknown, sent: number): ScoreAnswer {
  const bad = (what: string): never => { throw new UserError(`${url}: unusable answer for ${sent} beats: ${what}`); };
  if (!isObject(body)) return bad('the answer is not a JSON object');
  const { scores, flags, threshold } = body;
  if (!isFiniteNumber(threshold)) bad(`"threshold" must be a finite number, got ${show(threshold)}`);
  if (!Array.isArray(scores)) return bad(`"scores" must be an array, got ${show(scores)}`);
  if (!Array.isArray(flags)) return bad(`"flags" must be an array, got ${show(flags)}`);
  if (scores.length !== sent) bad(`${scores.length} scores for ${sent} beats sent`);
  if (flags.length !== sent) bad(`${flags.length} flags for ${sent} beats sent`);
  const out: ScoreAnswer = { threshold: threshold as number, scores: new Float64Array(sent), flags: new Uint8Array(sent) };
  for (let i = 0; i < sent; i++) {
    const s = scores[i], f = flags[i];
    if (s !== null && !isFiniteNumber(s)) bad(`scores[${i}] must be a finite number or null, got ${show(s)}`);
    if (typeof f !== 'boolean') bad(`flags[${i}] must be true or false, got ${show(f)}`);
    if (s === null && !f) bad(`beat ${i} has no score (null) but is not flagged`);
    out.scores[i] = s === null ? Infinity : s as number;
    out.flags[i] = f ? 1 : 0;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 40) ?? String(v));
