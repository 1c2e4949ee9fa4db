// How much a page downloads to score beats: the cardiograd/detector entry bundled with esbuild
// (minified, ESM, browser platform, wasm kernels included), gzipped. The dense-only bundle is
// the one a dense model needs; its size is guarded by test/package/bundle-size.test.ts.

import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchConfig, Row } from '../lib.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** What each measured page imports (from the package's source entry, src/detector.ts). */
export const SCORING_PAGES = {
  'dense-only': `import { decodeSafetensors, detectorForKinds, denseSpec } from './src/detector.ts';
    globalThis.score = (manifest, bytes, beats, n) =>
      detectorForKinds([denseSpec], manifest, decodeSafetensors(bytes).tensors).detect(beats, n);`,
  'all kinds': `import { decodeSafetensors, detectorFromParts } from './src/detector.ts';
    globalThis.score = (manifest, bytes, beats, n) =>
      detectorFromParts(manifest, decodeSafetensors(bytes).tensors).detect(beats, n);`,
} as const;

export interface BuiltBundle {
  js: string;
  bytes: number;
  gzipBytes: number;
  /** Every source file that put code in the bundle, relative to the repository. */
  inputs: string[];
}

/**
 * Bundles `source` (a page's module text) as a browser ESM file; nothing is written to disk.
 * Imports resolve from `dir` (default: this repository; a user's app folder works too).
 */
export async function bundlePage(source: string, dir = REPO): Promise<BuiltBundle> {
  const r = await build({
    stdin: { contents: source, resolveDir: dir, sourcefile: 'page.js', loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, metafile: true, logLevel: 'silent', absWorkingDir: dir,
  });
  const out = r.outputFiles[0].contents;
  const inputs = Object.entries(Object.values(r.metafile.outputs)[0].inputs)
    .filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
  return { js: new TextDecoder().decode(out), bytes: out.length, gzipBytes: gzipSync(out, { level: 9 }).length, inputs };
}

export async function bundleSizeSuite(_cfg: BenchConfig): Promise<Row[]> {
  const rows: Row[] = [];
  const sizes: Record<string, number> = {};
  for (const [name, source] of Object.entries(SCORING_PAGES)) {
    const t0 = performance.now();
    const b = await bundlePage(source);
    sizes[name] = b.gzipBytes;
    rows.push({ suite: 'bundle-size', name: `${name} scoring bundle (${(b.bytes / 1024).toFixed(1)} kB minified)`,
      ms: performance.now() - t0, value: b.gzipBytes / 1024, unit: 'kB gzipped', samples: 1 });
  }
  // The ratio says how many times smaller the dense-only page is than one carrying every kind.
  rows[0].baseline = rows[1].name;
  rows[0].ratio = sizes['all kinds'] / sizes['dense-only'];
  return rows;
}
