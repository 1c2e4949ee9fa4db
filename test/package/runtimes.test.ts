// The packed tarball, installed offline into an empty folder, on every runtime the package is
// meant to embed in (issue 26): Node (plain ESM), Deno 2 (unbundled, its own file API), workerd
// (Cloudflare Workers' runtime; bundled with esbuild, kernels.wasm imported as a module), Bun,
// QuickJS (quickjs-emscripten: no JIT, no WebAssembly) and headless Chromium. Deno, workerd and
// Bun are the npm packages in devDependencies (installed by npm ci; nothing is fetched here).
// cardiograd/detector's scores on ECG5000 beats must match Node's within 1e-5 relative (wasm and
// TS kernels round differently), cardiograd/server must answer POST /predict with the same
// errors, and cardiograd/monitor must give the CLI's --jsonl records for record 100's samples.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { getQuickJS } from 'quickjs-emscripten';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, TYPES } from '../../demo/static-server.ts';
import { ECG5000_DIR, runCli } from '../helpers/cli.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';
import { comparableSummary, ENTRY_OPTIONS, entryOptions, monitorExcerpt, to12Digits, type MonitorExcerpt } from './monitor-excerpt.ts';
import { installTarballOffline, packTarball, REPO } from './offline-install.ts';

const N = 40;
const FIXTURES = path.join(REPO, 'test/package/fixtures/runtimes');
// deno's postinstall links its binary into node_modules/deno; where install scripts did not run,
// it is still in the platform package.
const DENO = [path.join(REPO, 'node_modules/deno/deno'), path.join(REPO, `node_modules/@deno/${process.platform}-${process.arch === 'x64' ? 'x64' : 'arm64'}-glibc/deno`)]
  .find((c) => existsSync(c)) ?? 'node_modules/deno/deno';
const WORKERD = path.join(REPO, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');

interface Scored { scores: number[]; flags: number[]; kernels: string }
interface Predicted { status: number; kernels: string | null; body: { results: { reconstruction_error: number; anomaly: boolean }[] } }
interface RuntimeOut { score: Scored; predict: Predicted; monitor?: { records: unknown[]; summary: object } }

let app = '';
let beats: number[][] = [];
let cli: { scores: number[]; flags: number[] };
let excerpt: MonitorExcerpt;
let node: RuntimeOut;

function expectClose(got: number[], want: number[]) {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `beat ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(1e-5 * Math.abs(want[i])));
}

function expectPredict(p: Predicted, scores: number[], flags: number[]) {
  expect(p.status).toBe(200);
  expectClose(p.body.results.map((r) => r.reconstruction_error), scores);
  expect(p.body.results.map((r) => (r.anomaly ? 1 : 0))).toEqual(flags);
}

/** Node: exactly the CLI's records; another engine: the same to 12 digits (see to12Digits). */
function expectMonitor(m: RuntimeOut['monitor'], exact = false, ref = excerpt) {
  expect(m, 'monitor output').toBeDefined();
  expect(m!.records.length).toBe(ref.records.length);
  if (exact) {
    expect(m!.records).toEqual(ref.records);
    expect(comparableSummary(m!.summary)).toEqual(comparableSummary(ref.summary));
  } else {
    expect(to12Digits(m!.records)).toEqual(to12Digits(ref.records));
    expect(to12Digits(comparableSummary(m!.summary))).toEqual(to12Digits(comparableSummary(ref.summary)));
  }
}

/** Runs `bin args` in the app folder; its stdout is one JSON line. */
function runJson(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): RuntimeOut {
  const r = spawnSync(bin, args, { cwd: app, encoding: 'utf8', timeout: 50_000, env: { ...process.env, ...env } });
  expect(r.status, `${path.basename(bin)} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Bundles a fixture from the app folder (imports resolve to the installed package). */
async function bundle(entry: string, format: 'esm' | 'iife', extra: Parameters<typeof build>[0] = {}): Promise<string> {
  const r = await build({ entryPoints: [path.join(app, entry)], bundle: true, write: false, format, target: 'es2022',
    platform: 'browser', absWorkingDir: app, logLevel: 'silent', ...extra });
  return r.outputFiles![0].text;
}

beforeAll(() => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-runtimes-'));
  const model = path.join(tmp, 'dense');
  const train = runCli('train', ['--data', ECG5000_DIR, '--epochs', '2', '--no-plots', '--out', model]);
  expect(train.code, train.stderr).toBe(0);
  const beatsFile = path.join(tmp, 'beats.txt');
  writeFileSync(beatsFile, readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, N).join('\n') + '\n');
  const detect = runCli('detect', ['--model', model, beatsFile, '--json']);
  expect(detect.code, detect.stderr).toBe(0);
  cli = { scores: detect.json.beats.map((b: { score: number }) => b.score), flags: detect.json.beats.map((b: { flag: boolean }) => (b.flag ? 1 : 0)) };
  excerpt = monitorExcerpt();

  app = installTarballOffline(packTarball(tmp), path.join(tmp, 'app'), ['hono']);
  cpSync(FIXTURES, app, { recursive: true });
  cpSync(model, path.join(app, 'model'), { recursive: true });
  beats = readFileSync(beatsFile, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).slice(1).map(Number));
  writeFileSync(path.join(app, 'beats.json'), JSON.stringify(beats));
  writeFileSync(path.join(app, 'monitor.json'), JSON.stringify({ samples: excerpt.samples, options: ENTRY_OPTIONS }));
  node = runJson(process.execPath, ['node-main.mjs', 'monitor']);
}, 300_000);

