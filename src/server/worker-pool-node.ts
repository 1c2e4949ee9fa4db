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
import { ClientGone, unwrap, type ScoredBeats, type Scorer } from './scorer.ts';

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

export function createWorkerPool(options: PoolOptions): Scorer & { whenReady: Promise<void> } {
  const n = Math.max(1, options.workers ?? availableParallelism());
  const coalesceBytes = options.coalesceBytes ?? DEFAULT_COALESCE_BYTES;
  const depth = Math.max(1, options.depth ?? 2);
  const spec = workerSpec();
  const queue = new FairQueue<Pending>();
  const slots: Slot[] = [];
  let closing = false;
  let readyCount = 0;
  let markReady!: () => void, failReady!: (e: Error) => void;
  const whenReady = new Promise<void>((res, rej) => { markReady = res; failReady = rej; });

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(spec.url, { stdout: false,
      workerData: { entry: spec.entry, manifest: options.manifest, tensors: options.tensors, maxBeats: options.maxBeats } }), ready: false, inFlight: new Map(), nextId: 0 };
    slot.worker.on('message', (m: { ready?: true; id?: number; results?: JobResult[]; crash?: string }) => {
      if (m.ready) {
        slot.ready = true;
        if (++readyCount === n) markReady();
        return dispatch();
      }
      const batch = slot.inFlight.get(m.id!);
      if (!batch) return;
      slot.inFlight.delete(m.id!);
      if (m.crash !== undefined) for (const p of batch) p.reject(new Error(`scoring thread failed: ${m.crash}`));
      else batch.forEach((p, i) => { try { p.resolve(unwrap(m.results![i])); } catch (e) { p.reject(e as Error); } });
      dispatch();
    });
    slot.worker.on('error', (e) => fail(slot, e));
    slot.worker.on('exit', (code) => { if (!closing) fail(slot, new Error(`scoring thread exited with code ${code}`)); });
    return slot;
  };

  // A thread that dies takes its batch with it (those requests get a 500) and is replaced,
  // unless it never became ready: then the model cannot load and the pool reports it.
  const fail = (slot: Slot, e: Error) => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    for (const batch of slot.inFlight.values()) for (const p of batch) p.reject(e);
    slot.inFlight.clear();
    void slot.worker.terminate();
    if (!slot.ready) { failReady(e); for (const p of queue.drain()) p.reject(e); return; }
    readyCount--;
    if (!closing) { slots.push(spawn()); }
  };

  // Hands queued requests to the least-loaded ready thread, up to `depth` batches each.
  const dispatch = () => {
    while (queue.length) {
      let slot: Slot | null = null;
      for (const s of slots) if (s.ready && s.inFlight.size < depth && (!slot || s.inFlight.size < slot.inFlight.size)) slot = s;
      if (!slot) return;
      const batch = [queue.shift()!];
      let bytes = batch[0].job.body.byteLength;
      while (queue.length && bytes + queue.peek()!.job.body.byteLength <= coalesceBytes) { bytes += queue.peek()!.job.body.byteLength; batch.push(queue.shift()!); }
      for (const p of batch) p.settled?.(); // on a thread now: no longer cancellable
      const id = ++slot.nextId;
      slot.inFlight.set(id, batch);
      // The bodies move to the thread (transferred, not copied).
      slot.worker.postMessage({ id, jobs: batch.map((p) => p.job) }, batch.map((p) => p.job.body.buffer as ArrayBuffer));
    }
  };

  for (let i = 0; i < n; i++) slots.push(spawn());
  whenReady.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  return {
    whenReady,
    ready: () => readyCount === n && slots.length === n,
    queued: () => queue.length,
    score: (job, options) => new Promise<ScoredBeats>((resolve, reject) => {
      if (closing) return reject(new Error('the scoring pool is closed'));
      const signal = options?.signal;
      if (signal?.aborted) return reject(new ClientGone());
      const pending: Pending = { job, client: options?.client, resolve, reject };
      if (signal) {
        const onAbort = () => { if (queue.remove(pending.client, pending)) reject(new ClientGone()); };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.settled = () => signal.removeEventListener('abort', onAbort);
      }
      queue.push(pending.client, pending);
      dispatch();
    }),
    close: async () => {
      closing = true;
      for (const p of queue.drain()) p.reject(new Error('the scoring pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
