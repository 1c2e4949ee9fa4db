// The wasm kernels' sources (src/backends/wasm/kernels/*.wat, issue 21 item 5): every exported
// function names its TypeScript twin on a `;; twin: PATH NAME` line right above it, the path
// exists and defines NAME; the three module roots (module.wat, conv-module.wat, score-module.wat)
// include every family file once between them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;
const KERNELS = join(REPO, 'src/backends/wasm/kernels');
const ROOTS = ['module.wat', 'conv-module.wat', 'score-module.wat'];
const families = readdirSync(KERNELS).filter((f) => f.endsWith('.wat') && !ROOTS.includes(f)).sort();

function exportedFuncs(file: string): { name: string; line: number; twin: string | undefined }[] {
  const lines = readFileSync(join(KERNELS, file), 'utf8').split('\n');
  return lines.flatMap((text, i) => {
    const name = /^\s*\(func (?:\$\w+ )?\(export "(\w+)"\)/.exec(text)?.[1];
    return name ? [{ name, line: i + 1, twin: /^\s*;; twin: (.*)$/.exec(lines[i - 1] ?? '')?.[1] }] : [];
  });
}

describe('wasm kernel sources', () => {
  it('the module roots include each family file exactly once between them', () => {
    const included = ROOTS.flatMap((root) => [...readFileSync(join(KERNELS, root), 'utf8')
      .matchAll(/^\s*;; include (\S+\.wat)\s*$/gm)].map((m) => m[1])).sort();
    expect(included).toEqual(families);
  });

  it('every export names a TS twin that exists', () => {
    const problems: string[] = [];
    let exports = 0;
    for (const file of families) {
      for (const f of exportedFuncs(file)) {
        exports++;
        const where = `${file}:${f.line} ${f.name}`;
        const m = f.twin ? /^(\S+\.ts) (\w+)/.exec(f.twin) : null;
        if (!m) { problems.push(`${where}: no ';; twin: PATH NAME' line above it`); continue; }
        const [, path, name] = m;
        if (!existsSync(join(REPO, path))) { problems.push(`${where}: ${path} does not exist`); continue; }
        const defined = new RegExp(`^\\s*(export\\s+)?(function\\s+${name}\\b|(const|let)\\s+${name}\\b)`, 'm');
        if (!defined.test(readFileSync(join(REPO, path), 'utf8'))) problems.push(`${where}: ${name} is not defined in ${path}`);
      }
    }
    expect(problems).toEqual([]);
    expect(exports).toBe(24); // gemm, bias_act, transpose, sse, mse_backward, adam, im2row, row2im, activation, lstm_forward, lstm_backward; conv_direct, conv_wgrad, relu_mask, pad_rows, col_sum, restride, max_pool2, unpool2, zip2, unzip2; scale_rows, gemm_bias_act, same_bits
  });
});
