// `npm run build:wasm [-- --check]`: assembles the wasm kernels, one module written in several
// files (src/backends/wasm/kernels/module.wat, whose `;; include FILE` lines are replaced by the
// family files beside it), with the npm `wabt` package (wat2wasm compiled to JavaScript: no native
// toolchain, nothing downloaded) and writes the bytes, base64, into
// src/backends/wasm/kernels.generated.ts, so the scoring core embeds the module without fs or fetch,
// and the same bytes as wasm/kernels.wasm, shipped in the package (`cardiograd/kernels.wasm`) for
// hosts that import .wasm files as modules (workerd, esbuild's file loader) and pass the module
// as `wasmModule`. `--check` rebuilds in memory and exits 1 when either committed file differs
// (CI runs it), so the shipped bytes always come from the committed source.

import { mkdirSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import wabtInit from 'wabt';

const KERNELS = fileURLToPath(new URL('../src/backends/wasm/kernels/', import.meta.url));
const MODULE = 'module.wat';
const OUT = fileURLToPath(new URL('../src/backends/wasm/kernels.generated.ts', import.meta.url));
const OUT_WASM = fileURLToPath(new URL('../wasm/kernels.wasm', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('npm run build:wasm [-- --check]\n  assembles src/backends/wasm/kernels/*.wat (module.wat and the files it includes) into kernels.generated.ts and wasm/kernels.wasm;' +
      '\n  --check: exit 1 when the committed kernels.generated.ts or wasm/kernels.wasm differs from a fresh build');
    return;
  }
  const wabt = await wabtInit();
  const { source, origin } = spliceIncludes();
  let mod;
  try {
    mod = wabt.parseWat(MODULE, source, { simd: true });
    mod.validate();
  } catch (e) {
    throw new Error(atOrigin((e as Error).message, origin));
  }
  // No names section, so the bytes do not depend on local names or file paths.
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
  mod.destroy();
  const bytes = Buffer.from(buffer);
  const text = render(bytes);
  if (values.check) {
    let committed = '';
    let committedWasm = Buffer.alloc(0);
    try { committed = readFileSync(OUT, 'utf8'); } catch { /* missing counts as different */ }
    try { committedWasm = readFileSync(OUT_WASM); } catch { /* missing counts as different */ }
    const stale = [committed !== text ? 'src/backends/wasm/kernels.generated.ts' : null,
      !committedWasm.equals(bytes) ? 'wasm/kernels.wasm' : null].filter((f) => f !== null);
    if (stale.length > 0) {
      console.error(`build:wasm --check: ${stale.join(' and ')} differ(s) from a fresh build of src/backends/wasm/kernels/*.wat; run \`npm run build:wasm\``);
      process.exitCode = 1;
      return;
    }
    console.log(`build:wasm --check: ok (${bytes.length} bytes, ${gzipSync(bytes).length} gzipped)`);
    return;
  }
  // Each written to a temp file and renamed: never a half-written module.
  mkdirSync(dirname(OUT_WASM), { recursive: true });
  for (const [file, data] of [[OUT, text], [OUT_WASM, bytes]] as const) {
    writeFileSync(`${file}.tmp`, data);
    renameSync(`${file}.tmp`, file);
  }
  console.log(`wrote ${OUT} and ${OUT_WASM}: ${bytes.length} bytes of wasm (${gzipSync(bytes).length} gzipped)`);
}

/**
 * module.wat with each `;; include FILE` line replaced by FILE (from the same folder), and for
 * every line of the result the file and line it came from (for error messages). Every .wat file
 * in the folder must be included exactly once, so no family is left out by mistake.
 */
function spliceIncludes(): { source: string; origin: string[] } {
  const lines: string[] = [], origin: string[] = [];
  const included = new Set<string>([MODULE]);
  readFileSync(KERNELS + MODULE, 'utf8').split('\n').forEach((line, i) => {
    const file = /^\s*;; include (\S+\.wat)\s*$/.exec(line)?.[1];
    if (!file) { lines.push(line); origin.push(`${MODULE}:${i + 1}`); return; }
    if (included.has(file)) throw new Error(`${MODULE}:${i + 1}: ${file} is included twice`);
    included.add(file);
    readFileSync(KERNELS + file, 'utf8').split('\n').forEach((l, j) => { lines.push(l); origin.push(`${file}:${j + 1}`); });
  });
  const left = readdirSync(KERNELS).filter((f) => f.endsWith('.wat') && !included.has(f));
  if (left.length > 0) throw new Error(`${left.join(', ')} in src/backends/wasm/kernels/ not included by ${MODULE}`);
  return { source: lines.join('\n'), origin };
}

/** wabt's "module.wat:LINE:COL" positions in the spliced text, as the file and line they came from. */
function atOrigin(message: string, origin: string[]): string {
  return message.replace(new RegExp(`${MODULE}:(\\d+):(\\d+)`, 'g'),
    (all, line: string, col: string) => (origin[Number(line) - 1] ? `${origin[Number(line) - 1]}:${col}` : all));
}

function render(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [];
  return [
    '// GENERATED by `npm run build:wasm` from kernels/*.wat: do not edit (CI checks it is fresh).',
    `// ${bytes.length} bytes of WebAssembly.`,
    '',
    'export const KERNELS_WASM_BASE64 =',
    lines.map((l) => `  '${l}'`).join(' +\n') + ';',
    '',
  ].join('\n');
}

main().catch((e) => { console.error(`build:wasm: error: ${(e as Error).message}`); process.exitCode = 1; });
