// A scoring thread: builds its own detector from the model folder's decoded parts (sent once
// in workerData), then answers batches of request bodies: parse, validate, score, in one go.
//   in:  { id, jobs: [{ body, kind }] }        out: { id, results: JobResult[] } | { id, crash }

import { parentPort, workerData } from 'node:worker_threads';
import '../index.ts';
import { detectorFromParts } from '../detect/detector.ts';
import { scoreJobs, type ScoreJob } from './score-jobs.ts';

interface Init { manifest: any; tensors: Record<string, { shape: number[]; data: Float32Array }>; maxBeats: number }

const { manifest, tensors, maxBeats } = workerData as Init;
const detector = detectorFromParts(manifest, tensors);
const port = parentPort!;

port.on('message', ({ id, jobs }: { id: number; jobs: ScoreJob[] }) => {
  try {
    const results = scoreJobs(detector, jobs, maxBeats);
    const transfer = results.flatMap((r) => (r.ok ? [r.scores.buffer, r.flags.buffer] : []));
    port.postMessage({ id, results }, transfer as ArrayBuffer[]);
  } catch (e) {
    port.postMessage({ id, crash: String((e as Error)?.message ?? e) });
  }
});
port.postMessage({ ready: true });
