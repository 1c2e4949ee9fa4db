// A resumable training checkpoint: everything trainAutoencoder needs to continue a run so that
// it ends with the same bits as a run that was never interrupted. Encoded as ONE safetensors
// file (tensors + a JSON string in its metadata), so writing it atomically is one file rename
// (checkpoint-node.ts). No file access here.
//
// Tensors in the file:
//   weights.<param>   current parameters
//   adam.m.<param>    Adam's first moments      adam.v.<param>   second moments
//   best.<param>      the best epoch's parameters (only with early stopping)
// Metadata "cardiograd.checkpoint": JSON of CheckpointInfo below.

import type { AdamState } from '../optim/adam.ts';
import type { RngState } from '../engine/random.ts';
import { decodeSafetensors, encodeSafetensors, type TensorMap } from '../io/safetensors.ts';
import type { EpochRecord } from './epoch-record.ts';

export const CHECKPOINT_FORMAT_VERSION = 1;
const METADATA_KEY = 'cardiograd.checkpoint';

/**
 * What a run must share with the checkpoint to continue it bit for bit: the trainer's options
 * (except the epoch count) and the exact training and validation beats (a hash of their bytes).
 */
export interface TrainingFingerprint {
  batchSize: number;
  lr: number;
  patience: number;
  seed: number;
  clipNorm: number;
  /** FNV-1a of the scaled training beats' float32 bytes, with n and length. */
  train: string;
  val: string | null;
  /** Parameter names and shapes, in the model's order. */
  params: { name: string; shape: number[] }[];
  /** The model's architecture as JSON (kind, sizes, and options such as the VAE's beta). */
  architecture: string;
  /** e.g. "cosine over 100 epochs"; absent for a constant learning rate. */
  lrSchedule?: string;
}

/** The trainer's whole state after a completed epoch. */
export interface TrainerCheckpoint {
  fingerprint: TrainingFingerprint;
  /** Last completed epoch (the resumed run starts at epoch + 1). */
  epoch: number;
  history: EpochRecord[];
  /** Parameters, in fingerprint.params order. */
  weights: Float32Array[];
  adam: AdamState;
  rng: RngState;
  /** The shuffled order of the training beats after the last epoch (each epoch reshuffles it). */
  order: number[];
  /** Early-stopping state: the monitored loss's best value and epoch, and its weights (patience > 0). */
  best: { loss: number; epoch: number; weights: Float32Array[] | null };
  /** Divergence reference: the untrained model's first batch loss and the lowest epoch loss. */
  startLoss: number;
  lowestLoss: number;
  /** Training-loop seconds spent before this checkpoint. */
  trainSeconds: number;
  /** Free-form caller data stored alongside (the CLI keeps its flags here). */
  extra?: Record<string, unknown>;
}

/** The JSON half of the file (everything but the tensors). */
interface CheckpointInfo extends Omit<TrainerCheckpoint, 'weights' | 'adam' | 'best'> {
  formatVersion: number;
  adamStep: number;
  best: { loss: number; epoch: number; hasWeights: boolean };
}

/** FNV-1a (32-bit) of a float32 block's bytes, tagged with its shape: a cheap identity check, not security. */
export function fingerprintBeats(data: Float32Array, n: number, length: number): string {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, n * length * 4);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
  return `${n}x${length}:${h.toString(16).padStart(8, '0')}`;
}

export function encodeCheckpoint(c: TrainerCheckpoint): Uint8Array {
  const tensors: TensorMap = {};
  c.fingerprint.params.forEach(({ name, shape }, i) => {
    tensors[`weights.${name}`] = { shape, data: c.weights[i] };
    tensors[`adam.m.${name}`] = { shape, data: c.adam.m[i] };
    tensors[`adam.v.${name}`] = { shape, data: c.adam.v[i] };
    if (c.best.weights) tensors[`best.${name}`] = { shape, data: c.best.weights[i] };
  });
  const info: CheckpointInfo = {
    formatVersion: CHECKPOINT_FORMAT_VERSION, fingerprint: c.fingerprint, epoch: c.epoch, history: c.history,
    rng: c.rng, order: c.order, adamStep: c.adam.step, best: { loss: c.best.loss, epoch: c.best.epoch, hasWeights: c.best.weights !== null },
    startLoss: c.startLoss, lowestLoss: c.lowestLoss, trainSeconds: c.trainSeconds, ...(c.extra ? { extra: c.extra } : {}),
  };
  if (![info.best.loss, info.startLoss, info.lowestLoss].every(Number.isFinite)) {
    throw new Error('checkpoint: a loss is not finite (a diverged run is not checkpointed)');
  }
  return encodeSafetensors(tensors, { [METADATA_KEY]: JSON.stringify(info) });
}

