// The demo page (npm run demo) in headless Chromium: scores the ECG5000 sample in its Web
// Worker with exactly the scores of `npm run detect` on the same file, scores a dropped CSV of
// the same beats the same way, and leaves a screenshot in test-output/demo.png.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../demo/server.ts';
import { ECG5000_DIR, REPO, runCli } from '../helpers/cli.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';

let browser: Browser;
let server: Awaited<ReturnType<typeof startDemoServer>>;
let page: Page;
let tmp = '';
let model = '';

function cliScores(file: string, extra: string[] = []): { scores: number[]; flags: number[] } {
  const r = runCli('detect', ['--model', model, file, '--json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { scores: r.json.beats.map((b: { score: number }) => b.score), flags: r.json.beats.map((b: { flag: boolean }) => (b.flag ? 1 : 0)) };
}

async function waitDone(p: Page): Promise<{ scores: number[]; flags: number[]; n: number; backend: string }> {
  await p.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 60_000 });
  const state = await p.getAttribute('#status', 'data-state');
  if (state === 'error') throw new Error(`demo page: ${await p.textContent('#status')}`);
  return p.evaluate(() => {
    const r = window.demoResult!;
    return { scores: r.scores, flags: r.flags, n: r.n, backend: r.backend };
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-demo-'));
  model = path.join(tmp, 'dense');
  // A short training run with the threshold at the 90th percentile of the training errors, so
  // the sample's abnormal beats are flagged whatever the default threshold rule is.
  const train = runCli('train', ['--data', ECG5000_DIR, '--epochs', '20', '--threshold', 'p90', '--no-plots', '--out', model]);
  expect(train.code, train.stderr).toBe(0);
  server = await startDemoServer({ model, data: ECG5000_DIR, port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('#status[data-state="idle"]', { timeout: 30_000 });
  expect(errors).toEqual([]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the demo page', () => {
  it('scores the ECG5000 sample in its worker with the scores of npm run detect, and draws every beat', async () => {
    const sample = server.samples.find((s) => s.file.startsWith('ecg5000'))!;
    expect(sample, 'the ECG5000 sample is offered when the data folder has it').toBeDefined();
    await page.selectOption('#sample', sample.file);
    await page.click('#score-sample');
    const got = await waitDone(page);
    const file = path.join(tmp, sample.file);
    writeFileSync(file, sample.text);
    const cli = cliScores(file);
    expect(got.n).toBe(40);
    expect(got.scores).toEqual(cli.scores);
    expect(got.flags).toEqual(cli.flags);
    expect(got.backend).toBe('wasm');
    expect(await page.locator('article.beat').count()).toBe(40);
    const flagged = cli.flags.reduce((s, f) => s + f, 0);
    expect(flagged, 'the sample mixes normal and abnormal beats').toBeGreaterThan(0);
    expect(await page.locator('article.beat.flagged').count()).toBe(flagged);
    expect(await page.locator('article.beat polyline.rec').count()).toBe(40);
    const out = path.join(REPO, 'test-output');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'demo.png'), fullPage: false });
  }, 90_000);

  it('scores a CSV chosen through the file input the same way (label in the last column)', async () => {
    const sample = server.samples.find((s) => s.file.startsWith('ecg5000'))!;
    const csv = sample.text.trim().split('\n').map((l) => { const [label, ...v] = l.trim().split(/\s+/); return [...v, label].join(','); }).join('\n');
    const file = path.join(tmp, 'beats.csv');
    writeFileSync(file, `${csv}\n`);
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => window.demoResult?.name === 'beats.csv', undefined, { timeout: 60_000 });
    const got = await waitDone(page);
    expect(got.scores).toEqual(cliScores(path.join(tmp, sample.file)).scores);
  }, 90_000);

  it('scores unlabelled beats with "no label column" ticked, and suggests it when a file is one sample short', async () => {
    const sample = server.samples.find((s) => s.file.startsWith('ecg5000'))!;
    const raw = sample.text.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(1).join(',')).join('\n');
    const file = path.join(tmp, 'raw-beats.csv');
    writeFileSync(file, `${raw}\n`);
    await page.setInputFiles('#file', file);
    await page.waitForSelector('#status[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status')).toMatch(/raw-beats\.csv: beats have 139 samples.*tick "no label column"/);
    await page.check('#unlabelled');
    try {
      await page.setInputFiles('#file', []);
      await page.setInputFiles('#file', file);
      await page.waitForFunction(() => window.demoResult?.name === 'raw-beats.csv', undefined, { timeout: 60_000 });
      const got = await waitDone(page);
      expect(got.n).toBe(40);
      expect(got.scores).toEqual(cliScores(file, ['--label-column', 'none']).scores);
      expect(got.scores).toEqual(cliScores(path.join(tmp, sample.file)).scores); // the same beats, labelled
    } finally {
      await page.uncheck('#unlabelled');
    }
  }, 90_000);

  it('says what is wrong with a file it cannot read, naming the file and line', async () => {
    const file = path.join(tmp, 'broken.csv');
    writeFileSync(file, '1,2,3\n4,oops,6\n');
    await page.setInputFiles('#file', file);
    await page.waitForSelector('#status[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#status')).toMatch(/broken\.csv.*(line|row) 2/i);
  }, 60_000);

  it('npm run demo: --help, a clear error without a model, and the page served on 127.0.0.1', async () => {
    const tsx = path.join(REPO, 'node_modules/.bin/tsx');
    const help = spawnSync(tsx, ['demo/serve.ts', '--help'], { cwd: REPO, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--model DIR/);
    const missing = spawnSync(tsx, ['demo/serve.ts', '--model', path.join(tmp, 'nothing-here')], { cwd: REPO, encoding: 'utf8' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nothing-here" does not exist: --model needs a model folder/);

    const child = spawn(tsx, ['demo/serve.ts', '--model', model, '--data', ECG5000_DIR, '--port', '0'], { cwd: REPO });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => { out += d; const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/)/); if (m) resolve(m[1]); });
        child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
      expect(await res.text()).toMatch(/<script type="module" src="main.js">/);
      expect((await fetch(`${url}samples/index.json`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
