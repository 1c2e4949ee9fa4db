// lstmRepeatedInput(z, T) is lstm(z repeated over T steps) without building the repeat: the
// forward bit for bit, the gradients to float rounding (its backward sums da over the steps
// before the products), on every backend; it matches PyTorch's torch.nn.LSTM on z expanded over
// the steps (test/fixtures/lstm_repeated_in_torch.py, Debian's python3-torch), forward and every
// gradient; and bad shapes are refused with the shapes named.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { expectClose } from '../helpers/reference.ts';
import { createRng, lstm, lstmLastState, lstmRepeatedInput, Tensor, transpose } from '../../src/index.ts';
import { getBackend, setBackend, type Backend } from '../../src/backends/backend.ts';
import { createCpuBackend } from '../../src/backends/cpu/backend.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';

const random = (shape: number[], rng: ReturnType<typeof createRng>) =>
  new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1), shape, true);

/** Output and every gradient of both ways on one set of inputs (B, T, I, H odd where it matters). */
function bothWays(B: number, T: number, I: number, H: number, seed: number) {
  const rng = createRng(seed);
  const z = random([B, I], rng), wIh = random([4 * H, I], rng), wHh = random([4 * H, H], rng);
  const bIh = random([4 * H], rng), bHh = random([4 * H], rng);
  const up = Float32Array.from({ length: B * T * H }, () => rng.uniform() - 0.5);
  const weights = [wIh, wHh, bIh, bHh];
  /** y and the weights' gradients after backward of Σ y·up; the caller adds its input's gradient. */
  const run = (f: () => Tensor) => {
    for (const p of [z, ...weights]) p.grad = null;
    const y = f();
    y.mul(new Tensor(up, y.shape)).sum().backward();
    return { y: Float32Array.from(y.data), grads: weights.map((p) => Float32Array.from(p.grad?.data ?? new Float32Array(p.size))) }; // T = 1: no dWhh
  };
  // The repeat built by hand: x[b, t] = z[b] for every t, a leaf whose gradient summed over t is dz.
  const x = new Tensor(Float32Array.from({ length: B * T * I }, (_, k) => z.data[Math.floor(k / (T * I)) * I + (k % I)]), [B, T, I], true);
  const viaRepeat = run(() => lstm(x, wIh, wHh, bIh, bHh));
  const dz = new Float32Array(B * I);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) dz[b * I + i] += x.grad!.data[(b * T + t) * I + i];
  const direct = run(() => lstmRepeatedInput(z, T, wIh, wHh, bIh, bHh));
  viaRepeat.grads.push(dz);
  direct.grads.push(Float32Array.from(z.grad!.data));
  return { viaRepeat, direct };
}

