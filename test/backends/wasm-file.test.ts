// wasm/kernels.wasm, the file the package ships as `cardiograd/kernels.wasm` for hosts that
// import .wasm files as modules: the very bytes the scoring core embeds, and a module the
// detector accepts as `wasmModule` (it then scores with the wasm kernels and says so).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelBytes } from '../../src/backends/wasm/module.ts';
import { REPO } from '../helpers/cli.ts';

const FILE = path.join(REPO, 'wasm/kernels.wasm');

describe('wasm/kernels.wasm', () => {
  it('holds exactly the bytes embedded in kernels.generated.ts', () => {
    const file = new Uint8Array(readFileSync(FILE));
    expect(file.length).toBeGreaterThan(1000);
    expect(Array.from(file.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect(Buffer.from(file).equals(Buffer.from(kernelBytes()))).toBe(true);
  });

  it('package.json ships it and maps cardiograd/kernels.wasm to it', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('wasm/kernels.wasm');
    expect(pkg.exports['./kernels.wasm']).toBe('./wasm/kernels.wasm');
  });
});
