// The gpujs backend in a real browser: Chromium's WebGL2 (SwiftShader on a machine without a
// GPU), checked against the CPU kernels in the same page, then matmul GFLOP/s.
//
//   npx tsx bench/gpujs-browser.ts [--modes webgl2,webgl,webasm] [--chromium /usr/bin/chromium]
//
// Needs: Debian's `chromium` (apt-get install chromium) and the devDependency playwright-core.
// The page is bench/gpujs-browser-page.ts, bundled with esbuild (tsx's own dependency), plus
// gpu.js's browser build (window.GPU). Exits non-zero when any check fails.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { CheckRow, SpeedRow } from './gpujs-browser-page.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    modes: { type: 'string', default: 'webgl2,webgl,webasm' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    // --checks-only: the kernel checks without the matmul timings (the 1024³ rows take minutes
    // in SwiftShader on a busy 2-core machine; the test needs only the checks).
    'checks-only': { type: 'boolean', default: false },
  } });
  const modes = values.modes!.split(',');
  const bundle = await build({
    entryPoints: [path.join(here, 'gpujs-browser-page.ts')], bundle: true, write: false,
    format: 'iife', globalName: 'cardiogradPage', platform: 'browser', target: 'es2022', logLevel: 'error',
  });
  const gpuBrowser = readFileSync(require.resolve('gpu.js/dist/gpu-browser.js'), 'utf8');

  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: values.chromium, headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[page ${msg.type()}] ${msg.text()}`); });
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: gpuBrowser });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const info = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const dbg = gl?.getExtension('WEBGL_debug_renderer_info');
      return { userAgent: navigator.userAgent, webgl2: !!gl,
        renderer: gl && dbg ? String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL)) : 'n/a' };
    });
    console.log(`browser: ${info.userAgent}\nwebgl2: ${info.webgl2}, renderer: ${info.renderer}`);
    const result = await page.evaluate(async (m) => {
      const w = window as unknown as { cardiogradPage: { run(modes: string[], withSpeed: boolean): Promise<unknown> } };
      return w.cardiogradPage.run(m.modes, m.withSpeed);
    }, { modes, withSpeed: !values['checks-only'] }) as { checks: CheckRow[]; speed: SpeedRow[]; errors: string[] };

    for (const e of result.errors) console.log(`mode unavailable: ${e}`);
    const byMode = new Map<string, CheckRow[]>();
    for (const r of result.checks) byMode.set(r.mode, [...(byMode.get(r.mode) ?? []), r]);
    for (const [mode, rows] of byMode) {
      const failed = rows.filter((r) => !r.ok);
      console.log(`${mode}: ${rows.length - failed.length}/${rows.length} kernel checks pass`);
      for (const r of failed) console.log(`  FAIL ${r.check}: ${r.detail}`);
    }
    console.log('\nmatmul nn in the page   ms/call   GFLOP/s');
    for (const s of result.speed) {
      console.log(`${s.kernel.padEnd(14)}${s.shape.padEnd(16)}${s.ms.toFixed(2).padStart(8)}  ${s.gflops.toFixed(2).padStart(8)}`);
    }
    if (result.checks.some((r) => !r.ok) || result.checks.length === 0) process.exitCode = 1;
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
