// Where one training step's time goes, per model kind (project default architectures, batch 32,
// wasm backend): `npm run bench -- --only profile`.
//
// Nothing in src/ changes for this: the bench wraps things from outside and only while it runs.
//   - every method of a fresh wasm backend (time inside each backend call), and every function
//     export of its WebAssembly instance (time inside the kernels proper); a backend call's time
//     minus its kernels' time is the copy in/out of wasm memory plus the arena glue;
//   - every layer's forward (exclusive time by layer class: the JS glue of ops that are no
//     backend call, e.g. Tensor building, reshapes, slices, pooling, lands here);
//   - every backward closure of the autograd tape, by the op name its tensor carries;
//   - GC pauses seen by a PerformanceObserver while the steps run (the cost of allocation
//     beyond the zeroing of new buffers, which counts where it happens).
// Timers add about a microsecond per wrapped call, so the suite also times the same step
// unwrapped, interleaved in the same process, and prints the instrumented/plain ratio.

import { PerformanceObserver, performance } from 'node:perf_hooks';
import { createAutoencoder, MODEL_KINDS, type ModelKind } from '../../src/autoencoders/registry.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import { Adam, Tensor, createRng, getBackend, setBackend, type Backend } from '../../src/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import type { Module } from '../../src/nn/module.ts';
import type { BeatMatrix } from '../../src/training/trainer.ts';
import type { BenchConfig, Row } from '../lib.ts';

/** Accumulated milliseconds per label. */
class Ledger {
  readonly ms = new Map<string, number>();
  add(label: string, dt: number): void { this.ms.set(label, (this.ms.get(label) ?? 0) + dt); }
}

interface Probe {
  backend: Backend;
  /** Backend method -> inclusive ms; backend method -> ms inside its wasm exports. */
  calls: Ledger; kernels: Ledger;
  phase: 'forward' | 'backward' | 'optimizer';
}

/** A wasm backend whose methods and kernel exports add their time to the probe's ledgers. */
function instrumentedWasmBackend(): Probe {
  const probe = { calls: new Ledger(), kernels: new Ledger(), phase: 'forward' } as Probe;
  let inCall = '';
  const RealInstance = WebAssembly.Instance;
  // The backend instantiates its module with `new WebAssembly.Instance(...)`: hand it an
  // instance whose function exports are timed (memory and globals pass through untouched).
  const Timed = function (this: unknown, module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    const real = new RealInstance(module, imports);
    const exports: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(real.exports)) {
      if (typeof value !== 'function') { exports[name] = value; continue; }
      const fn = value as (...a: number[]) => number;
      exports[name] = (...a: number[]) => {
        const t0 = performance.now();
        try { return fn(...a); } finally { probe.kernels.add(`${probe.phase} ${inCall}`, performance.now() - t0); }
      };
    }
    return { exports };
  } as unknown as typeof WebAssembly.Instance;
  (WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = Timed;
  let base: Backend;
  try { base = createWasmBackend(); } finally { (WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = RealInstance; }
  const wrapped: Record<string, unknown> = { name: base.name };
  for (const [name, value] of Object.entries(base)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...a: unknown[]) => unknown;
    wrapped[name] = (...a: unknown[]) => {
      const label = name === 'unary' || name === 'binary' ? `${name} ${a[0] as string}` : name;
      const outer = inCall;
      inCall = label;
      const t0 = performance.now();
      try { return fn(...a); } finally { probe.calls.add(`${probe.phase} ${label}`, performance.now() - t0); inCall = outer; }
    };
  }
  probe.backend = wrapped as unknown as Backend;
  return probe;
}

