// Which backend the ops run on. The contract itself (the Backend interface and its argument
// types) is in contract.ts, re-exported here for the engine and the package entries.
//
// Every backend passes through completeBackend on its way in (setBackend, or the registered
// default on first use), so the active backend always has all thirteen methods: the ops in
// src/engine call each one without asking whether it exists. getBackend() is the public view of
// it (typed Backend, as the package has always declared); getCompleteBackend() is the ops' view.

import { completeBackend } from './complete.ts';
import type { Backend, CompleteBackend } from './contract.ts';

export type { AdamHyper, Backend, BinaryOp, CompleteBackend, ConvGeometry, MatmulLayout, UnaryOp } from './contract.ts';

let current: CompleteBackend | null = null;
let currentIsDefault = false;
let defaultFactory: (() => Backend) | null = null;

/** backends/cpu/index.ts registers the default: wasm where WebAssembly SIMD compiles, else cpu. */
export function registerDefaultBackend(factory: () => Backend): void {
  defaultFactory = factory;
}

/** The active backend. */
export function getBackend(): Backend {
  return getCompleteBackend();
}

/** The active backend, with the fused methods it lacks filled in (complete.ts). */
export function getCompleteBackend(): CompleteBackend {
  if (current) return current;
  if (!defaultFactory) throw new Error('no backend registered: import cardiograd from src/index.ts');
  current = completeBackend(defaultFactory());
  currentIsDefault = true;
  return current;
}

/** Switch every following op to `backend` (e.g. one made by `createGpujsBackend`). */
export function setBackend(backend: Backend): void {
  current = completeBackend(backend);
  currentIsDefault = false;
}

/** Choose the default again on the next op (a wasm module arrived after it was chosen); a setBackend choice stays. */
export function reselectDefaultBackend(): void {
  if (currentIsDefault) current = null;
}
