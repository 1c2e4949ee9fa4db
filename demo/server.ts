// The demo's server (Node only): bundles demo/main.ts and demo/worker.ts with esbuild, and
// serves them with a model file (model.safetensors) and sample beat files on 127.0.0.1, under the
// strict Content-Security-Policy an embedding page would use.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticEcg } from '../src/data/synthetic.ts';
import { modelFileBytes, peekManifest } from '../src/detect/model-folder-node.ts';
import { bundleForBrowser } from './bundle.ts';
import { serveStatic, TYPES, type Served, type StaticServer } from './static-server.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const DEMO_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
/** How many beats each sample file holds. */
export const SAMPLE_BEATS = 40;

export interface DemoOptions {
  /** A model folder (model.safetensors, or the older manifest.json + weights.safetensors). */
  model: string;
  /** A folder with ECG5000_TEST.txt for the "ECG5000 test beats" sample (skipped when absent). */
  data?: string;
  port?: number;
}

export interface DemoSample { file: string; title: string; text: string }

/** The sample beat files: the first ECG5000 test beats (when the data is there) and synthetic ones. */
export function demoSamples(dataDir: string | undefined, length: number): DemoSample[] {
  const samples: DemoSample[] = [];
  const test = dataDir ? path.join(dataDir, 'ECG5000_TEST.txt') : '';
  if (test && existsSync(test)) {
    // The first 20 normal beats (class 1) and the first 20 others, alternating: a mix to look at.
    const lines = readFileSync(test, 'utf8').split('\n').filter((l) => l.trim());
    const isNormal = (l: string) => Number(l.trim().split(/\s+/)[0]) === 1;
    const normal = lines.filter(isNormal).slice(0, SAMPLE_BEATS / 2);
    const other = lines.filter((l) => !isNormal(l)).slice(0, SAMPLE_BEATS / 2);
    const picked = normal.flatMap((l, i) => (other[i] ? [l, other[i]] : [l]));
    samples.push({ file: 'ecg5000-test-40.txt', title: `ECG5000 test set: ${normal.length} normal and ${other.length} abnormal beats`,
      text: `${picked.join('\n')}\n` });
  }
  // Synthetic beats (the project's seeded generator): label first, then the samples, like UCR.
  const syn = generateSyntheticEcg({ nNormal: 30, nAbnormal: 10, length, seed: 'demo' });
  const rows: string[] = [];
  for (let i = 0; i < syn.n; i++) rows.push([syn.labels[i], ...syn.beats.subarray(i * length, (i + 1) * length)].join(' '));
  samples.push({ file: 'synthetic-40.txt', title: `Synthetic beats (30 normal, 10 abnormal, ${length} samples)`, text: `${rows.join('\n')}\n` });
  return samples;
}

export async function startDemoServer(o: DemoOptions): Promise<StaticServer & { samples: DemoSample[] }> {
  // One file for the page, whichever layout the folder has (the older two files are joined).
  let model: Uint8Array, length: number;
  try {
    model = modelFileBytes(o.model);
    length = (peekManifest(o.model)!.manifest as { architecture: { length: number } }).architecture.length;
  } catch (e) {
    throw new Error(`${(e as Error).message}: --model needs a model folder (train one: npm run train -- --out models/dense)`);
  }
  const samples = demoSamples(o.data, length);
  const routes: Record<string, Served> = {
    '/index.html': { file: path.join(HERE, 'index.html'), type: TYPES.html },
    '/style.css': { file: path.join(HERE, 'style.css'), type: 'text/css; charset=utf-8' },
    '/main.js': { body: await bundleForBrowser(path.join(HERE, 'main.ts')), type: TYPES.js },
    '/worker.js': { body: await bundleForBrowser(path.join(HERE, 'worker.ts')), type: TYPES.js },
    '/model/model.safetensors': { body: model, type: TYPES.bytes },
    '/samples/index.json': { body: JSON.stringify(samples.map(({ file, title }) => ({ file, title }))), type: TYPES.json },
  };
  for (const s of samples) routes[`/samples/${s.file}`] = { body: s.text, type: TYPES.text };
  const server = await serveStatic(routes, { port: o.port, csp: DEMO_CSP });
  return { ...server, samples };
}
