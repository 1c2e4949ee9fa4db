// The scoring core needs only ECMAScript 2022 built-ins (issue 26 item 1): bundled with esbuild,
// it loads and scores in a node:vm context (V8's built-ins only: no TextDecoder, TextEncoder,
// atob, crypto, performance or console), with and without WebAssembly, and in QuickJS (an
// interpreter with no JIT and no WebAssembly), matching Node's scores.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { getQuickJS } from 'quickjs-emscripten';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { kernelBytes } from '../../src/backends/wasm/module.ts';
import { detectorFromParts } from '../../src/detector.ts';
import { saveTwoFileFolder } from '../io/two-file-model.ts';
import { L, sampleBeats, smallManifest, smallTensors } from '../io/small-model.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cardiograd-plain-es-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
saveTwoFileFolder(root, smallManifest(), smallTensors());
const manifestText = fs.readFileSync(path.join(root, 'manifest.json'), 'utf8');
const weights = Array.from(fs.readFileSync(path.join(root, 'weights.safetensors')));
const n = sampleBeats.length / L;

/** Scores in Node with the TypeScript kernels: the reference. */
function nodeScores(): number[] {
  setBackend(createCpuBackend());
  return Array.from(detectorFromParts(JSON.parse(manifestText), null, { bytes: Uint8Array.from(weights) }).detect(sampleBeats, n).scores);
}

// Run inside the host: plain data in (JSON text, byte and sample arrays), a JSON string out.
const SCORE = `(() => {
  const options = { bytes: Uint8Array.from(WEIGHTS) };
  if (typeof WASM_MODULE !== 'undefined') options.wasmModule = WASM_MODULE;
  const d = cardiograd.detectorFromParts(JSON.parse(MANIFEST), null, options);
  const r = d.detect(Float32Array.from(BEATS), N);
  return JSON.stringify({ scores: Array.from(r.scores), kernels: r.kernels, missing: ['TextDecoder', 'TextEncoder', 'atob', 'crypto', 'performance', 'console']
    .filter((g) => typeof globalThis[g] === 'undefined'), wasm: typeof WebAssembly !== 'undefined' })
})()`;
const inputs = `const MANIFEST = ${JSON.stringify(manifestText)}; const WEIGHTS = ${JSON.stringify(weights)};
  const BEATS = ${JSON.stringify(Array.from(sampleBeats))}; const N = ${n};`;

let bundle = '';
beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, '../../src/detector.ts')], bundle: true, write: false,
    format: 'iife', globalName: 'cardiograd', platform: 'neutral', target: 'es2022', logLevel: 'silent',
  });
  bundle = out.outputFiles[0].text;
});

const ALL_MISSING = ['TextDecoder', 'TextEncoder', 'atob', 'crypto', 'performance', 'console'];

function expectClose(got: number[], want: number[]) {
  expect(got).toHaveLength(want.length);
  // wasm and TS kernels round differently; the same TS kernels in another engine may use another Math.exp.
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-5 * Math.abs(want[i])));
}

describe('the scoring core on ECMAScript built-ins only', () => {
  for (const withWasm of [true, false]) {
    it(`loads and scores in a bare node:vm context (${withWasm ? 'with' : 'without'} WebAssembly)`, () => {
      const context = vm.createContext({});
      vm.runInContext('delete globalThis.console', context); // V8 gives every context one
      if (!withWasm) vm.runInContext('delete globalThis.WebAssembly', context);
      const result = JSON.parse(vm.runInContext(`${bundle}\n${inputs}\n${SCORE}`, context));
      expect(result.missing).toEqual(ALL_MISSING);
      expect(result.wasm).toBe(withWasm);
      expect(result.kernels).toBe(withWasm ? 'wasm' : 'ts');
      expectClose(result.scores, nodeScores());
    });
  }

  // A host that forbids compiling WebAssembly from bytes (as workerd and strict CSPs do) gets the
  // TS kernels, and the wasm kernels when handed the module compiled elsewhere.
  for (const given of [false, true]) {
    it(`where compiling wasm bytes is forbidden: ${given ? 'wasm with a precompiled wasmModule' : 'ts without one'}`, () => {
      const context = vm.createContext(given ? { WASM_MODULE: new WebAssembly.Module(kernelBytes()) } : {},
        { codeGeneration: { wasm: false } });
      expect(() => vm.runInContext('new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))', context)).toThrow();
      const result = JSON.parse(vm.runInContext(`${bundle}\n${inputs}\n${SCORE}`, context));
      expect(result.kernels).toBe(given ? 'wasm' : 'ts');
      expectClose(result.scores, nodeScores());
    });
  }

  it('a wasmModule that is not the kernels is refused, saying so', () => {
    const context = vm.createContext({ WASM_MODULE: new WebAssembly.Module(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0])) });
    expect(() => vm.runInContext(`${bundle}\n${inputs}\n${SCORE}`, context)).toThrow(/wasmModule is not a WebAssembly.Module of cardiograd's kernels/);
  });

  it('loads and scores in QuickJS (no JIT, no WebAssembly)', async () => {
    const qjs = (await getQuickJS()).newContext();
    try {
      const r = qjs.evalCode(`${bundle}\n${inputs}\n${SCORE}`);
      const result = JSON.parse(qjs.dump(qjs.unwrapResult(r)));
      expect(result.missing).toEqual(ALL_MISSING);
      expect(result.wasm).toBe(false);
      expect(result.kernels).toBe('ts');
      expectClose(result.scores, nodeScores());
    } finally {
      qjs.dispose();
    }
  });
});
