// Packs cardiograd (`npm pack`, which runs the prepack build) and installs the tarball into a
// fresh temp folder WITHOUT the network, the way a user's `npm install cardiograd-x.y.z.tgz`
// would lay it out. Tests have no internet, and `npm ci` caches tarballs but not the registry's
// package documents, so a plain `npm install --offline x.tgz` cannot resolve `fflate@^0.8.3`;
// instead the app gets a package-lock.json holding exactly cardiograd's runtime dependency
// tree, copied from this repository's lock (same versions, resolved URLs and integrity), and
// `npm ci --offline` fetches every tarball from the npm cache.

import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface LockEntry {
  version?: string; resolved?: string; integrity?: string; dev?: boolean; optional?: boolean; peer?: boolean;
  dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

/**
 * Builds the package and packs it into `dir`; returns the tarball's path. The build is
 * `npm run build`'s (tsc -p tsconfig.build.json) with its output in a staging folder next to
 * copies of package.json and README.md, so the test never rewrites the repository's dist/
 * while other tests may read it. A type error shows as tsc's own message.
 * CARDIOGRAD_TEST_SKIP_BUILD=1 stages the dist/ already built instead (for iterating on tests).
 */
export function packTarball(dir: string): string {
  const stage = path.join(dir, 'stage');
  mkdirSync(stage, { recursive: true });
  for (const f of ['package.json', 'README.md']) copyFileSync(path.join(REPO, f), path.join(stage, f));
  mkdirSync(path.join(stage, 'wasm'));
  copyFileSync(path.join(REPO, 'wasm/kernels.wasm'), path.join(stage, 'wasm/kernels.wasm')); // package.json's files lists it
  if (process.env.CARDIOGRAD_TEST_SKIP_BUILD === '1') {
    cpSync(path.join(REPO, 'dist'), path.join(stage, 'dist'), { recursive: true });
  } else {
    try {
      execFileSync(path.join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', path.join(stage, 'dist')],
        { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`the package build (tsc -p tsconfig.build.json) failed:\n${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`);
    }
  }
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return path.join(dir, info.filename);
}

/**
 * The lock entries a user's install of cardiograd gets: its dependencies, then theirs,
 * resolved like Node does (nearest node_modules first). Optional peers are not installed.
 */
export function runtimeLockEntries(): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const own = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const picked: Record<string, LockEntry> = {};
  const visit = (from: string, name: string) => {
    // from = '' (the root) or 'node_modules/a' or 'node_modules/a/node_modules/b'
    let base = from;
    for (;;) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[key]) {
        if (picked[key]) return;
        const { dev, optional, peer, devOptional, ...entry } = lock.packages[key];
        void dev; void optional; void peer; void devOptional;
        // This repo's lock omits `resolved` (npm's omit-lockfile-registry-resolved); without it
        // npm ci asks the registry where the tarball is, so write the registry's tarball URL.
        entry.resolved ??= tarballUrl(name, entry.version!);
        picked[key] = entry;
        for (const d of Object.keys(entry.dependencies ?? {})) visit(key, d);
        for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(key, d);
        for (const [d] of Object.entries(entry.peerDependencies ?? {})) {
          if (!entry.peerDependenciesMeta?.[d]?.optional) visit(key, d);
        }
        return;
      }
      if (!base) throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || 'cardiograd'})`);
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  for (const d of Object.keys(own.dependencies ?? {})) visit('', d);
  return picked;
}

function tarballUrl(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/** A temp app folder with cardiograd installed from `tarball`, offline. */
export function installTarballOffline(tarball: string, appDir = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-app-'))): string {
  mkdirSync(appDir, { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as LockEntry & { name: string };
  const spec = `file:${path.relative(appDir, tarball)}`;
  const app = { name: 'cardiograd-user-app', version: '1.0.0', private: true, type: 'module', dependencies: { cardiograd: spec } };
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify(app, null, 2));
  const deps = runtimeLockEntries();
  const cardiograd: LockEntry = { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies,
    peerDependencies: pkg.peerDependencies, peerDependenciesMeta: pkg.peerDependenciesMeta, engines: pkg.engines };
  const lock = { name: app.name, version: app.version, lockfileVersion: 3, requires: true,
    packages: { '': { name: app.name, version: app.version, dependencies: app.dependencies }, 'node_modules/cardiograd': cardiograd, ...deps } };
  writeFileSync(path.join(appDir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
  return appDir;
}