describe('the packed tarball on each runtime', () => {
  it('Node, plain ESM: the scores of npm run detect, /predict alike, the CLI monitor records', () => {
    expect(node.score.scores).toEqual(cli.scores);
    expect(node.score.flags).toEqual(cli.flags);
    expect(node.score.kernels).toBe('wasm');
    expectPredict(node.predict, cli.scores, cli.flags);
    expect(node.predict.kernels).toBe('wasm');
    expectMonitor(node.monitor, true);
  }, 60_000);

  it('Deno 2, unbundled: Node\'s scores, /predict and monitor', () => {
    expect(existsSync(DENO), `npm ci installs the deno devDependency (${DENO})`).toBe(true);
    const deno = runJson(DENO, ['run', '--allow-read', '--no-prompt', 'deno-main.mjs', 'monitor'],
      { DENO_DIR: path.join(app, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
    expectClose(deno.score.scores, node.score.scores);
    expect(deno.score.flags).toEqual(node.score.flags);
    expect(deno.score.kernels).toBe('wasm');
    expectPredict(deno.predict, node.score.scores, node.score.flags);
    expectMonitor(deno.monitor);
  }, 60_000);

  it('Bun: Node\'s scores, /predict and monitor', () => {
    const out = runJson(bunBinary(), ['node-main.mjs', 'monitor']);
    expectClose(out.score.scores, node.score.scores);
    expect(out.score.flags).toEqual(node.score.flags);
    expectPredict(out.predict, node.score.scores, node.score.flags);
    expectMonitor(out.monitor);
  }, 60_000);

  it('docs/embedding.md\'s Deno.serve and Bun.serve servers answer POST /predict over HTTP', async () => {
    const deno = await servePredict(DENO, ['run', '--allow-read', '--allow-net=127.0.0.1', '--no-prompt', 'deno-serve.mjs'],
      { DENO_DIR: path.join(app, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
    expectPredict(deno, node.score.scores, node.score.flags);
    expect(deno.kernels).toBe('wasm');
    const bun = await servePredict(bunBinary(), ['bun-serve.mjs']);
    expectPredict(bun, node.score.scores, node.score.flags);
  }, 60_000);

  describe('workerd (Cloudflare Workers)', () => {
    let proc: ChildProcess | null = null;
    let base = '';
    let log = '';
    afterAll(() => { proc?.kill(); });

    beforeAll(async () => {
      expect(existsSync(WORKERD), 'npm ci installs @cloudflare/workerd-linux-64').toBe(true);
      const workerBundle = (entry: string) => bundle(entry, 'esm', { conditions: ['workerd', 'worker', 'browser'], external: ['./kernels.wasm'],
        loader: { '.json': 'json', '.safetensors': 'binary' } });
      writeFileSync(path.join(app, 'worker.js'), await workerBundle('worker.mjs'));
      // The package's kernels.wasm, found through its exports map as a user's bundler would.
      copyFileSync(createRequire(path.join(app, 'package.json')).resolve('cardiograd/kernels.wasm'), path.join(app, 'kernels.wasm'));
      const port = await freePort();
      writeFileSync(path.join(app, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"), (name = "kernels.wasm", wasm = embed "kernels.wasm") ],
  compatibilityDate = "2025-09-01",
);
`);
      proc = spawn(WORKERD, ['serve', 'config.capnp'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout!.on('data', (d) => { log += d; });
      proc.stderr!.on('data', (d) => { log += d; });
      base = `http://127.0.0.1:${port}`;
      const until = Date.now() + 30_000;
      for (;;) {
        // Not /health: that would create the service, which hands the module to the core.
        try { if ((await fetch(`${base}/compile-forbidden`)).ok) break; } catch { /* not listening yet */ }
        if (Date.now() > until || proc.exitCode !== null) throw new Error(`workerd did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 60_000);

    const get = async (p: string) => {
      const res = await fetch(`${base}${p}`);
      const body = await res.json();
      expect(res.status, JSON.stringify(body) + log).toBe(200);
      return body;
    };

    // workerd, like Cloudflare's hosted Workers, refuses to compile wasm bytes at run time.
    it('compiling wasm bytes is refused; without the module the TS kernels score, like Node', async () => {
      expect((await get('/compile-forbidden')).forbidden).toBe(true);
      const r = await get('/score-bytes');
      expect(r.kernels).toBe('ts');
      expectClose(r.scores, node.score.scores);
      expect(r.flags).toEqual(node.score.flags);
    }, 60_000);

    it('scores with the wasm kernels when given the imported kernels.wasm module, and says so', async () => {
      const r = await get('/score-module');
      expect(r.moduleIsWasm).toBe(true);
      expect(r.kernels).toBe('wasm');
      expectClose(r.scores, node.score.scores);
      expect(r.flags).toEqual(node.score.flags);
    }, 60_000);

    it('cardiograd/server answers POST /predict (and GET /model) over HTTP', async () => {
      const res = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ beats }) });
      const p = { status: res.status, kernels: res.headers.get('x-cardiograd-kernels'), body: await res.json() } as Predicted;
      expectPredict(p, node.score.scores, node.score.flags);
      expect(p.kernels).toBe('wasm');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const model = await get('/model');
      expect(model.kind).toBe('dense');
      expect(model.inputLength).toBe(140);
    }, 60_000);
  });

  describe('QuickJS (an interpreter: no JIT, no WebAssembly)', () => {
    let script = '';
    // QuickJS has no WebAssembly: it learns with the TS kernels, so its reference is the CLI
    // run without WebAssembly on the same samples.
    let short: MonitorExcerpt;
    beforeAll(async () => {
      script = await bundle('global-entry.mjs', 'iife', { platform: 'neutral' });
      short = monitorExcerpt(360, 120, true);
    }, 60_000);

    const evalIn = async (code: string) => {
      const qjs = (await getQuickJS()).newContext();
      try {
        return JSON.parse(qjs.dump(qjs.unwrapResult(qjs.evalCode(`${script}\n${code}`))));
      } finally {
        qjs.dispose();
      }
    };

    it('cardiograd/detector scores like Node', async () => {
      const model = Array.from(readFileSync(path.join(app, 'model/model.safetensors')));
      const r = await evalIn(`JSON.stringify(embed.scoreBeats({ model: Uint8Array.from(${JSON.stringify(model)}), beats: ${JSON.stringify(beats)} }))`);
      expect(r.kernels).toBe('ts');
      expectClose(r.scores, node.score.scores);
      expect(r.flags).toEqual(node.score.flags);
    }, 60_000);

    it('cardiograd/monitor gives the CLI records for record 100 (6 min, TS kernels)', async () => {
      const t0 = Date.now();
      const r = await evalIn(`JSON.stringify(embed.runMonitor(${JSON.stringify({ samples: short.samples, options: entryOptions(120) })}))`);
      console.log(`QuickJS monitor: ${short.samples.length} samples, ${r.records.length} records in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(r.records.filter((x: { type: string }) => x.type === 'beat').length).toBeGreaterThan(100);
      expectMonitor(r, false, short);
    }, 60_000);
  });

  it('Chromium: a page scores like Node, and feeding record 100 to cardiograd/monitor in chunks gets the CLI\'s beats and classes', async () => {
    expect(existsSync(CHROMIUM), "install Debian's chromium (.ci/run does)").toBe(true);
    const server = await serveStatic({
      '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>monitor</title><script type="module" src="page.js"></script>', type: TYPES.html },
      '/page.js': { body: await bundle('page.mjs', 'esm'), type: TYPES.js },
      '/monitor.json': { file: path.join(app, 'monitor.json'), type: TYPES.json },
      '/beats.json': { file: path.join(app, 'beats.json'), type: TYPES.json },
      '/model/model.safetensors': { file: path.join(app, 'model/model.safetensors'), type: TYPES.bytes },
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => (window as { cardiogradResult?: unknown }).cardiogradResult !== undefined, undefined, { timeout: 45_000 });
      const result = await page.evaluate(() => (window as { cardiogradResult?: unknown }).cardiogradResult) as RuntimeOut & { error?: string };
      if (result?.error) throw new Error(result.error);
      expect(result.score.kernels, 'no CSP here: the page compiles the kernels').toBe('wasm');
      expectClose(result.score.scores, node.score.scores);
      expect(result.score.flags).toEqual(node.score.flags);
      expectMonitor(result.monitor);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});

/** Bun's binary from the `bun` devDependency (moved to bun/bin by its postinstall, else in the platform package). */
function bunBinary(): string {
  const bun = [path.join(REPO, 'node_modules/bun/bin/bun.exe'), path.join(REPO, `node_modules/@oven/bun-${process.platform}-${process.arch}/bin/bun`)]
    .find((c) => existsSync(c) && spawnSync(c, ['--version']).status === 0);
  expect(bun, 'npm ci installs the bun devDependency').toBeDefined();
  return bun!;
}

/** Starts `bin args PORT` in the app folder, waits for its "listening" line, POSTs /predict, stops it. */
async function servePredict(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Predicted> {
  const port = await freePort();
  const child = spawn(bin, [...args, String(port)], { cwd: app, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${path.basename(bin)} did not listen within 30 s: ${out}`)), 30_000);
      const seen = (d: Buffer) => { out += d; if (out.includes('listening')) { clearTimeout(timer); resolve(); } };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', (d) => { out += d; });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${path.basename(bin)} exited ${code}: ${out}`)); });
    });
    const res = await fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ beats }) });
    return { status: res.status, kernels: res.headers.get('x-cardiograd-kernels'), body: await res.json() } as Predicted;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
