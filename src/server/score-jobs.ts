// Scores a batch of request bodies with one detector call (runtime-agnostic). Used by the
// worker threads (where a batch is several coalesced requests) and by the in-process scorer
// (a batch of one). Each body is validated on its own: one bad request fails alone.

import type { Detector } from '../detect/detector.ts';
import { parseBeatsBody, type BodyKind } from './beats-body.ts';
import { parseBeatsFast } from './beats-fast.ts';
import { checkJsonBudget } from './json-budget.ts';
import { RequestError } from './request-error.ts';

/** A request body as received (UTF-8 bytes) and the route it came to. */
export interface ScoreJob { body: Uint8Array; kind: BodyKind }

export type JobResult =
  | { ok: true; scores: Float32Array; flags: Uint8Array; threshold: number; single: boolean }
  | { ok: false; status: number; error: string; reason?: string };

function slowParse(job: ScoreJob, L: number, maxBeats: number) {
  // Twice what maxBeats beats hold: a body of slightly too many beats gets the 413 naming its count.
  checkJsonBudget(job.body, 2 * (maxBeats + 1) * (L + 1) + 64);
  return parseBeatsBody(new TextDecoder().decode(job.body), job.kind, L, maxBeats);
}

export function scoreJobs(detector: Detector, jobs: ScoreJob[], maxBeats: number): JobResult[] {
  const L = detector.beatLength;
  const results: JobResult[] = new Array(jobs.length);
  const parsed: { index: number; data: Float32Array; n: number; single: boolean }[] = [];
  jobs.forEach((job, index) => {
    try {
      // The byte-level fast path for plain bodies; anything else (and every error) through
      // JSON.parse, within a parse budget (nesting, values) checked first on the bytes.
      // Invalid UTF-8 becomes U+FFFD: outside a JSON string, a JSON error (400).
      const beats = parseBeatsFast(job.body, job.kind, L, maxBeats) ?? slowParse(job, L, maxBeats);
      parsed.push({ index, ...beats });
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      results[index] = { ok: false, status: e.status, error: e.message, reason: e.reason };
    }
  });
  if (parsed.length === 0) return results;
  // One detector call for all valid bodies: the beats are stacked [sum n, L].
  const total = parsed.reduce((s, p) => s + p.n, 0);
  const all = parsed.length === 1 ? parsed[0].data : new Float32Array(total * L);
  if (parsed.length > 1) { let at = 0; for (const p of parsed) { all.set(p.data, at * L); at += p.n; } }
  // The detector flags a beat it could not score (non-finite), never calls it normal.
  const { scores, flags, threshold } = detector.detect(all, total);
  let at = 0;
  for (const p of parsed) {
    results[p.index] = { ok: true, scores: scores.slice(at, at + p.n), flags: flags.slice(at, at + p.n), threshold, single: p.single };
    at += p.n;
  }
  return results;
}
