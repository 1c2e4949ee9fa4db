// One backend contract, filled once (issue 21 item 3): completeBackend gives every backend all six
// fused methods (its own where it has them, the default compositions otherwise), and no op in
// src/engine asks whether a method exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBackend, setBackend } from '../../src/backends/backend.ts';
import { completeBackend } from '../../src/backends/complete.ts';
import { FUSED_METHODS, type Backend } from '../../src/backends/contract.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { linear, tensor } from '../../src/index.ts';

describe('completeBackend', () => {
  it('fills the fused methods the cpu backend lacks and keeps everything else', () => {
    const cpu = createCpuBackend();
    for (const name of FUSED_METHODS) expect(cpu[name], name).toBeUndefined();
    const complete = completeBackend(cpu);
    for (const name of FUSED_METHODS) expect(typeof complete[name], name).toBe('function');
    expect(complete.name).toBe('cpu');
    expect(complete.matmul).toBe(cpu.matmul);
    expect(completeBackend(complete)).toBe(complete);
  });

  it('returns a backend that has all of them unchanged (wasm)', () => {
    const wasm = createWasmBackend();
    expect(completeBackend(wasm)).toBe(wasm);
  });

  it('keeps a backend\'s own fused method, and reads getters through to it', () => {
    let calls = 0, compiled = 3;
    const own: Backend['linearForward'] = () => { calls++; };
    const partial = Object.assign(createCpuBackend(), { linearForward: own });
    Object.defineProperty(partial, 'kernelCount', { get: () => compiled });
    const complete = completeBackend(partial) as typeof partial & { kernelCount: number };
    expect(complete.linearForward).toBe(own);
    compiled = 5;
    expect(complete.kernelCount).toBe(5);
    const before = getBackend();
    setBackend(partial);
    try {
      linear(tensor([[1, 2]]), tensor([[3, 4]]));
      expect(calls).toBe(1);
    } finally {
      setBackend(before);
    }
  });

  it('save and restore around setBackend keeps the very same object', () => {
    const before = getBackend();
    setBackend(createCpuBackend());
    expect(getBackend().name).toBe('cpu');
    setBackend(before);
    expect(getBackend()).toBe(before);
  });
});

function engineSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? engineSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the engine calls one method per kernel', () => {
  it('no file under src/engine tests whether a backend method exists', () => {
    const root = new URL('../../src/engine', import.meta.url).pathname;
    // `if (backend.x)`, `backend.x ?`, `backend.x?.(`, `backend.x!(`, `'x' in backend`
    const branch = new RegExp(`(if \\(!?\\s*backend\\.\\w+\\s*\\)|backend\\.\\w+\\s*(\\?|!\\()|'(${FUSED_METHODS.join('|')})' in backend)`);
    const found = engineSources(root).filter((file) => branch.test(readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
