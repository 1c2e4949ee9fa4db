// Issue 22 item 6: the package is self-consistent. `npm pack --dry-run --json` on a fresh build
// lists what a user gets. Every import in a shipped file must resolve: a relative path to
// another shipped file, or a bare name to a dependency, a peer dependency or a Node built-in.
// On today's main dist/cli/serve.js and client.js were shipped without the dist/server code
// they import, and hono was a dev dependency only. Every exports target is shipped too.
// `engines` allows only Nodes whose require() loads this ESM package (20.19+, 22.12+), and
// require() of each entry works here. The README's size figures match the measured ones.

import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './offline-install.ts';

interface PackInfo { size: number; unpackedSize: number; entryCount: number; files: { path: string; size: number }[] }

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
let stage = '';
let info: PackInfo;
let shipped: Set<string>;

beforeAll(() => {
  // The build in a staging folder (as test/package/offline-install.ts does): dist/ of the repository is left alone.
  stage = path.join(mkdtempSync(path.join(os.tmpdir(), 'cardiograd-pack-')), 'stage');
  mkdirSync(path.join(stage, 'wasm'), { recursive: true });
  for (const f of ['package.json', 'README.md', 'wasm/kernels.wasm', 'wasm/conv-kernels.wasm']) copyFileSync(path.join(REPO, f), path.join(stage, f));
  if (process.env.CARDIOGRAD_TEST_SKIP_BUILD === '1') cpSync(path.join(REPO, 'dist'), path.join(stage, 'dist'), { recursive: true });
  else execFileSync(path.join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', path.join(stage, 'dist')], { cwd: REPO, stdio: 'pipe' });
  const out = execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  [info] = JSON.parse(out.slice(out.indexOf('['))) as PackInfo[];
  shipped = new Set(info.files.map((f) => f.path));
}, 240_000);

/** The module specifiers a compiled .js or .d.ts file imports (static, dynamic, side-effect, new URL(..., import.meta.url)). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]);
  return found;
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

describe('npm pack --dry-run of a fresh build', () => {
  it('every import of every shipped file resolves to a shipped file, a dependency or a Node built-in', () => {
    const allowed = new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const problems: string[] = [];
    for (const file of shipped) {
      if (!/\.(js|d\.ts)$/.test(file)) continue;
      for (const spec of specifiers(readFileSync(path.join(stage, file), 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
          // A .d.ts names a module by its .js or .ts path (tsc keeps .ts there); TypeScript reads the .d.ts beside it.
          const candidates = file.endsWith('.d.ts') ? [target, target.replace(/\.[jt]s$/, '.d.ts'), `${target}.d.ts`] : [target];
          if (!candidates.some((c) => shipped.has(c))) problems.push(`${file} imports ${spec}: not in the package`);
        } else if (spec.startsWith('node:') || builtins.has(spec)) {
          continue;
        } else if (!allowed.has(packageName(spec))) {
          problems.push(`${file} imports ${spec}: not a dependency or peer dependency (${pkg.devDependencies?.[packageName(spec)] ? 'a dev dependency only' : 'not listed'})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every shipped .js is reachable from an exports entry (no dead weight in the install budget)', () => {
    // The monitor's file readers, reports and evaluation run from the CLI only (dist/cli is not
    // shipped); the package.json "files" list leaves them out. This keeps that list honest.
    const reached = new Set<string>();
    const todo: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') todo.push(v.replace(/^\.\//, ''));
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    while (todo.length) {
      const file = todo.pop()!;
      if (reached.has(file) || !file.endsWith('.js') || !shipped.has(file)) { reached.add(file); continue; }
      reached.add(file);
      for (const spec of specifiers(readFileSync(path.join(stage, file), 'utf8'))) {
        if (spec.startsWith('.')) todo.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
      }
    }
    const dead = [...shipped].filter((f) => f.endsWith('.js') && !reached.has(f));
    expect(dead, 'shipped but no export imports them: add "!path" to package.json "files"').toEqual([]);
  });

  it('main, types and every exports target are shipped', () => {
    const targets: string[] = [pkg.main, pkg.types];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    const missing = targets.filter((t) => t && !shipped.has(t.replace(/^\.\//, '')));
    expect(missing).toEqual([]);
  });

  it('engines allows only Nodes whose require() loads the package; require() of each entry works here', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    // Node_modules beside the staged package, so that its dependencies resolve.
    symlinkSync(path.join(REPO, 'node_modules'), path.join(stage, 'node_modules'));
    const entries = Object.entries(pkg.exports as Record<string, string | Record<string, string>>)
      .filter(([, t]) => typeof t === 'object' && t.default?.endsWith('.js')).map(([, t]) => (t as Record<string, string>).default);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    for (const entry of entries.filter((e) => !/gpujs|ndarray/.test(e))) { // those two need their optional peer only
      const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(entry)}); console.log(Object.keys(m).length)`], { cwd: stage, encoding: 'utf8' });
      expect(r.stderr, entry).not.toMatch(/Error/);
      expect(Number(r.stdout), entry).toBeGreaterThan(0);
    }
  });

  it('sizes: unpacked at most 6 MiB; the README\'s figures within 10% of the measured ones', () => {
    const install = installedDependencies();
    const installBytes = info.unpackedSize + install.bytes;
    console.log(`npm pack: tarball ${(info.size / 1024).toFixed(0)} kB, unpacked ${(info.unpackedSize / 2 ** 20).toFixed(2)} MiB in ${info.entryCount} files; ` +
      `installed with its ${install.names.length} dependencies: ${(installBytes / 2 ** 20).toFixed(2)} MiB`);
    expect(info.unpackedSize).toBeLessThanOrEqual(6 * 2 ** 20);
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const m = /\*\*(\d+) packages, (\d+(?:\.\d+)?) MiB\*\* \(tarball (\d+) kB;\s+cardiograd itself (\d+(?:\.\d+)?) MiB in (\d+) files/.exec(readme);
    expect(m, 'README states "**N packages, X MiB** (tarball N kB; cardiograd itself X MiB in N files"').not.toBeNull();
    const near = (stated: number, measured: number) => Math.abs(stated / measured - 1) < 0.1;
    expect(Number(m![1])).toBe(install.names.length + 1);
    expect(near(Number(m![2]) * 2 ** 20, installBytes), `install ${installBytes}`).toBe(true);
    expect(near(Number(m![3]) * 1024, info.size), `tarball ${info.size}`).toBe(true);
    expect(near(Number(m![4]) * 2 ** 20, info.unpackedSize), `unpacked ${info.unpackedSize}`).toBe(true);
    expect(near(Number(m![5]), info.entryCount), `files ${info.entryCount}`).toBe(true); // every new source file adds two or three
  });
});

/** cardiograd's runtime dependency tree (from the lock, as installed here: the same versions) and its bytes on disk. */
function installedDependencies(): { names: string[]; bytes: number } {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')).packages as Record<string, { dependencies?: Record<string, string> }>;
  const names = new Set<string>();
  const todo = Object.keys(pkg.dependencies ?? {});
  while (todo.length) {
    const name = todo.pop()!;
    if (names.has(name)) continue;
    names.add(name);
    todo.push(...Object.keys(lock[`node_modules/${name}`]?.dependencies ?? {}));
  }
  const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, e) => n + size(path.join(p, e)), 0) : statSync(p).size);
  return { names: [...names], bytes: [...names].reduce((n, name) => n + size(path.join(REPO, 'node_modules', name)), 0) };
}
