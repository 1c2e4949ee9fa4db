// The fast path of deterministic scoring for the dense autoencoder on the wasm backend: the whole
// Linear/ReLU chain and the per-beat error in one wasm instance (backends/wasm/dense-chain.ts),
// the scaling done while the beats are copied in. Same sums as reconstructionErrors up to float
// rounding (test/detect/dense-scoring.test.ts). Other kinds and backends take the per-op path.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { getBackend } from '../backends/backend.ts';
import { Arena } from '../backends/wasm/arena.ts';
import { denseChainErrors, instantiateScore, type ChainLayer, type ScoreKernelExports } from '../backends/wasm/dense-chain.ts';
import { instantiate, wasmSupport, type KernelExports } from '../backends/wasm/module.ts';
import type { Scaler } from './scaler.ts';

/**
 * The dense model's layers in order (encoder then decoder, each Linear followed by a ReLU but the
 * decoder's last), read from its parameters as denseSpec lays them out; null for other kinds.
 */
export function denseChain(model: Autoencoder): ChainLayer[] | null {
  const arch = model.architecture;
  if (arch.kind !== 'dense' || !Array.isArray(arch.hidden)) return null;
  const sizes = [arch.length, ...(arch.hidden as number[])];
  const params = new Map(model.namedParameters().map(([k, t]) => [k, t.data]));
  const layers: ChainLayer[] = [];
  const add = (key: string, inF: number, outF: number, relu: boolean) => {
    const weight = params.get(`${key}.weight`);
    if (!weight || weight.length !== inF * outF) return false;
    layers.push({ weight, bias: params.get(`${key}.bias`) ?? null, inF, outF, relu });
    return true;
  };
  const back = [...sizes].reverse();
  for (let i = 0; i + 1 < sizes.length; i++) if (!add(`encoder.${2 * i}`, sizes[i], sizes[i + 1], true)) return null;
  for (let i = 0; i + 1 < back.length; i++) if (!add(`decoder.${2 * i}`, back[i], back[i + 1], i + 2 < back.length)) return null;
  return layers;
}

interface ChainKernels { kx: KernelExports; sk: ScoreKernelExports | null; arena: Arena }
let kernels: ChainKernels | null | undefined;

/** The chain's own instance of the core kernels (its own memory), or null without WebAssembly SIMD. */
function chainKernels(): ChainKernels | null {
  if (kernels !== undefined) return kernels;
  const support = wasmSupport();
  if (!support.ok) return null; // not cached: a module may still be provided later
  const kx = instantiate(support.module);
  return (kernels = { kx, sk: instantiateScore(kx.memory), arena: new Arena(kx.memory) });
}

/**
 * Reconstruction errors of beats [n, L] by the wasm dense chain, scaling them on the way in when
 * `scaler` is given (else they are already scaled); null when this path does not apply (not a
 * dense model, or the active backend is not wasm): the caller then takes the per-op path.
 */
export function denseWasmErrors(model: Autoencoder, beats: Float32Array, n: number, scaler: Scaler | null): Float32Array | null {
  if (getBackend().name !== 'wasm') return null;
  const layers = denseChain(model);
  const k = layers && chainKernels();
  if (!layers || !k) return null;
  const L = model.architecture.length;
  return denseChainErrors(k.kx, k.sk, k.arena, layers, beats, n, L, scaler);
}
