// The wasm backend's conv1d kernels live in src/backends/wasm/conv-methods.ts, attached when a
// module that builds Conv1D layers is imported, so a dense-only page carries none of them
// (test/package/bundle-size.test.ts). This file imports the general detector entry and nothing
// that attaches them directly: a Conv1D model scored through it must run conv1d on the wasm
// kernels, not silently on the composed TS im2row path (which gives different roundings here).

import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/detector.ts';
import { conv1dRowsForward } from '../../src/backends/composed/conv-rows.ts';
import { directConv1dForward } from '../../src/backends/wasm/conv-direct.ts';
import { Arena } from '../../src/backends/wasm/arena.ts';
import { wasmConvAttached } from '../../src/backends/wasm/index.ts';
import { instantiate, instantiateConv, wasmSupport } from '../../src/backends/wasm/module.ts';
import { createRng } from '../../src/engine/random.ts';

describe('the general detector entry attaches the wasm conv1d kernels', () => {
  it('is attached once src/detector.ts is imported', () => {
    expect(wasmConvAttached()).toBe(true);
  });

  it("the default backend's conv1dForward is the direct wasm kernel's, bit for bit, and not the composed path's", () => {
    const backend = getBackend();
    expect(backend.name).toBe('wasm');
    const rng = createRng(7);
    const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
    // A Conv1D autoencoder layer: 16 → 32 channels, kernel 7, 72 samples.
    const g = { N: 3, Cin: 16, Cout: 32, K: 7, stride: 1, padding: 3, L: 72, Lout: 72 };
    const x = rand(g.N * g.Cin * g.L), w = rand(g.Cout * g.Cin * g.K), b = rand(g.Cout);
    const got = new Float32Array(g.N * g.Cout * g.Lout);
    backend.conv1dForward!(x, w, b, got, g, true);

    const support = wasmSupport();
    if (!support.ok) throw new Error(support.reason);
    const kx = instantiate(support.module), kc = instantiateConv(kx.memory)!;
    const direct = new Float32Array(got.length);
    directConv1dForward(kc, new Arena(kx.memory), x, w, b, direct, g, true);
    const composed = new Float32Array(got.length);
    conv1dRowsForward((a, bb, c, m, k, n, layout, acc) => backend.matmul(a, bb, c, m, k, n, layout, acc), x, w, b, composed, g, true);

    expect(got).toEqual(direct);
    // The check can fail: the fallback's sums round differently on this layer.
    expect(composed.some((v, i) => v !== direct[i]), 'composed and direct differ somewhere').toBe(true);
  });
});
