// docs/read-the-engine.md points at files and names; this keeps it honest as the code moves.
// Syntax (explained at the top of the guide): a backticked path names a file; a backticked
// `name()` or capitalised `Name` after it belongs to the latest `src/` or `examples/` path and
// must be defined there (function, class, interface, type, const, method, or a wasm `func $name`).
// `test/`, `bench/`, `docs/` and `scripts/` paths must exist but do not take names.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

const GUIDE = path.join(REPO, 'docs', 'read-the-engine.md');

export interface GuideRef { file: string; name: string | null; line: number }

/** Every file reference (name null) and every name with the file it belongs to. */
export function guideReferences(markdown: string): GuideRef[] {
  const refs: GuideRef[] = [];
  let current: string | null = null;
  markdown.split('\n').forEach((text, i) => {
    if (text.startsWith('#')) current = null; // a new section starts without a file
    for (const m of text.matchAll(/`([^`]+)`/g)) {
      const token = m[1];
      if (/^(src|test|examples|bench|docs|scripts)\/[\w./-]+\.\w+$/.test(token)) {
        refs.push({ file: token, name: null, line: i + 1 });
        if (/^(src|examples)\//.test(token)) current = token;
        continue;
      }
      const name = token.match(/^([A-Za-z_$][\w$]*)\(\)$/)?.[1] ?? token.match(/^([A-Z][\w$]*)$/)?.[1];
      if (!name) continue;
      if (!current) throw new Error(`docs/read-the-engine.md:${i + 1}: \`${token}\` has no file before it in its section`);
      refs.push({ file: current, name, line: i + 1 });
    }
  });
  return refs;
}

/** True when `source` defines `name` at the top level or as a class member (or a wat func). */
export function defines(source: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  const patterns = [
    `^\\s*(export\\s+)?(default\\s+)?(async\\s+)?function\\*?\\s+${n}\\b`,
    `^\\s*(export\\s+)?(abstract\\s+)?class\\s+${n}\\b`,
    `^\\s*(export\\s+)?(declare\\s+)?(interface|type|enum)\\s+${n}\\b`,
    `^\\s*(export\\s+)?(const|let|var)\\s+${n}\\b`,
    `^\\s*((public|private|protected|static|async|readonly|abstract|override|get|set)\\s+)*${n}\\s*(<[^>]*>)?\\(`,
    `\\(func\\s+\\$${n}\\b`,
  ];
  return patterns.some((p) => new RegExp(p, 'm').test(source));
}

describe('docs/read-the-engine.md', () => {
  const markdown = readFileSync(GUIDE, 'utf8');
  const refs = guideReferences(markdown);

  it('references enough of the engine to be a route (sanity)', () => {
    expect(refs.filter((r) => r.name === null).length).toBeGreaterThan(30);
    expect(refs.filter((r) => r.name !== null).length).toBeGreaterThan(50);
    for (const stop of ['Tensor and storage', 'One op', 'backward pass', 'A Module', 'Adam', 'naive twin', 'backend switch']) {
      expect(markdown).toMatch(new RegExp(`^## \\d\\. .*${stop}`, 'm'));
    }
  });

  it('every referenced file exists', () => {
    const missing = refs.filter((r) => r.name === null && !existsSync(path.join(REPO, r.file)));
    expect(missing.map((r) => `line ${r.line}: ${r.file}`)).toEqual([]);
  });

  it('every referenced name is defined in its file', () => {
    const cache = new Map<string, string>();
    const read = (f: string) => cache.get(f) ?? cache.set(f, readFileSync(path.join(REPO, f), 'utf8')).get(f)!;
    const wrong = refs.filter((r) => r.name !== null && existsSync(path.join(REPO, r.file)) && !defines(read(r.file), r.name));
    expect(wrong.map((r) => `line ${r.line}: ${r.name} not in ${r.file}`)).toEqual([]);
  });

  it('the checker itself: finds definitions, rejects names that are only used or imported', () => {
    const src = [
      "import { fromOp } from './tensor.ts';",
      'export function matmul(a, b) { return fromOp(a, b); }',
      'export class Adam extends Optimizer {',
      '  step(): void { helper(); }',
      '  private static async load<T>(x: T) {}',
      '}',
      'export interface Backend {}',
      'const unaryOp = (x) => x;',
      '(func $gemm (export "gemm")',
    ].join('\n');
    for (const name of ['matmul', 'Adam', 'step', 'load', 'Backend', 'unaryOp', 'gemm']) expect(defines(src, name), name).toBe(true);
    for (const name of ['fromOp', 'helper', 'Optimizer', 'mat']) expect(defines(src, name), name).toBe(false);
    const refs2 = guideReferences('## A\n`src/a.ts`: `f()`, `Cls`, `plain` see `test/x.test.ts` then `g()`\n## B\n`src/b.ts` `h()`');
    expect(refs2.map((r) => `${r.file}:${r.name}`)).toEqual(['src/a.ts:null', 'src/a.ts:f', 'src/a.ts:Cls', 'test/x.test.ts:null', 'src/a.ts:g', 'src/b.ts:null', 'src/b.ts:h']);
    expect(() => guideReferences('## C\n`orphan()`')).toThrow(/no file before it/);
  });
});
