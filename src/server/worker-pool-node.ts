// Scoring on a pool of worker threads (Node): each thread holds its own detector; the event
// loop only moves bytes, so /health answers while the threads score. Requests wait in a queue
// that takes turns between clients (fair-queue.ts); a free thread takes the head, and
// (coalescing) also the requests next in turn up to `coalesceBytes` of body in total, scored
// with one detector call: small requests from many clients become one batch, which scores
// several times faster per beat. A queued request whose client goes away is dropped.
// The worker file resolves next to this one: .ts under tsx/vitest (started through
// ts-worker-boot.mjs, which registers tsx in the thread), .js in the compiled dist/ build.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FairQueue } from './fair-queue.ts';
import type { ScoreJob, JobResult } from './score-jobs.ts';
import { ClientGone, unwrap, type ScoredBeats, type ScoreOptions, type Scorer } from './scorer.ts';

export interface PoolOptions {
  /** Decoded model folder: manifest and tensors (sent once to each thread). */
  manifest: unknown;
  tensors: Record<string, { shape: readonly number[]; data: Float32Array }>;
  maxBeats: number;
  /** Threads; default: the machine's parallelism (at least 1). */
  workers?: number;
  /** Largest total body size one thread takes from the queue at once; 0 = no coalescing. */
  coalesceBytes?: number;
  /**
   * Batches handed to one thread before it answers (default 2): the next batch already waits
   * in the thread's port when it finishes, so it never idles until the event loop runs.
   */
  depth?: number;
}

interface Pending { job: ScoreJob; client: unknown; resolve: (r: ScoredBeats) => void; reject: (e: Error) => void; settled?: () => void }
interface Slot { worker: Worker; ready: boolean; inFlight: Map<number, Pending[]>; nextId: number }

function workerSpec(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./ts-worker-boot.mjs', here), entry: new URL('./score-worker-node.ts', here).href };
  return { url: new URL('./score-worker-node.js', here) };
}

/** Default for PoolOptions.coalesceBytes. */
export const DEFAULT_COALESCE_BYTES = 256 * 1024;

/** The pool's moving parts, shared by the named steps below. */
interface Pool {
  options: PoolOptions;
  n: number;
  coalesceBytes: number;
  depth: number;
  spec: { url: URL; entry?: string };
  queue: FairQueue<Pending>;
  slots: Slot[];
  closing: boolean;
  readyCount: number;
  markReady: () => void;
  failReady: (e: Error) => void;
}

export function createWorkerPool(options: PoolOptions): Scorer & { whenReady: Promise<void> } {
  let markReady!: () => void, failReady!: (e: Error) => void;
  const whenReady = new Promise<void>((res, rej) => { markReady = res; failReady = rej; });
  const pool: Pool = {
    options, n: Math.max(1, options.workers ?? availableParallelism()),
    coalesceBytes: options.coalesceBytes ?? DEFAULT_COALESCE_BYTES, depth: Math.max(1, options.depth ?? 2),
    spec: workerSpec(), queue: new FairQueue<Pending>(), slots: [], closing: false, readyCount: 0, markReady, failReady,
  };
  for (let i = 0; i < pool.n; i++) pool.slots.push(spawn(pool));
  whenReady.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  return {
    whenReady,
    ready: () => pool.readyCount === pool.n && pool.slots.length === pool.n,
    queued: () => pool.queue.length,
    score: (job, scoreOptions) => enqueue(pool, job, scoreOptions),
    close: async () => {
      pool.closing = true;
      for (const p of pool.queue.drain()) p.reject(new Error('the scoring pool is closed'));
      await Promise.all(pool.slots.map((s) => s.worker.terminate()));
    },
  };
}

/** Starts one thread with its own detector; it says `ready` once the model has loaded. */
function spawn(pool: Pool): Slot {
  const { manifest, tensors, maxBeats } = pool.options;
  const worker = new Worker(pool.spec.url, { stdout: false, workerData: { entry: pool.spec.entry, manifest, tensors, maxBeats } });
  const slot: Slot = { worker, ready: false, inFlight: new Map(), nextId: 0 };
  worker.on('message', (m: WorkerMessage) => onMessage(pool, slot, m));
  worker.on('error', (e) => fail(pool, slot, e));
  worker.on('exit', (code) => { if (!pool.closing) fail(pool, slot, new Error(`scoring thread exited with code ${code}`)); });
  return slot;
}

