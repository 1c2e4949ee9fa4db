// The HTTP app (src/server/app.ts) is a Web-standard fetch handler: neither it nor anything it
// imports may use a Node API, gpu.js or ndarray, so it runs on Deno, Bun or an edge runtime.
// (The Node entry, node-server.ts, and the worker pool, *-node.ts, are the Node-only edges.)

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.ts';

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
}

describe('the scoring app is runtime-agnostic', () => {
  it('imports no Node API, gpu.js or ndarray, directly or through its imports', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
        else if (spec.startsWith('node:') || builtinModules.includes(spec) || /gpu\.js|ndarray/.test(spec)) bad.push(`${path.relative(REPO, file)} imports ${spec}`);
      }
    };
    visit(path.join(REPO, 'src/server/app.ts'));
    visit(path.join(REPO, 'src/server/score-jobs.ts'));
    expect(seen.size).toBeGreaterThan(8); // it really followed the imports (app -> scorer -> detector -> ...)
    expect(bad).toEqual([]);
  });
});
