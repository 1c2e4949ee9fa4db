// The wasm dense chain (detect/dense-scoring.ts) against its twin, the per-op path on the cpu
// backend (reconstructionErrors): same errors within float tolerance on odd layer sizes and batch
// sizes around the block size; the Detector takes it on wasm and reports the same scores as on
// cpu; a non-finite weight or input still gives an anomaly, never "normal".

import { afterEach, describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { denseSpec } from '../../src/autoencoders/dense.ts';
import { getBackend, setBackend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { Detector } from '../../src/detect/detector.ts';
import { denseChain, denseWasmErrors } from '../../src/detect/dense-scoring.ts';
import { fitScaler, transform } from '../../src/detect/scaler.ts';
import { reconstructionErrors } from '../../src/detect/scoring.ts';
import { createRng } from '../../src/engine/random.ts';
import { Arena } from '../../src/backends/wasm/arena.ts';
import { denseChainErrors, instantiateScore, sameBits } from '../../src/backends/wasm/dense-chain.ts';
import { instantiate, wasmSupport } from '../../src/backends/wasm/module.ts';

const original = getBackend();
afterEach(() => setBackend(original));

function beatsOf(n: number, L: number, seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * L }, (_, i) => Math.sin(i / 7) * 2 + (rng.uniform() - 0.5));
}

/** The twin: the per-op path on the TypeScript kernels. */
function cpuErrors(model: ReturnType<typeof denseSpec.create>, x: Float32Array, n: number, L: number): Float32Array {
  setBackend(createCpuBackend());
  try { return reconstructionErrors(model, { data: x, n, length: L }); } finally { setBackend(original); }
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b[i])));
}

describe('the wasm dense chain', () => {
  for (const [L, hidden] of [[37, [13, 5]], [140, [64, 32, 16]], [9, [3]]] as [number, number[]][]) {
    it(`equals the cpu per-op path, length ${L}, hidden ${hidden.join(',')}, batches 1, 3, 255, 256, 257, 600`, () => {
      setBackend(createWasmBackend());
      const model = denseSpec.create({ kind: 'dense', length: L, hidden }, 2);
      expect(denseChain(model)?.map((l) => [l.inF, l.outF, l.relu]))
        .toEqual([...[L, ...hidden].slice(0, -1).map((f, i) => [f, hidden[i], true]),
          ...[...hidden].reverse().map((f, i, r) => [f, i + 1 < r.length ? r[i + 1] : L, i + 1 < r.length])]);
      for (const n of [1, 3, 255, 256, 257, 600]) {
        const x = beatsOf(n, L, `${L}:${n}`);
        const fast = denseWasmErrors(model, x, n, null)!;
        expect(fast).not.toBeNull();
        expectClose(fast, cpuErrors(model, x, n, L));
      }
    });
  }

  it('scales on the way in as transform does (errors within float tolerance)', () => {
    setBackend(createWasmBackend());
    const L = 37, n = 19, model = denseSpec.create({ kind: 'dense', length: L, hidden: [11, 6] }, 4);
    const raw = beatsOf(n, L, 'raw').map((v) => v * 30 + 5);
    const scaler = fitScaler('standard', raw, n, L);
    expectClose(denseWasmErrors(model, raw, n, scaler)!, denseWasmErrors(model, transform(scaler, raw), n, null)!);
  });

  it('scale_rows (wasm) and its TS twin give the same errors, and transform floats within an ulp, odd length, with and without the score module', () => {
    const L = 37, n = 9;
    const kx = instantiate((wasmSupport() as { module: object }).module);
    const sk = instantiateScore(kx.memory);
    expect(sk).not.toBeNull();
    const raw = beatsOf(n, L, 'twin').map((v) => v * 30 + 5);
    const scaler = fitScaler('standard', raw, n, L);
    const layers = denseChain(denseSpec.create({ kind: 'dense', length: L, hidden: [5] }, 8))!;
    const withModule = denseChainErrors(kx, sk, new Arena(kx.memory), layers, raw, n, L, scaler);
    const inTs = denseChainErrors(kx, null, new Arena(kx.memory), layers, raw, n, L, scaler);
    expect(Array.from(withModule)).toEqual(Array.from(inTs));
    const arena = new Arena(kx.memory);
    const x = arena.take(n * L), off = arena.take(2 * L), sc = arena.take(2 * L);
    arena.commit();
    arena.f32.set(raw, x);
    new Float64Array(arena.f32.buffer).set(scaler.offset, off / 2);
    new Float64Array(arena.f32.buffer).set(scaler.scale.map((s) => 1 / s), sc / 2);
    sk!.scale_rows(x * 4, n, L, off * 4, sc * 4);
    const want = transform(scaler, raw), got = arena.f32.subarray(x, x + n * L);
    // A multiply by 1 / scale for transform's divide: equal up to one f32 ulp.
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(Math.abs(want[i]) * 2 ** -23);
  });

  it('the score module stays within the 4,096 bytes Chromium compiles synchronously on a page', async () => {
    const { SCORE_KERNELS_WASM_BASE64 } = await import('../../src/backends/wasm/kernels.generated.ts');
    expect(Buffer.from(SCORE_KERNELS_WASM_BASE64, 'base64').length).toBeLessThanOrEqual(4096);
  });

  it('is not taken on the cpu backend, nor for another kind', () => {
    setBackend(createCpuBackend());
    const model = denseSpec.create({ kind: 'dense', length: 9, hidden: [3] }, 1);
    expect(denseWasmErrors(model, beatsOf(2, 9, 'c'), 2, null)).toBeNull();
    setBackend(createWasmBackend());
    const notDense = { architecture: { kind: 'vae', length: 9 }, namedParameters: () => [] } as unknown as typeof model;
    expect(denseChain(notDense)).toBeNull();
  });

  it('sees a weight changed after the first call (weights are read at every call)', () => {
    setBackend(createWasmBackend());
    const L = 20, n = 5, model = denseSpec.create({ kind: 'dense', length: L, hidden: [7] }, 3);
    const x = beatsOf(n, L, 'w');
    const before = denseWasmErrors(model, x, n, null)!;
    model.namedParameters().find(([k]) => k === 'decoder.0.weight')![1].data[3] += 0.5;
    const after = denseWasmErrors(model, x, n, null)!;
    expect(Array.from(after)).not.toEqual(Array.from(before));
    expectClose(after, cpuErrors(model, x, n, L));
  });
});

