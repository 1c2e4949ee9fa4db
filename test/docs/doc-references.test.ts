// Every reference in the docs resolves: relative markdown links in README.md and docs/*.md point
// at files that exist (and at headings that exist, for #anchors), every repository path written
// in backticks exists, and every docs/*.md the source code cites exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const DOCS = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

function linksIn(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!)
    .filter((href) => !/^(https?:|mailto:)/.test(href));
}

// Paths like `src/detect/detector.ts` or `bench/select/last-run.md`: a known top folder and a file
// extension; globs and placeholders (NAME, <...>, *) are not paths.
const PATH_IN_BACKTICKS = /`((?:src|test|bench|scripts|examples|docs)\/[A-Za-z0-9_./-]+\.(?:ts|md|mjs|cjs|js|py|wat|json))`/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('doc references resolve', () => {
  for (const doc of DOCS) {
    it(`${doc}: links and paths`, () => {
      const text = readFileSync(join(REPO, doc), 'utf8');
      const broken: string[] = [];
      for (const href of linksIn(text)) {
        const [file, anchor] = href.split('#') as [string, string | undefined];
        const target = file === '' ? join(REPO, doc) : join(REPO, dirname(doc), file);
        if (!existsSync(target)) { broken.push(`link ${href}`); continue; }
        if (anchor && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`anchor ${href}`);
        }
      }
      for (const m of text.matchAll(PATH_IN_BACKTICKS)) {
        if (!existsSync(join(REPO, m[1]!))) broken.push(`path ${m[1]}`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('every docs/*.md cited in src/ exists', () => {
    const broken: string[] = [];
    for (const file of sourceFiles(join(REPO, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/docs\/[A-Za-z0-9_-]+\.md/g)) {
        if (!existsSync(join(REPO, m[0]))) broken.push(`${relative(REPO, file)}: ${m[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('nothing cites DESIGN.md, which is not in the repository', () => {
    const citing = [...DOCS.map((d) => join(REPO, d)), ...sourceFiles(join(REPO, 'src'))]
      .filter((f) => /DESIGN\.md/.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO, f));
    expect(citing).toEqual([]);
  });

  it('the README starts with the two set-up commands and the path to a trained model and its report', () => {
    const first60 = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n').slice(0, 60).join('\n');
    for (const step of ['npm ci && npm run train', 'npm test', 'npm run data', 'report.html', 'npm run evaluate']) {
      expect(first60).toContain(step);
    }
  });
});