/** Wraps each layer instance's forward: exclusive ms by class name (a stack subtracts children). */
function instrumentLayers(root: Module, ledger: Ledger): void {
  const stack: number[] = [];
  const visit = (m: Module) => {
    const forward = m.forward.bind(m);
    const name = m.constructor.name;
    m.forward = (...inputs: Tensor[]) => {
      stack.push(0);
      const t0 = performance.now();
      try { return forward(...inputs); } finally {
        const dt = performance.now() - t0;
        const children = stack.pop()!;
        ledger.add(name, dt - children);
        if (stack.length) stack[stack.length - 1] += dt;
      }
    };
    // Module keeps its children in a TS-private map; read it at run time.
    for (const child of ((m as unknown as { children: Map<string, Module> }).children).values()) visit(child);
  };
  visit(root);
}

/** While installed, every backward() with `active()` true times each tape closure by its tensor's op name. */
function instrumentBackward(ledger: Ledger, active: () => boolean): () => void {
  const original = Tensor.prototype.backward;
  Tensor.prototype.backward = function (this: Tensor, gradient?: Tensor | Float32Array) {
    if (!active()) { original.call(this, gradient); return; }
    const seen = new Set<Tensor>();
    const todo: Tensor[] = [this];
    while (todo.length) {
      const node = todo.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      const fn = node.backwardFn;
      if (fn) {
        const op = node.op;
        node.backwardFn = (g: Float32Array) => {
          const t0 = performance.now();
          try { fn(g); } finally { ledger.add(op, performance.now() - t0); }
        };
      }
      for (const p of node.parents) if (p.requiresGrad) todo.push(p);
    }
    original.call(this, gradient);
  };
  return () => { Tensor.prototype.backward = original; };
}

/** One seeded step closure (fresh model, Adam 1e-3, the first batch of the workload). */
function stepper(kind: ModelKind, beats: BeatMatrix, batch: number) {
  const model = createAutoencoder(defaultArchitecture(kind, beats.length), 0);
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const rng = createRng('bench-profile');
  const x = new Tensor(beats.data.slice(0, batch * beats.length), [batch, beats.length]);
  return { model, opt, x, rng };
}

interface KindProfile { steps: number; stepMs: number; plainMs: number; phases: Ledger; layers: Ledger; tape: Ledger; calls: Ledger; kernels: Ledger; gcMs: number }

async function profileKind(kind: ModelKind, beats: BeatMatrix, steps: number, batch = 32): Promise<KindProfile> {
  const original = getBackend();
  const probe = instrumentedWasmBackend();
  const plainBackend = createWasmBackend();
  const phases = new Ledger(); const layers = new Ledger(); const tape = new Ledger();
  const inst = stepper(kind, beats, batch);
  const plain = stepper(kind, beats, batch);
  instrumentLayers(inst.model, layers);
  const runPlain = () => {
    plain.opt.zeroGrad();
    plain.model.loss(plain.x, { rng: plain.rng, epoch: 1 }).backward();
    plain.opt.step();
  };
  let tapeOn = false;
  const runInstrumented = () => {
    const t0 = performance.now();
    probe.phase = 'forward';
    inst.opt.zeroGrad();
    const loss = inst.model.loss(inst.x, { rng: inst.rng, epoch: 1 });
    const t1 = performance.now();
    probe.phase = 'backward';
    tapeOn = true;
    try { loss.backward(); } finally { tapeOn = false; }
    const t2 = performance.now();
    probe.phase = 'optimizer';
    inst.opt.step();
    const t3 = performance.now();
    phases.add('forward', t1 - t0); phases.add('backward', t2 - t1); phases.add('optimizer', t3 - t2);
  };
  let gcMs = 0;
  let measuring = false;
  const gc = new PerformanceObserver((list) => { if (measuring) for (const e of list.getEntries()) gcMs += e.duration; });
  gc.observe({ entryTypes: ['gc'] });
  const restore = instrumentBackward(tape, () => tapeOn);
  let instMs = 0; let plainMs = 0;
  try {
    const warm = Math.max(3, Math.floor(steps / 5));
    for (let i = 0; i < warm; i++) {
      setBackend(probe.backend); runInstrumented();
      setBackend(plainBackend); runPlain();
    }
    for (const l of [phases, layers, tape, probe.calls, probe.kernels]) l.ms.clear();
    measuring = true;
    // Interleaved: one instrumented step, one plain step, so load changes hit both alike.
    for (let i = 0; i < steps; i++) {
      setBackend(probe.backend);
      let t0 = performance.now(); runInstrumented(); instMs += performance.now() - t0;
      setBackend(plainBackend);
      t0 = performance.now(); runPlain(); plainMs += performance.now() - t0;
    }
    // GC entries reach the observer on a later turn of the event loop.
    await new Promise((r) => setTimeout(r, 50));
    measuring = false;
  } finally {
    restore(); gc.disconnect(); setBackend(original);
  }
  return { steps, stepMs: instMs / steps, plainMs: plainMs / steps, phases, layers, tape, calls: probe.calls, kernels: probe.kernels, gcMs: gcMs / (2 * steps) };
}

