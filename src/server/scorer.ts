// What the HTTP app needs from whatever scores beats: the in-process scorer below (any runtime:
// Node, Deno, Bun, a browser or an edge worker) or the Node worker-thread pool
// (worker-pool-node.ts). Both take the raw request bytes so that decoding and parsing, too,
// run wherever scoring runs (on the pool: off the event loop).

import type { Detector } from '../detect/detector.ts';
import { RequestError } from './request-error.ts';
import { scoreJobs, type JobResult, type ScoreJob } from './score-jobs.ts';

export type ScoredBeats = Extract<JobResult, { ok: true }>;

export interface Scorer {
  /** True once every scoring thread holds its detector. */
  ready(): boolean;
  /** Resolves to the scores, or rejects with a RequestError (4xx) or another Error (500). */
  score(job: ScoreJob): Promise<ScoredBeats>;
  /** Requests waiting for a scoring thread (a gauge for /metrics). */
  queued(): number;
  close(): Promise<void>;
}

export function unwrap(r: JobResult): ScoredBeats {
  if (!r.ok) throw new RequestError(r.status, r.error);
  return r;
}

/** Scores on the calling thread: the runtime-agnostic scorer (tests, edge runtimes). */
export function createInProcessScorer(detector: Detector, { maxBeats }: { maxBeats: number }): Scorer {
  return {
    ready: () => true,
    score: async (job) => unwrap(scoreJobs(detector, [job], maxBeats)[0]),
    queued: () => 0,
    close: async () => {},
  };
}
