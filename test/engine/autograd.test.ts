// Autograd mechanics: accumulation, noGrad, graph release, determinism, errors.

import { describe, expect, it } from 'vitest';
import { Adam, Linear, mseLoss, noGrad, randNormal, ReLU, Sequential, SGD, tensor } from '../../src/index.ts';

describe('autograd', () => {
  it('accumulates gradients from every path (x used twice)', () => {
    const x = tensor([1, 2, 3], [3], { requiresGrad: true });
    x.mul(x).add(x).sum().backward(); // d/dx (x² + x) = 2x + 1
    expect(Array.from(x.grad!.data)).toEqual([3, 5, 7]);
    x.mul(2).sum().backward(); // a second backward adds on top, as in PyTorch
    expect(Array.from(x.grad!.data)).toEqual([5, 7, 9]);
  });

  it('noGrad builds no graph', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const y = noGrad(() => w.mul(3).sum());
    expect(y.requiresGrad).toBe(false);
    expect(y.parents.length).toBe(0);
    expect(() => y.backward()).toThrow(/does not require grad/);
  });

  it('releases the graph after backward: memory does not grow over 3000 steps', () => {
    const model = new Sequential(new Linear(16, 8, { seed: 1 }), new ReLU(), new Linear(8, 16, { seed: 2 }));
    const opt = new Adam(model.parameters(), { lr: 1e-3 });
    const x = randNormal([8, 16], 3);
    const step = () => {
      opt.zeroGrad();
      const loss = mseLoss(model.forward(x), x);
      loss.backward();
      opt.step();
      return loss;
    };
    const first = step();
    expect(first.parents.length).toBe(0); // links dropped
    expect(first.backwardFn).toBeNull();
    expect(global.gc, 'vitest.config.ts passes --expose-gc').toBeTypeOf('function');
    global.gc!();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 3000; i++) step();
    global.gc!();
    const growth = process.memoryUsage().heapUsed - before;
    // Each step allocates ~10 KB of activations; a leaked graph would keep ~30 MB alive.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });

  it('same seed, same bits: two seeded runs of 100 training steps', () => {
    const run = (seed: number) => {
      const model = new Sequential(new Linear(140, 32, { seed }), new ReLU(), new Linear(32, 140, { seed: seed + 1 }));
      const opt = new Adam(model.parameters(), { lr: 1e-3 });
      const x = randNormal([32, 140], seed + 2);
      for (let i = 0; i < 100; i++) { opt.zeroGrad(); mseLoss(model.forward(x), x).backward(); opt.step(); }
      return model.parameters().map((p) => Buffer.from(p.data.buffer).toString('hex')).join('');
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });

  it('SGD with momentum follows torch.optim.SGD', () => {
    const p = tensor([1], [1], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    // f = p², g = 2p. Step 1: b = 2, p = 1 - 0.2 = 0.8. Step 2: g = 1.6, b = 1.8 + 1.6 = 3.4, p = 0.8 - 0.34 = 0.46.
    for (let i = 0; i < 2; i++) { opt.zeroGrad(); p.square().sum().backward(); opt.step(); }
    expect(p.data[0]).toBeCloseTo(0.46, 6);
  });

  it('clear errors for bad shapes', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values but shape \[2, 2\]/);
    expect(() => tensor([1, 2], [2]).add(tensor([1, 2, 3], [3]))).toThrow(/cannot be broadcast/);
    expect(() => tensor([1, 2, 3, 4], [2, 2]).matmul(tensor([1, 2, 3], [3, 1]))).toThrow(/inner sizes differ/);
    expect(() => tensor([1, 2, 3, 4], [2, 2]).reshape([3, 2])).toThrow(/cannot reshape/);
  });

  it('state dict keys follow PyTorch naming', () => {
    const model = new Sequential(new Linear(4, 3, { seed: 1 }), new ReLU(), new Linear(3, 4, { seed: 2 }));
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const copy = new Sequential(new Linear(4, 3, { seed: 9 }), new ReLU(), new Linear(3, 4, { seed: 9 }));
    copy.loadStateDict(model.stateDict());
    expect(copy.parameters()[0].data).toEqual(model.parameters()[0].data);
    expect(() => copy.loadStateDict({})).toThrow(/missing parameter "0.weight"/);
  });
});

describe('autograd misuse is an error, not a silent wrong gradient', () => {
  it('a second backward through a released graph throws', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const h = w.mul(3);
    h.sum().backward();
    expect(() => h.square().sum().backward()).toThrow(/already released/);
    const loss = w.mul(2).sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(/already released/);
  });

  it('a gradient of the wrong size throws', () => {
    const w = tensor([1, 2, 3], [3], { requiresGrad: true });
    expect(() => w.mul(2).backward(tensor([1, 1], [2]))).toThrow(/2 values, the tensor 3/);
  });
});

describe('detach and clone', () => {
  it('detach shares the buffer outside the graph; clone copies', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const d = w.detach(), c = w.clone();
    expect(d.requiresGrad || c.requiresGrad).toBe(false);
    w.data[0] = 5;
    expect(d.data[0]).toBe(5);
    expect(c.data[0]).toBe(1);
  });
});