const maxRelGap = (a: Float32Array, b: Float32Array) => {
  const scale = Math.max(1e-6, ...Array.from(a, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / scale;
};

const BACKENDS: [string, () => Backend][] = [['cpu', createCpuBackend], ['wasm', createWasmBackend]];
const before = getBackend();
afterEach(() => setBackend(before));

describe.each(BACKENDS)('lstmRepeatedInput on %s', (_, make) => {
  it.each([[1, 1, 1, 1], [3, 7, 2, 5], [4, 12, 16, 8], [5, 140, 3, 9], [32, 35, 16, 32]])(
    'B %i, T %i, I %i, H %i: same forward bits, gradients within float rounding', (B, T, I, H) => {
      setBackend(make());
      const { viaRepeat, direct } = bothWays(B, T, I, H, B * 1000 + T);
      expect(direct.y).toEqual(viaRepeat.y);
      direct.grads.forEach((g, k) => expect(maxRelGap(viaRepeat.grads[k], g), `gradient ${k}`).toBeLessThan(1e-4));
    });
});

describe.each(BACKENDS)('the other state layouts on %s', (_, make) => {
  const inputs = (B: number, T: number, I: number, H: number, seed: string) => {
    const rng = createRng(seed);
    return { x: random([B, T, I], rng), z: random([B, I], rng), w: [random([4 * H, I], rng), random([4 * H, H], rng), random([4 * H], rng), random([4 * H], rng)] };
  };
  /** Output and the gradients of every input after backward of Σ y·up. */
  const grads = (f: () => Tensor, leaves: Tensor[], seed: string) => {
    for (const p of leaves) p.grad = null;
    const y = f(), rng = createRng(seed);
    y.mul(new Tensor(Float32Array.from({ length: y.size }, () => rng.uniform() - 0.5), y.shape)).sum().backward();
    return { y: Float32Array.from(y.data), shape: [...y.shape], g: leaves.map((p) => Float32Array.from(p.grad?.data ?? new Float32Array(p.size))) };
  };

  it.each([[1, 1, 1, 1], [3, 7, 2, 5], [5, 35, 4, 9]])('lstmLastState is lstm(x)\'s last step (B %i, T %i, I %i, H %i)', (B, T, I, H) => {
    setBackend(make());
    const { x, w } = inputs(B, T, I, H, `last${B}${T}`);
    const [a, b, c, d] = w;
    const want = grads(() => lstm(x, a, b, c, d).slice(1, T - 1, T).reshape([B, H]), [x, ...w], 'u');
    const got = grads(() => lstmLastState(x, a, b, c, d), [x, ...w], 'u');
    expect(got.shape).toEqual([B, H]);
    expect(got.y).toEqual(want.y);
    got.g.forEach((g, k) => expect(maxRelGap(want.g[k], g), `gradient ${k}`).toBeLessThan(1e-5));
  });

  it.each([[1, 1, 1, 1], [3, 7, 2, 5], [5, 35, 4, 9]])('lstmRepeatedInput with timeMajor is the batch output transposed (B %i, T %i, I %i, H %i)', (B, T, I, H) => {
    setBackend(make());
    const { z, w } = inputs(B, T, I, H, `time${B}${T}`);
    const [a, b, c, d] = w;
    const want = grads(() => transpose(lstmRepeatedInput(z, T, a, b, c, d), 0, 1), [z, ...w], 'v');
    const got = grads(() => lstmRepeatedInput(z, T, a, b, c, d, { timeMajor: true }), [z, ...w], 'v');
    expect(got.shape).toEqual([T, B, H]);
    expect(got.y).toEqual(want.y);
    got.g.forEach((g, k) => expect(maxRelGap(want.g[k], g), `gradient ${k}`).toBeLessThan(1e-5));
  });
});

it('refuses a z that is not [B, I], a bad step count, and weights that do not fit z', () => {
  const w = (s: number[]) => new Tensor(new Float32Array(s.reduce((a, b) => a * b, 1)), s);
  expect(() => lstmRepeatedInput(w([2, 3, 4]), 5, w([8, 4]), w([8, 2]))).toThrow(/z \[2, ?3, ?4\]/);
  expect(() => lstmRepeatedInput(w([2, 4]), 0, w([8, 4]), w([8, 2]))).toThrow(/0 steps/);
  expect(() => lstmRepeatedInput(w([2, 4]), 2.5, w([8, 4]), w([8, 2]))).toThrow(/2.5 steps/);
  expect(() => lstmRepeatedInput(w([2, 3]), 5, w([8, 4]), w([8, 2]))).toThrow(/do not fit/);
});

describe('lstmRepeatedInput against PyTorch', () => {
  const REPO = new URL('../..', import.meta.url).pathname;
  const arr = (shape: number[], rng: ReturnType<typeof createRng>, scale = 1) =>
    ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.uniform() * 2 - 1) * scale) });
  const cases = [[2, 5, 3, 4], [3, 9, 1, 7], [4, 17, 6, 9]].map(([B, T, I, H], k) => {
    const rng = createRng(`torch-repeat-${k}`), s = 1 / Math.sqrt(H);
    return { z: arr([B, I], rng), w_ih: arr([4 * H, I], rng, s), w_hh: arr([4 * H, H], rng, s), b_ih: arr([4 * H], rng, s),
      b_hh: arr([4 * H], rng, s), steps: T, upstream: arr([B, T, H], rng) };
  });
  let torch: { output: { shape: number[]; data: number[] }; grads: { data: number[] }[] }[] = [];
  beforeAll(() => {
    const py = spawnSync('/usr/bin/python3', [path.join(REPO, 'test/fixtures/lstm_repeated_in_torch.py')],
      { input: JSON.stringify(cases), encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`lstm_repeated_in_torch.py failed (${py.status}): ${py.stderr}`);
    torch = JSON.parse(py.stdout);
  }, 60_000);

  forEachBackend(() => {
    cases.forEach((c, k) => {
      it(`B ${c.z.shape[0]}, T ${c.steps}, I ${c.z.shape[1]}, H ${c.w_hh.shape[1]}: output and the gradients of z, both weights, both biases`, () => {
        const t = (a: { shape: number[]; data: number[] }) => new Tensor(Float32Array.from(a.data), a.shape, true);
        const xs = [t(c.z), t(c.w_ih), t(c.w_hh), t(c.b_ih), t(c.b_hh)];
        const y = lstmRepeatedInput(xs[0], c.steps, xs[1], xs[2], xs[3], xs[4]);
        expect([...y.shape]).toEqual(torch[k].output.shape);
        expectClose(y.data, torch[k].output.data, 'forward');
        y.backward(new Tensor(Float32Array.from(c.upstream.data), c.upstream.shape));
        xs.forEach((x, i) => expectClose(x.grad!.data, torch[k].grads[i].data, `grad ${i}`));
      });
    });
  });
});