/** Steps per kind: the sequence models take tens of ms per step. */
const STEPS: Record<ModelKind, number> = { dense: 200, vae: 200, lstm: 20, conv: 30 };

/** The kinds to profile: all, or those in PROFILE_KINDS (e.g. `PROFILE_KINDS=dense,vae npm run bench -- --only profile`). */
function kindsFromEnv(): readonly ModelKind[] {
  const asked = process.env.PROFILE_KINDS?.split(',').filter(Boolean);
  if (!asked?.length) return MODEL_KINDS;
  const bad = asked.filter((k) => !(MODEL_KINDS as readonly string[]).includes(k));
  if (bad.length) throw new Error(`PROFILE_KINDS: unknown kind(s) ${bad.join(', ')}; choose from ${MODEL_KINDS.join(', ')}`);
  return asked as ModelKind[];
}

export async function profileSuite(cfg: BenchConfig, beats: BeatMatrix, kinds: readonly ModelKind[] = kindsFromEnv()): Promise<Row[]> {
  const rows: Row[] = [];
  const scale = cfg.timeMs < 300 ? 0.25 : 1;
  for (const kind of kinds) {
    const steps = Math.max(5, Math.round(STEPS[kind] * scale));
    const p = await profileKind(kind, beats, steps);
    const per = (ms: number) => ms / steps;
    const push = (name: string, ms: number) => rows.push({ suite: 'profile', name: `${kind} ${name}`, ms, value: 100 * ms / p.stepMs, unit: '% of step', samples: steps });
    rows.push({ suite: 'profile', name: `${kind} step, instrumented`, ms: p.stepMs, value: 1000 / p.stepMs, unit: 'steps/s', samples: steps,
      baseline: `${kind} step, plain`, ratio: p.plainMs / p.stepMs });
    rows.push({ suite: 'profile', name: `${kind} step, plain`, ms: p.plainMs, value: 1000 / p.plainMs, unit: 'steps/s', samples: steps });
    for (const [phase, ms] of p.phases.ms) push(`phase ${phase}`, per(ms));
    // Backend calls: kernel (inside wasm exports) and the rest (copies + glue, or the TS kernel).
    const sorted = [...p.calls.ms].sort((a, b) => b[1] - a[1]);
    let backendMs = 0;
    for (const [label, ms] of sorted) {
      const kernel = p.kernels.ms.get(label) ?? 0;
      backendMs += ms;
      if (kernel > 0) {
        push(`backend ${label}: wasm kernel`, per(kernel));
        push(`backend ${label}: copy in/out + glue`, per(ms - kernel));
      } else push(`backend ${label}: TS kernel`, per(ms));
    }
    const stepMs = p.stepMs;
    push('outside backend calls (JS glue, allocation, tape)', stepMs - per(backendMs));
    push('GC pauses (per step, both runs averaged)', p.gcMs);
    for (const [layer, ms] of [...p.layers.ms].sort((a, b) => b[1] - a[1])) push(`forward layer ${layer} (excl. child layers, incl. its backend calls)`, per(ms));
    for (const [op, ms] of [...p.tape.ms].sort((a, b) => b[1] - a[1])) push(`backward op ${op}`, per(ms));
  }
  return rows;
}
