// Bundles a browser module (a page script or a module worker) from TypeScript sources with
// esbuild, in memory: what a user's bundler does with cardiograd/detector. Node only.

import { build } from 'esbuild';

/** One minified ESM file for browsers, with the source map inlined (readable stack traces). */
export async function bundleForBrowser(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    sourcemap: 'inline', write: false, logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}