type WorkerMessage = { ready?: true; id?: number; results?: JobResult[]; crash?: string };

/** A thread became ready, or answered a batch: settle its requests and hand out more work. */
function onMessage(pool: Pool, slot: Slot, m: WorkerMessage): void {
  if (m.ready) {
    slot.ready = true;
    if (++pool.readyCount === pool.n) pool.markReady();
    return dispatch(pool);
  }
  const batch = slot.inFlight.get(m.id!);
  if (!batch) return;
  slot.inFlight.delete(m.id!);
  if (m.crash !== undefined) for (const p of batch) p.reject(new Error(`scoring thread failed: ${m.crash}`));
  else batch.forEach((p, i) => { try { p.resolve(unwrap(m.results![i])); } catch (e) { p.reject(e as Error); } });
  dispatch(pool);
}

// A thread that dies takes its batch with it (those requests get a 500) and is replaced,
// unless it never became ready: then the model cannot load and the pool reports it.
function fail(pool: Pool, slot: Slot, e: Error): void {
  const i = pool.slots.indexOf(slot);
  if (i < 0) return;
  pool.slots.splice(i, 1);
  for (const batch of slot.inFlight.values()) for (const p of batch) p.reject(e);
  slot.inFlight.clear();
  void slot.worker.terminate();
  if (!slot.ready) { pool.failReady(e); for (const p of pool.queue.drain()) p.reject(e); return; }
  pool.readyCount--;
  if (!pool.closing) pool.slots.push(spawn(pool));
}

/** Hands queued requests to the least-loaded ready thread, up to `depth` batches each. */
function dispatch(pool: Pool): void {
  while (pool.queue.length) {
    const slot = leastLoaded(pool);
    if (!slot) return;
    const batch = takeBatch(pool);
    for (const p of batch) p.settled?.(); // on a thread now: no longer cancellable
    const id = ++slot.nextId;
    slot.inFlight.set(id, batch);
    // The bodies move to the thread (transferred, not copied).
    slot.worker.postMessage({ id, jobs: batch.map((p) => p.job) }, batch.map((p) => p.job.body.buffer as ArrayBuffer));
  }
}

function leastLoaded(pool: Pool): Slot | null {
  let slot: Slot | null = null;
  for (const s of pool.slots) if (s.ready && s.inFlight.size < pool.depth && (!slot || s.inFlight.size < slot.inFlight.size)) slot = s;
  return slot;
}

/** The queue's head, and (coalescing) the requests next in turn up to `coalesceBytes` of body in total. */
function takeBatch(pool: Pool): Pending[] {
  const batch = [pool.queue.shift()!];
  let bytes = batch[0].job.body.byteLength;
  while (pool.queue.length && bytes + pool.queue.peek()!.job.body.byteLength <= pool.coalesceBytes) {
    bytes += pool.queue.peek()!.job.body.byteLength;
    batch.push(pool.queue.shift()!);
  }
  return batch;
}

/** Queues one request; a client that goes away while it waits drops it (ClientGone). */
function enqueue(pool: Pool, job: ScoreJob, options?: ScoreOptions): Promise<ScoredBeats> {
  return new Promise<ScoredBeats>((resolve, reject) => {
    if (pool.closing) return reject(new Error('the scoring pool is closed'));
    const signal = options?.signal;
    if (signal?.aborted) return reject(new ClientGone());
    const pending: Pending = { job, client: options?.client, resolve, reject };
    if (signal) {
      const onAbort = () => { if (pool.queue.remove(pending.client, pending)) reject(new ClientGone()); };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.settled = () => signal.removeEventListener('abort', onAbort);
    }
    pool.queue.push(pending.client, pending);
    dispatch(pool);
  });
}
