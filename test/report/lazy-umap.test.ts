// cardiograd/node loads umap-js only when a report is made (issue 26 item 4).

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

// In a fresh process: import the node entry, look for umap-js among the loaded modules, then
// project once (what a report does) and look again.
const SCRIPT = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const loaded = () => Object.keys(cache).some((f) => f.includes('/node_modules/umap-js/'));
await import('./src/node.ts');
const atImport = loaded();
const { umap2d } = await import('./src/report/projection.ts');
const map = umap2d(Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), i / 30]), { seed: 1, epochs: 20 });
console.log(JSON.stringify({ atImport, afterReport: loaded(), points: map.length }));
`;

describe('lazy umap-js', () => {
  it('importing src/node.ts does not load umap-js; projecting a report map does', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: REPO, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ atImport: false, afterReport: true, points: 30 });
  });
});
