// What the HTTP app needs from whatever scores beats: the in-process scorer below (any runtime:
// Node, Deno, Bun, a browser or an edge worker) or the Node worker-thread pool
// (worker-pool-node.ts). Both take the raw request bytes so that decoding and parsing, too,
// run wherever scoring runs (on the pool: off the event loop).

import type { Detector } from '../detect/detector.ts';
import { RequestError } from './request-error.ts';
import { scoreJobs, type JobResult, type ScoreJob } from './score-jobs.ts';

export type ScoredBeats = Extract<JobResult, { ok: true }>;

/** Who sent a job (queues take turns between clients) and whether they still wait for it. */
export interface ScoreOptions {
  /** Any value identifying the client (the Node entry: its connection); absent = one shared client. */
  client?: unknown;
  /** Aborted when the client goes away: a job still queued is dropped (rejects with ClientGone). */
  signal?: AbortSignal;
}

/** A queued job whose client went away before it was scored. */
export class ClientGone extends Error {
  constructor() { super('the client went away before its request was scored'); this.name = 'ClientGone'; }
}

export interface Scorer {
  /** True once every scoring thread holds its detector. */
  ready(): boolean;
  /** Resolves to the scores, or rejects with a RequestError (4xx), ClientGone, or another Error (500). */
  score(job: ScoreJob, options?: ScoreOptions): Promise<ScoredBeats>;
  /** Requests waiting for a scoring thread (a gauge for /metrics). */
  queued(): number;
  close(): Promise<void>;
}

export function unwrap(r: JobResult): ScoredBeats {
  if (!r.ok) throw new RequestError(r.status, r.error, r.reason);
  return r;
}

/** Scores on the calling thread: the runtime-agnostic scorer (tests, edge runtimes). */
export function createInProcessScorer(detector: Detector, { maxBeats }: { maxBeats: number }): Scorer {
  return {
    ready: () => true,
    score: async (job, options) => {
      if (options?.signal?.aborted) throw new ClientGone();
      return unwrap(scoreJobs(detector, [job], maxBeats)[0]);
    },
    queued: () => 0,
    close: async () => {},
  };
}
