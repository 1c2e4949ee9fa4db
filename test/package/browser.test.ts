// The scoring core in headless Chromium (Debian's chromium via playwright-core) under a strict
// Content-Security-Policy: on the page and in a module Web Worker, with WebAssembly allowed
// ('wasm-unsafe-eval': the wasm kernels) and without it (the TypeScript cpu kernels). Each
// variant must give exactly the scores of `npm run detect` with the same kernels (default: wasm;
// `--backend cpu`). The two kernel sets sum in different orders, so their scores may differ in
// the last float32 bit: they are compared with a tolerance, and their flags must agree.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../demo/bundle.ts';
import { serveStatic, TYPES, type Served, type StaticServer } from '../../demo/static-server.ts';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';

const N = 30;
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";
const NO_WASM = "default-src 'self'; script-src 'self'; worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";

let browser: Browser;
let routes: Record<string, Served>;
let cli: { scores: number[]; flags: number[] };
let cliCpu: { scores: number[]; flags: number[] };

beforeAll(async () => {
  expect(existsSync(CHROMIUM), "install Debian's chromium (.ci/run does)").toBe(true);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-browser-'));
  const model = path.join(tmp, 'dense');
  const train = runCli('train', ['--data', ECG5000_DIR, '--epochs', '3', '--no-plots', '--out', model]);
  expect(train.code, train.stderr).toBe(0);
  const beatsFile = path.join(tmp, 'beats.txt');
  writeFileSync(beatsFile, readFileSync(path.join(ECG5000_DIR, 'ECG5000_TEST.txt'), 'utf8').split('\n').slice(0, N).join('\n') + '\n');
  const detect = (backend: string) => {
    const r = runCli('detect', ['--model', model, beatsFile, '--json', '--backend', backend]);
    expect(r.code, r.stderr).toBe(0);
    return { scores: r.json.beats.map((b: { score: number }) => b.score), flags: r.json.beats.map((b: { flag: boolean }) => (b.flag ? 1 : 0)) };
  };
  cli = detect('wasm');
  cliCpu = detect('cpu');
  expect(cli.scores).toHaveLength(N);
  for (let i = 0; i < N; i++) expect(Math.abs(cliCpu.scores[i] - cli.scores[i])).toBeLessThanOrEqual(1e-5 * Math.abs(cli.scores[i]));
  expect(cliCpu.flags).toEqual(cli.flags);

  const fixtures = path.join(REPO, 'test/package/fixtures/browser');
  routes = {
    '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>cardiograd</title><script type="module" src="page.js"></script>', type: TYPES.html },
    '/page.js': { body: await bundleForBrowser(path.join(fixtures, 'page.ts')), type: TYPES.js },
    '/worker.js': { body: await bundleForBrowser(path.join(fixtures, 'worker.ts')), type: TYPES.js },
    '/model/model.safetensors': { file: path.join(model, 'model.safetensors'), type: TYPES.bytes },
    '/beats.txt': { file: beatsFile, type: TYPES.text },
  };
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => { await browser?.close(); });

async function scoreIn(where: 'page' | 'worker', csp: string) {
  const server: StaticServer = await serveStatic(routes, { csp });
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') violations.push(m.text()); });
  try {
    await page.goto(`${server.url}?in=${where}`);
    await page.waitForFunction(() => window.cardiogradResult !== undefined, undefined, { timeout: 60_000 });
    return { result: await page.evaluate(() => window.cardiogradResult!), console: violations };
  } finally {
    await page.close();
    await server.close();
  }
}

describe('cardiograd/detector in headless Chromium under a strict CSP', () => {
  for (const where of ['page', 'worker'] as const) {
    it(`${where}: script-src 'self' 'wasm-unsafe-eval' scores with the wasm kernels, like npm run detect`, async () => {
      const { result } = await scoreIn(where, STRICT);
      if ('error' in result) throw new Error(result.error);
      expect(result.codeFromStrings, 'the CSP must forbid eval / new Function').toBe(false);
      // On a page's main thread Chromium refuses synchronous compiles of modules over 4 kB;
      // the kernels are smaller, so both realms get wasm.
      expect(result.backend).toBe('wasm');
      expect(result.scores).toEqual(cli.scores);
      expect(result.flags).toEqual(cli.flags);
    }, 90_000);

    it(`${where}: without 'wasm-unsafe-eval' falls back to the cpu kernels: npm run detect -- --backend cpu's scores`, async () => {
      const { result } = await scoreIn(where, NO_WASM);
      if ('error' in result) throw new Error(result.error);
      expect(result.codeFromStrings).toBe(false);
      expect(result.backend).toBe('cpu');
      expect(result.scores).toEqual(cliCpu.scores);
      expect(result.flags).toEqual(cli.flags);
    }, 90_000);
  }
});