describe('the chain keeps its transposed weights between calls only while they are provably current', () => {
  const L = 24, n = 7;
  const kit = () => {
    const kx = instantiate((wasmSupport() as { module: object }).module);
    return { kx, sk: instantiateScore(kx.memory)!, arena: new Arena(kx.memory) };
  };
  const cpuOf = (model: ReturnType<typeof denseSpec.create>, x: Float32Array) => cpuErrors(model, x, n, L);

  it('same_bits equals its TS twin, sign of zero and NaN payloads included, odd lengths', () => {
    const { kx, sk, arena } = kit();
    const rng = createRng('bits');
    for (const len of [1, 3, 4, 5, 17, 64, 129]) {
      const a = Float32Array.from({ length: len }, () => rng.uniform() - 0.5);
      const variants = [a.slice(), a.map((v, i) => (i === len - 1 ? v + 2 ** -20 : v)), a.map((v, i) => (i === 0 ? -v : v))];
      const z = a.slice(); z[len >> 1] = 0; const negZ = z.slice(); negZ[len >> 1] = -0;
      const nan = a.slice(); nan[0] = NaN; const otherNan = new Float32Array(nan); new Int32Array(otherNan.buffer)[0] = 0x7fc00001;
      for (const [p, q] of [[a, variants[0]], [a, variants[1]], [a, variants[2]], [z, negZ], [nan, nan.slice()], [nan, otherNan]]) {
        arena.reset();
        const pa = arena.take(len), qa = arena.take(len);
        arena.commit();
        arena.f32.set(p, pa); arena.f32.set(q, qa);
        expect(sk.same_bits(pa * 4, qa * 4, len) === 1).toBe(sameBits(p, q));
      }
      expect(sameBits(z, negZ)).toBe(false);
      expect(sameBits(nan, otherNan)).toBe(false);
    }
    void kx;
  });

  it('two models of the same shapes in turn, one of other shapes between, and another layout on the same memory: each call scores its own weights', () => {
    setBackend(createWasmBackend());
    const { kx, sk, arena } = kit();
    const a = denseSpec.create({ kind: 'dense', length: L, hidden: [9, 4] }, 11), b = denseSpec.create({ kind: 'dense', length: L, hidden: [9, 4] }, 12);
    const other = denseSpec.create({ kind: 'dense', length: L, hidden: [5] }, 13);
    const x = beatsOf(n, L, 'cache');
    // The core exports with transpose counted, so the test sees whether a call trusted what it kept.
    let transposes = 0;
    const counted = { ...kx, transpose: (...args: Parameters<typeof kx.transpose>) => { transposes++; return kx.transpose(...args); } };
    const run = (m: typeof a, ar = arena, score: typeof sk | null = sk) => denseChainErrors(counted, score, ar, denseChain(m)!, x, n, L, null);
    const wantA = cpuOf(a, x), wantB = cpuOf(b, x), wantO = cpuOf(other, x);
    expectClose(run(a), wantA);
    expect(transposes).toBe(4); // four layers
    expectClose(run(a), wantA);
    expect(transposes).toBe(4); // kept: nothing transposed again
    expectClose(run(b), wantB); // same shapes, other bits: transposed again
    expectClose(run(a), wantA);
    expectClose(run(other), wantO); // other shapes lay the memory out anew
    expectClose(run(a), wantA);
    // Another layout on the same memory (another Arena) writes over the first layer's Wᵀ only, not
    // the kept copy of W: the copy still matches, so only the layout's owner says it is stale.
    const intruder = new Arena(kx.memory);
    intruder.reset();
    const head = intruder.take(64);
    intruder.commit();
    intruder.f32.fill(7, head, head + 64);
    expectClose(run(a), wantA);
    // A call without the score module (no same_bits) transposes but keeps no copy, so it must not
    // leave the layout owned: else the next call would match W against the copy of an older W.
    const wB = cpuOf(b, x);
    expectClose(run(a), wantA);
    expectClose(run(b, arena, null), wB);
    expectClose(run(a), wantA);
    // An Arena that lays the memory out without a reset (a new one, or one that only takes and commits) also ends what was kept.
    const before = transposes;
    expectClose(run(a), wantA);
    expect(transposes).toBe(before);
    const fresh = new Arena(kx.memory);
    const spot = fresh.take(64);
    fresh.commit();
    fresh.f32.fill(3, spot, spot + 64);
    expectClose(run(a), wantA);
    expect(transposes).toBe(before + 4);
    // A change of one bit (the sign of a zero weight) is seen.
    const w = a.namedParameters().find(([k]) => k === 'encoder.0.weight')![1].data;
    w[5] = 0; const withZero = cpuOf(a, x);
    expectClose(run(a), withZero);
    w[5] = -0; expectClose(run(a), cpuOf(a, x));
    const d = a.namedParameters().find(([k]) => k === 'decoder.2.weight')![1].data;
    d[3] += 0.5; const changed = run(a);
    expect(Array.from(changed)).not.toEqual(Array.from(withZero));
    expectClose(changed, cpuOf(a, x));
  });
});

