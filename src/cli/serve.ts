// `npm run serve -- --model DIR [--port 8080] [--host 127.0.0.1] [--workers N]`: the scoring
// HTTP API (src/server/app.ts) on Node, scoring on a pool of worker threads. SIGTERM or SIGINT
// stops it gracefully: no new connections, requests in flight answered, then exit 0. Any
// failure to start (port in use, a bad --host, a model the threads cannot load) exits 1.
// Load is shed, not queued: past --max-queued-requests / --max-queued-bytes a request gets 503
// with Retry-After before its body is read (src/server/admission.ts, node-server.ts).

import '../index.ts';
import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { detectorFromParts } from '../detect/detector.ts';
import { loadModelFolder } from '../detect/model-folder-node.ts';
import { Admission, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_QUEUED_JOBS } from '../server/admission.ts';
import { createApp, DEFAULT_MAX_BEATS, DEFAULT_MAX_BODY_BYTES } from '../server/app.ts';
import { modelInfoFromManifest } from '../server/model-info.ts';
import { DEFAULT_MAX_PIPELINED, startNodeServer, type RunningServer } from '../server/node-server.ts';
import { createInProcessScorer, type Scorer } from '../server/scorer.ts';
import { createWorkerPool, DEFAULT_COALESCE_BYTES } from '../server/worker-pool-node.ts';
import { intFlag, runCommand, UserError, type CommandSpec } from './args.ts';
import { manifestWithThresholdFlag, THRESHOLD_OPTION } from './model-store.ts';

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'serve a saved detector over HTTP (POST /score, POST /predict, GET /model, /health, /ready, /metrics)',
  usage: 'npm run serve -- --model DIR [--port 8080] [--host 127.0.0.1] [--workers N] [--log stderr|none|FILE] [--threshold RULE|VALUE]',
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder written by train' },
    port: { type: 'string', value: 'N', description: 'port (0 = any free port)', default: '8080' },
    host: { type: 'string', value: 'HOST', description: 'interface to listen on', default: '127.0.0.1' },
    workers: { type: 'string', value: 'N', description: `scoring threads; 0 = score on the event loop (default: ${availableParallelism()}, the CPU count)` },
    'max-beats': { type: 'string', value: 'N', description: 'most beats in one request (413 above)', default: String(DEFAULT_MAX_BEATS) },
    'max-body-bytes': { type: 'string', value: 'N', description: 'largest request body (413 above)', default: String(DEFAULT_MAX_BODY_BYTES) },
    'max-queued-requests': { type: 'string', value: 'N', description: 'requests admitted at once (read, queued or scoring); 503 + Retry-After above', default: String(DEFAULT_MAX_QUEUED_JOBS) },
    'max-queued-bytes': { type: 'string', value: 'N', description: 'their body bytes (a body over 1/64 of this may use 3/4 of it; the rest is kept for small requests)', default: String(DEFAULT_MAX_QUEUED_BYTES) },
    'max-pipelined': { type: 'string', value: 'N', description: 'requests one connection may have admitted at once; the next body is read when one is answered', default: String(DEFAULT_MAX_PIPELINED) },
    'coalesce-bytes': { type: 'string', value: 'N', description: 'queued request bodies one thread scores together, up to this many bytes; 0 = off', default: String(DEFAULT_COALESCE_BYTES) },
    'headers-timeout-ms': { type: 'string', value: 'MS', description: 'a client must send its headers within this', default: '10000' },
    'request-timeout-ms': { type: 'string', value: 'MS', description: 'a client must send its whole request within this', default: '30000' },
    'keep-alive-timeout-ms': { type: 'string', value: 'MS', description: 'idle keep-alive connections close after this', default: '5000' },
    'grace-ms': { type: 'string', value: 'MS', description: 'on SIGTERM, how long requests in flight may take before connections are cut', default: '10000' },
    log: { type: 'string', value: 'stderr|none|FILE', description: 'one JSON line per request: to stderr, nowhere, or appended to FILE', default: 'stderr' },
    ...THRESHOLD_OPTION,
  },
  examples: ['npm run serve -- --model models/dense --port 8080',
    'curl -s -H "content-type: application/json" -d \'{"beat": [...140 numbers]}\' http://127.0.0.1:8080/predict'],
};