/** Reads a checkpoint; `source` names the file in errors. Checks structure, not the fit to a run. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): TrainerCheckpoint {
  const fail = (why: string): never => { throw new Error(`${source}: not a usable checkpoint: ${why}`); };
  let decoded;
  try { decoded = decodeSafetensors(bytes); } catch (e) { return fail((e as Error).message); }
  const raw = decoded.metadata[METADATA_KEY];
  if (raw === undefined) fail(`no "${METADATA_KEY}" metadata`);
  let info: CheckpointInfo;
  try { info = JSON.parse(raw) as CheckpointInfo; } catch { return fail('its metadata is not JSON'); }
  if (info?.formatVersion !== CHECKPOINT_FORMAT_VERSION) fail(`formatVersion ${JSON.stringify(info?.formatVersion)}, this code reads ${CHECKPOINT_FORMAT_VERSION}`);
  const fp = info.fingerprint;
  if (!fp || !Array.isArray(fp.params)) fail('fingerprint.params missing');
  if (!Number.isSafeInteger(info.epoch) || info.epoch < 1) fail(`epoch must be a positive integer, got ${JSON.stringify(info.epoch)}`);
  if (!Array.isArray(info.history) || info.history.length !== info.epoch) fail('history does not match the epoch');
  const n = Number(/^(\d+)x/.exec(String(fp.train))?.[1]);
  if (!Array.isArray(info.order) || info.order.length !== n || new Set(info.order).size !== n ||
      !info.order.every((i) => Number.isInteger(i) && i >= 0 && i < n)) fail('order is not a permutation of the training beats');
  for (const k of ['startLoss', 'lowestLoss', 'trainSeconds'] as const) if (!Number.isFinite(info[k])) fail(`${k} is not a finite number`);
  if (!info.best || !Number.isFinite(info.best.loss) || !Number.isSafeInteger(info.best.epoch)) fail('best (early-stopping state) is malformed');
  const tensor = (key: string, shape: number[]): Float32Array => {
    const t = decoded.tensors[key];
    if (!t) return fail(`tensor "${key}" is missing`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) fail(`tensor "${key}" has shape [${t.shape}], expected [${shape}]`);
    if (!t.data.every(Number.isFinite)) fail(`tensor "${key}" holds a non-finite value`);
    return t.data;
  };
  const params = fp.params;
  const expected = params.length * (info.best.hasWeights ? 4 : 3);
  if (Object.keys(decoded.tensors).length !== expected) fail(`${Object.keys(decoded.tensors).length} tensors, expected ${expected}`);
  return {
    fingerprint: fp, epoch: info.epoch, history: info.history, rng: info.rng, order: info.order,
    weights: params.map((p) => tensor(`weights.${p.name}`, p.shape)),
    adam: { step: info.adamStep, m: params.map((p) => tensor(`adam.m.${p.name}`, p.shape)), v: params.map((p) => tensor(`adam.v.${p.name}`, p.shape)) },
    best: { loss: info.best.loss, epoch: info.best.epoch, weights: info.best.hasWeights ? params.map((p) => tensor(`best.${p.name}`, p.shape)) : null },
    startLoss: info.startLoss, lowestLoss: info.lowestLoss, trainSeconds: info.trainSeconds,
    ...(info.extra !== undefined ? { extra: info.extra } : {}),
  };
}

/** Names the first difference between a run's fingerprint and a checkpoint's, or null when they match. */
export function fingerprintMismatch(run: TrainingFingerprint, saved: TrainingFingerprint): string | null {
  for (const k of ['batchSize', 'lr', 'patience', 'seed', 'clipNorm', 'train', 'val', 'architecture', 'lrSchedule'] as const) {
    if (run[k] !== saved[k]) {
      const what = k === 'train' || k === 'val' ? `${k === 'train' ? 'training' : 'held-out'} beats differ` : `${k} differs`;
      return `${what} (checkpoint: ${JSON.stringify(saved[k])}, this run: ${JSON.stringify(run[k])})`;
    }
  }
  const a = JSON.stringify(run.params), b = JSON.stringify(saved.params);
  return a === b ? null : 'the model\'s parameters (names or shapes) differ';
}
