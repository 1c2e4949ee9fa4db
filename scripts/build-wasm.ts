// `npm run build:wasm [-- --check]`: assembles the wasm kernels, modules written in several
// files (each root in ROOTS, e.g. src/backends/wasm/kernels/module.wat, whose `;; include FILE`
// lines are replaced by the family files beside it), with the npm `wabt` package (wat2wasm compiled to JavaScript: no native
// toolchain, nothing downloaded) and writes the bytes, base64, into
// src/backends/wasm/kernels.generated.ts, so the scoring core embeds the module without fs or fetch,
// and the same bytes as wasm/kernels.wasm and wasm/conv-kernels.wasm, shipped in the package for
// hosts that import .wasm files as modules (workerd, esbuild's file loader) and pass the module
// as `wasmModule`. `--check` rebuilds in memory and exits 1 when any committed file differs
// (CI runs it), so the shipped bytes always come from the committed source.

import { mkdirSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import wabtInit from 'wabt';

const KERNELS = fileURLToPath(new URL('../src/backends/wasm/kernels/', import.meta.url));
const MODULE = 'module.wat';
// The modules built, each from a root file whose includes splice in family files, and the
// constant each one's base64 bytes are exported as. Two modules (the second imports the first's
// memory) keep each within the 4,096 bytes Chromium compiles synchronously on a page.
// Each is also written as a binary under wasm/ for hosts that import .wasm files as modules.
const ROOTS: [file: string, constant: string, wasmFile: string][] = [
  [MODULE, 'KERNELS_WASM_BASE64', 'kernels.wasm'], ['conv-module.wat', 'CONV_KERNELS_WASM_BASE64', 'conv-kernels.wasm'],
  ['score-module.wat', 'SCORE_KERNELS_WASM_BASE64', 'score-kernels.wasm']];
const OUT = fileURLToPath(new URL('../src/backends/wasm/kernels.generated.ts', import.meta.url));
const OUT_WASM_DIR = fileURLToPath(new URL('../wasm/', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('npm run build:wasm [-- --check]\n  assembles src/backends/wasm/kernels/*.wat (module.wat and the files it includes) into kernels.generated.ts and wasm/kernels.wasm;' +
      '\n  --check: exit 1 when the committed kernels.generated.ts or wasm/kernels.wasm differs from a fresh build');
    return;
  }
  const wabt = await wabtInit();
  const included = new Set<string>(ROOTS.map(([f]) => f));
  const built: { constant: string; wasmFile: string; bytes: Buffer }[] = [];
  for (const [root, constant, wasmFile] of ROOTS) {
    const { source, origin } = spliceIncludes(root, included);
    let mod;
    try {
      mod = wabt.parseWat(root, source, { simd: true });
      mod.validate();
    } catch (e) {
      throw new Error(atOrigin((e as Error).message, root, origin));
    }
    // No names section, so the bytes do not depend on local names or file paths.
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    mod.destroy();
    built.push({ constant, wasmFile, bytes: Buffer.from(buffer) });
  }
  const left = readdirSync(KERNELS).filter((f) => f.endsWith('.wat') && !included.has(f));
  if (left.length > 0) throw new Error(`${left.join(', ')} in src/backends/wasm/kernels/ not included by ${ROOTS.map(([f]) => f).join(' or ')}`);
  const text = render(built);
  const sizes = built.map(({ bytes }) => `${bytes.length} bytes, ${gzipSync(bytes).length} gzipped`).join('; ');
  if (values.check) {
    let committed = '';
    try { committed = readFileSync(OUT, 'utf8'); } catch { /* missing counts as different */ }
    const stale = [committed !== text ? 'src/backends/wasm/kernels.generated.ts' : null,
      ...built.map(({ wasmFile, bytes }) => (readOrEmpty(OUT_WASM_DIR + wasmFile).equals(bytes) ? null : `wasm/${wasmFile}`))]
      .filter((f) => f !== null);
    if (stale.length > 0) {
      console.error(`build:wasm --check: ${stale.join(' and ')} differ(s) from a fresh build of src/backends/wasm/kernels/*.wat; run \`npm run build:wasm\``);
      process.exitCode = 1;
      return;
    }
    console.log(`build:wasm --check: ok (${sizes})`);
    return;
  }
  // Each written to a temp file and renamed: never a half-written module.
  mkdirSync(OUT_WASM_DIR, { recursive: true });
  for (const [file, data] of [[OUT, text], ...built.map(({ wasmFile, bytes }) => [OUT_WASM_DIR + wasmFile, bytes])] as [string, string | Buffer][]) {
    writeFileSync(`${file}.tmp`, data);
    renameSync(`${file}.tmp`, file);
  }
  console.log(`wrote ${OUT} and ${built.map(({ wasmFile }) => `wasm/${wasmFile}`).join(', ')}: ${sizes}`);
}

/**
 * `root` with each `;; include FILE` line replaced by FILE (from the same folder), and for
 * every line of the result the file and line it came from (for error messages). Every .wat file
 * in the folder must be included exactly once by one root (`included` is shared by the roots),
 * so no family is left out by mistake.
 */
function spliceIncludes(root: string, included: Set<string>): { source: string; origin: string[] } {
  const lines: string[] = [], origin: string[] = [];
  readFileSync(KERNELS + root, 'utf8').split('\n').forEach((line, i) => {
    const file = /^\s*;; include (\S+\.wat)\s*$/.exec(line)?.[1];
    if (!file) { lines.push(line); origin.push(`${root}:${i + 1}`); return; }
    if (included.has(file)) throw new Error(`${root}:${i + 1}: ${file} is included twice`);
    included.add(file);
    readFileSync(KERNELS + file, 'utf8').split('\n').forEach((l, j) => { lines.push(l); origin.push(`${file}:${j + 1}`); });
  });
  return { source: lines.join('\n'), origin };
}

/** wabt's "module.wat:LINE:COL" positions in the spliced text, as the file and line they came from. */
function atOrigin(message: string, root: string, origin: string[]): string {
  return message.replace(new RegExp(`${root.replace('.', '\\.')}:(\\d+):(\\d+)`, 'g'),
    (all, line: string, col: string) => (origin[Number(line) - 1] ? `${origin[Number(line) - 1]}:${col}` : all));
}

/** A file's bytes; a missing file reads as empty (so it counts as stale). */
function readOrEmpty(file: string): Buffer {
  try { return readFileSync(file); } catch { return Buffer.alloc(0); }
}

function render(built: { constant: string; bytes: Buffer }[]): string {
  const out = ['// GENERATED by `npm run build:wasm` from kernels/*.wat: do not edit (CI checks it is fresh).'];
  for (const { constant, bytes } of built) {
    const lines = bytes.toString('base64').match(/.{1,100}/g) ?? [];
    out.push('', `// ${bytes.length} bytes of WebAssembly.`, `export const ${constant} =`, lines.map((l) => `  '${l}'`).join(' +\n') + ';');
  }
  return out.join('\n') + '\n';
}

main().catch((e) => { console.error(`build:wasm: error: ${(e as Error).message}`); process.exitCode = 1; });
