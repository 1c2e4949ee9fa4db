// Same-process A/B of one training step: another checkout of cardiograd (BASE, e.g. `git archive`
// of main unpacked with a node_modules link) against this one, steps alternating in one process so
// load hits both alike; medians and minima of the step times. Used for the before/after ratios in
// docs/benchmarks.md (issue 25).
// usage: node --import tsx bench/ab-step.ts BASE KIND [ROUNDS] [BATCH]
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, kind = 'conv', rounds = '60', batch = '32'] = process.argv.slice(2);
if (!base) { console.error('usage: node --import tsx bench/ab-step.ts BASE KIND [ROUNDS] [BATCH]'); process.exit(2); }
const R = Number(rounds), B = Number(batch), L = 140;
const HERE = fileURLToPath(new URL('..', import.meta.url));
async function load(root: string): Promise<() => void> {
  const { createAutoencoder } = await import(root + '/src/autoencoders/registry.ts');
  const { defaultArchitecture } = await import(root + '/src/autoencoders/defaults.ts');
  const { Adam, Tensor, createRng } = await import(root + '/src/index.ts');
  const rng = createRng('x');
  const x = new Tensor(Float32Array.from({ length: B * L }, () => rng.uniform() - 0.5), [B, L]);
  const model = createAutoencoder(defaultArchitecture(kind, L), 1); const opt = new Adam(model.parameters(), { lr: 1e-3 }); const r2 = createRng('s');
  return () => { const loss = model.loss(x, { rng: r2, epoch: 1 }); loss.backward(); opt.step(); };
}
const fns = { base: await load(path.resolve(base)), new: await load(HERE) };
const ms: Record<string, number[]> = { base: [], new: [] };
const ORDERS: ('base' | 'new')[][] = [['new', 'base'], ['base', 'new']];
for (let i = 0; i < R; i++) for (const k of ORDERS[i % 2]) {
  const t0 = performance.now(); fns[k](); const dt = performance.now() - t0; if (i >= 5) ms[k].push(dt);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1], min = (a: number[]) => Math.min(...a);
console.log(`${kind} batch ${B}, load ${os.loadavg()[0].toFixed(1)}: base median ${med(ms.base).toFixed(2)} ms (min ${min(ms.base).toFixed(2)}), new median ${med(ms.new).toFixed(2)} (min ${min(ms.new).toFixed(2)}); base/new median ${(med(ms.base) / med(ms.new)).toFixed(2)}x, min ${(min(ms.base) / min(ms.new)).toFixed(2)}x`);
