// The engine and the scoring core must run in a browser, a worker or an edge runtime: no Node
// API, no gpu.js, no ndarray (it compiles code with new Function) anywhere in their imports.
// The only package they may import is valibot (manifest schemas; plain ESM, no code generation).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module reachable from `entry` through static imports: [file, imported specifier][]. */
function importGraph(entry: string): { files: Set<string>; external: [string, string][] } {
  const files = new Set<string>();
  const external: [string, string][] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    // Static imports and re-exports; dynamic import() is allowed (that is how gpu.js loads).
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else external.push([path.relative(SRC, file), spec]);
    }
  };
  visit(path.join(SRC, entry));
  return { files, external };
}

describe('runtime-agnostic core', () => {
  for (const entry of ['index.ts', 'detector.ts', 'detect/detector.ts']) {
    it(`${entry} imports nothing Node-only and no code-generating package`, () => {
      const { files, external } = importGraph(entry);
      expect(files.size).toBeGreaterThan(3);
      const allowed = new Set(['valibot']);
      const bad = external.filter(([, spec]) => !allowed.has(spec));
      expect(bad, `imports outside the allowed set: ${JSON.stringify(bad)}`).toEqual([]);
      for (const f of files) expect(path.basename(f), 'node-only files end in -node.ts').not.toMatch(/-node\.ts$/);
      for (const f of files) {
        // Comments may mention these; code may not.
        const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        expect(code, f).not.toMatch(/new Function\(|(^|[^.\w])eval\s*\((?!\)\s*:)/m); // a call to eval, not a method named eval
        expect(code, `${f} uses a Node global`).not.toMatch(/(^|[^.\w])((Buffer|process|global)\s*\.|require\s*\()|__dirname|__filename/m);
      }
    });
  }
});