describe('Detector.detect on the wasm chain', () => {
  const L = 30, n = 261, arch = { kind: 'dense' as const, length: L, hidden: [12, 4] };
  const raw = beatsOf(n, L, 'det');
  const scaler = fitScaler('standard', raw, n, L);

  it('gives the cpu backend\'s scores and flags (within float tolerance)', () => {
    const model = denseSpec.create(arch, 5);
    const threshold = { value: 0.9, method: 'test' };
    setBackend(createCpuBackend());
    const cpu = new Detector(model, scaler, threshold).detect(raw, n);
    setBackend(createWasmBackend());
    const wasm = new Detector(model, scaler, threshold).detect(raw, n);
    expect(wasm.kernels).toBe('wasm');
    expectClose(wasm.scores, cpu.scores);
    const near = Array.from(cpu.scores, (s, i) => Math.abs(s - 0.9) < 1e-4 ? i : -1).filter((i) => i >= 0);
    expect(Array.from(wasm.flags).filter((_, i) => !near.includes(i))).toEqual(Array.from(cpu.flags).filter((_, i) => !near.includes(i)));
  });

  it('a NaN output bias makes every beat an anomaly; a NaN or huge input beat is flagged alone', () => {
    setBackend(createWasmBackend());
    const model = denseSpec.create(arch, 6);
    const d = new Detector(model, scaler, { value: 1e9, method: 'test' });
    const hot = raw.slice();
    hot[7 * L + 3] = NaN;
    hot.fill(3e38, 200 * L, 201 * L);
    const r = d.detect(hot, n);
    expect(r.nonFinite).toBe(2);
    expect([r.flags[7], r.flags[200], r.scores[7], r.scores[200]]).toEqual([1, 1, Infinity, Infinity]);
    expect(r.flags.reduce((s, f) => s + f, 0)).toBe(2);
    model.namedParameters().find(([k]) => k === 'decoder.2.bias')![1].data[4] = NaN;
    const all = d.detect(raw, n);
    expect(all.nonFinite).toBe(n);
    expect(Array.from(all.flags)).toEqual(Array(n).fill(1));
  });
});