async function main({ values }: { values: Record<string, string | boolean | undefined> }): Promise<void> {
  if (typeof values.model !== 'string') throw new UserError('--model DIR is required', 2);
  const port = intFlag(values, 'port', { min: 0, max: 65535 });
  const workers = values.workers === undefined ? availableParallelism() : intFlag(values, 'workers', { min: 0, max: 256 });
  const maxBeats = intFlag(values, 'max-beats', { min: 1 });
  const maxBodyBytes = intFlag(values, 'max-body-bytes', { min: 1 });
  const maxQueuedBytes = intFlag(values, 'max-queued-bytes', { min: 1 });
  if (maxQueuedBytes < maxBodyBytes) throw new UserError(`--max-queued-bytes (${maxQueuedBytes}) must be at least --max-body-bytes (${maxBodyBytes})`, 2);
  const admission = new Admission({ maxJobs: intFlag(values, 'max-queued-requests', { min: 1 }), maxBytes: maxQueuedBytes, maxBodyBytes });
  const maxPipelined = intFlag(values, 'max-pipelined', { min: 1 });
  const ms = (name: string) => intFlag(values, name, { min: 1 });
  const logTo = String(values.log);

  const { manifest: saved, tensors } = loadModelFolder(values.model);
  const manifest = manifestWithThresholdFlag(values.model, saved as Record<string, any>, values.threshold);
  let detector;
  try { detector = detectorFromParts(manifest as any, tensors); } catch (e) { throw new Error(`${values.model}: ${(e as Error).message}`); }

  const stream = logTo === 'none' ? null : logTo === 'stderr' ? process.stderr : createWriteStream(logTo, { flags: 'a' });
  const log = stream ? (entry: Record<string, unknown>) => { stream.write(JSON.stringify(entry) + '\n'); } : undefined;
  const coalesceBytes = intFlag(values, 'coalesce-bytes', { min: 0 });
  const timeouts = { headersTimeoutMs: ms('headers-timeout-ms'), requestTimeoutMs: ms('request-timeout-ms'), keepAliveTimeoutMs: ms('keep-alive-timeout-ms') };
  const graceMs = ms('grace-ms');
  const scorer: Scorer = workers === 0 ? createInProcessScorer(detector, { maxBeats })
    : createWorkerPool({ manifest, tensors, maxBeats, workers, coalesceBytes });
  let draining = false;
  const app = createApp(scorer, { model: modelInfoFromManifest(manifest, { maxBeatsPerRequest: maxBeats, maxBodyBytes }), maxBodyBytes, log,
    draining: () => draining, admission });
  let running: RunningServer;
  try {
    running = await startNodeServer({ fetch: app.fetch, port, host: String(values.host), maxBodyBytes, admission, maxPipelined,
      onRefusal: app.refused, ...timeouts });
  } catch (e) {
    // The scoring threads would keep the process alive, serving nothing: stop them, exit 1.
    await scorer.close();
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot listen on ${values.host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`);
  }
  process.stdout.write(`serving ${values.model} on http://${values.host}:${running.port} (${workers === 0 ? 'scoring on the event loop' : `${workers} scoring threads`})\n`);
  // Signal handlers first: a SIGTERM while the threads load the model is a graceful stop too.
  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    log?.({ time: new Date().toISOString(), level: 'info', event: 'shutdown', signal });
    const finished = await running.stop(graceMs);
    await scorer.close();
    log?.({ time: new Date().toISOString(), level: finished ? 'info' : 'error', event: 'stopped', inFlightFinished: finished });
    if (stream && stream !== process.stderr) await new Promise<void>((r) => (stream as NodeJS.WritableStream).end(r));
    process.exit(finished ? 0 : 1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Listening before the threads are up: /health answers at once, /ready says 503 until then.
  if ('whenReady' in scorer) {
    try { await (scorer.whenReady as Promise<void>); } catch (e) {
      if (draining) return; // a signal closed the threads while they loaded: shutdown() exits
      await running.stop(1000);
      await scorer.close();
      throw new Error(`the scoring threads could not load the model: ${(e as Error).message}`);
    }
  }
  process.stdout.write('ready\n');
}

// A failed start must end the process (exit 1), whatever handle is still open.
void runCommand(serveSpec, main).then(() => { if (process.exitCode) process.exit(); });
