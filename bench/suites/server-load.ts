// Load on the scoring service over loopback: the OLD server (bench/baselines/server-v0.ts: Node
// http, one synchronous scorer on the event loop) against the NEW one (Hono fetch handler,
// worker-thread pool, coalescing; and the new one with coalescing off), in the same run.
// 64 connections of 1-beat and of 256-beat POST /score requests (autocannon, in a worker
// thread of this process); meanwhile /health is probed every 25 ms on its own connection.
// Each server runs in a child process (this file, run with --target), so the load generator
// never shares the server's event loop. Same dense detector (default architecture, seed 0) and
// ECG5000 beats everywhere.
//   rows: req/s, beats/s (ratio vs old), p50/p99 latency (ratio old/new: higher = better),
//   /health p99 and max under the 256-beat load.

import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { BenchConfig, Row } from '../lib.ts';
import type { BeatMatrix } from '../../src/training/trainer.ts';

const CONNECTIONS = 64;
const SIZES = [1, 256] as const;
const TARGETS = ['old', 'new', 'new-nocoalesce'] as const;
type Target = (typeof TARGETS)[number];

interface LoadResult { reqPerSec: number; p50: number; p99: number; non2xx: number; errors: number; healthP99: number; healthMax: number; healthN: number }

/** Request body: beats as a data file would hold them (8 significant digits). */
function body(beats: BeatMatrix, n: number): string {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(beats.data.subarray((i % beats.n) * beats.length, (i % beats.n + 1) * beats.length), (v) => Number(v.toPrecision(8))));
  return JSON.stringify({ beats: rows });
}

function startTarget(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--target', target], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server-load target ${target} exited (${code}) before listening`)));
  });
}

function stopTarget(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 15_000).unref(); });
}

/** /health every 25 ms on its own keep-alive connection while `during` runs: latencies in ms. */
async function probeHealth<T>(port: number, during: Promise<T>): Promise<{ result: T; ms: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let done = false;
  const loop = (async () => {
    while (!done) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => { res.resume(); res.on('end', () => resolve()); })
          .on('error', () => resolve());
      });
      ms.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const result = await during;
  done = true;
  await loop;
  agent.destroy();
  return { result, ms };
}

async function load(port: number, payload: string, seconds: number): Promise<{ reqPerSec: number; p50: number; p99: number; non2xx: number; errors: number }> {
  const autocannon = createRequire(import.meta.url)('autocannon') as (o: object) => Promise<any>;
  const r = await autocannon({ url: `http://127.0.0.1:${port}/score`, method: 'POST', connections: CONNECTIONS, duration: seconds,
    headers: { 'content-type': 'application/json' }, body: payload, workers: 1, timeout: 30 });
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };

export async function serverLoadSuite(cfg: BenchConfig, beats: BeatMatrix): Promise<Row[]> {
  const seconds = cfg.timeMs >= 600 ? 10 : 3;
  const results = new Map<string, LoadResult>();
  for (const target of TARGETS) {
    const { child, port } = await startTarget(target);
    try {
      for (const size of SIZES) {
        const payload = body(beats, size);
        await load(port, payload, 1); // warm-up: JIT, connections
        const { result, ms } = await probeHealth(port, load(port, payload, seconds));
        results.set(`${target}/${size}`, { ...result, healthP99: pct(ms, 99), healthMax: Math.max(...ms), healthN: ms.length });
      }
    } finally {
      await stopTarget(child);
    }
  }
  const rows: Row[] = [];
  for (const size of SIZES) {
    const old = results.get(`old/${size}`)!;
    for (const target of TARGETS) {
      const r = results.get(`${target}/${size}`)!;
      const name = (what: string) => `${target} server, ${CONNECTIONS} conns x ${size}-beat: ${what}`;
      const vs = target === 'old' ? {} : { baseline: `old server, ${CONNECTIONS} conns x ${size}-beat: beats/s` };
      if (r.non2xx || r.errors) console.warn(`server-load: ${target} ${size}-beat: ${r.non2xx} non-2xx answers, ${r.errors} errors/timeouts`);
      rows.push(
        { suite: 'server-load', name: name('beats/s'), ms: r.p50, value: r.reqPerSec * size, unit: 'beats/s', samples: seconds, ...vs,
          ...(target === 'old' ? {} : { ratio: r.reqPerSec / old.reqPerSec }) },
        { suite: 'server-load', name: name('req/s'), ms: r.p50, value: r.reqPerSec, unit: 'req/s', samples: seconds },
        { suite: 'server-load', name: name('p50 latency'), ms: r.p50, value: r.p50, unit: 'ms', samples: seconds },
        { suite: 'server-load', name: name('p99 latency'), ms: r.p99, value: r.p99, unit: 'ms', samples: seconds,
          ...(target === 'old' ? {} : { baseline: `old server p99 (ratio = old/new)`, ratio: old.p99 / r.p99 }) },
        { suite: 'server-load', name: name('/health p99 | max'), ms: r.healthP99, value: r.healthMax, unit: `ms max (p99 ${r.healthP99.toFixed(1)} ms, ${r.healthN} probes)`, samples: r.healthN },
      );
    }
  }
  return rows;
}

// --- the server side, in its own process: `tsx bench/suites/server-load.ts --target old|new|new-nocoalesce`
async function serveTarget(target: Target): Promise<void> {
  await import('../../src/index.ts');
  const { createAutoencoder } = await import('../../src/autoencoders/registry.ts');
  const { defaultArchitecture } = await import('../../src/autoencoders/defaults.ts');
  const { detectorFromParts } = await import('../../src/detect/detector.ts');
  const { fitScaler, scalerToJSON } = await import('../../src/detect/scaler.ts');
  const { loadWorkload } = await import('../workload.ts');
  const { beats } = loadWorkload();
  const architecture = defaultArchitecture('dense', beats.length);
  const tensors = createAutoencoder(architecture, 0).stateDict();
  const manifest = { formatVersion: 1, architecture, scaler: scalerToJSON(fitScaler('standard', beats.data, beats.n, beats.length)),
    threshold: { value: 1, method: 'bench' }, scoring: { kind: 'deterministic' as const },
    tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [...t.shape]])) };
  const detector = detectorFromParts(manifest, tensors);
  if (target === 'old') {
    const { createScoringServer } = await import('../baselines/server-v0.ts');
    const server = createScoringServer(detector, { kind: 'dense' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
    process.on('SIGTERM', () => process.exit(0));
    return;
  }
  const { createApp } = await import('../../src/server/app.ts');
  const { modelInfoFromManifest } = await import('../../src/server/model-info.ts');
  const { createWorkerPool } = await import('../../src/server/worker-pool-node.ts');
  const { startNodeServer } = await import('../../src/server/node-server.ts');
  const limits = { maxBeatsPerRequest: 4096, maxBodyBytes: 8 << 20 };
  const pool = createWorkerPool({ manifest, tensors, maxBeats: limits.maxBeatsPerRequest, coalesceBytes: target === 'new' ? undefined : 0 });
  await pool.whenReady;
  const app = createApp(pool, { model: modelInfoFromManifest(manifest, limits) });
  const running = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening ${running.port}\n`);
  process.on('SIGTERM', () => void running.stop(5000).then(() => pool.close()).then(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--target');
  const target = process.argv[i + 1] as Target;
  if (i < 0 || !TARGETS.includes(target)) { console.error(`usage: tsx bench/suites/server-load.ts --target ${TARGETS.join('|')}`); process.exit(2); }
  serveTarget(target).catch((e) => { console.error(`server-load target: ${(e as Error).message}`); process.exit(1); });
}
