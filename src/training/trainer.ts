// Trains an autoencoder on normal beats: seeded shuffled mini-batches, Adam, and early stopping
// on a validation set of held-out normal beats (best weights restored). Stops with an error when
// training diverges, and can hand out / continue from checkpoints (checkpoint.ts) so a resumed
// run ends bit-identical to an uninterrupted one. Runtime-agnostic.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { createRng, shuffleIndices } from '../engine/random.ts';
import { noGrad, Tensor } from '../engine/tensor.ts';
import { Adam } from '../optim/adam.ts';
import { clipGradNorm } from '../optim/clip.ts';
import { reconstructionErrors } from '../detect/scoring.ts';
import { fingerprintBeats, fingerprintMismatch, type TrainerCheckpoint, type TrainingFingerprint } from './checkpoint.ts';

import type { BeatMatrix } from '../data/beat-matrix.ts';
import type { EpochRecord } from './epoch-record.ts';
import { scheduledLr, type LrSchedule } from '../optim/lr-schedule.ts';
import { nowMs } from '../io/clock.ts';
export type { BeatMatrix } from '../data/beat-matrix.ts';
export type { EpochRecord } from './epoch-record.ts';
export { LR_SCHEDULES, scheduledLr, type LrSchedule } from '../optim/lr-schedule.ts';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Epochs without validation improvement before stopping; 0 turns early stopping off. */
  patience: number;
  seed: number;
  /** Clip the global gradient norm (LSTM); 0 = off. */
  clipNorm?: number;
  /** 'constant' (default) or 'cosine': lr·½(1 + cos(π·(epoch-1)/epochs)) in epoch `epoch`. */
  lrSchedule?: LrSchedule;
  onEpoch?: (e: EpochRecord) => void;
  /** Hand a checkpoint to `onCheckpoint` after every `checkpointEvery` completed epochs (0/absent = never). */
  checkpointEvery?: number;
  onCheckpoint?: (c: TrainerCheckpoint) => void;
  /** Continue from this checkpoint (same options and beats, checked) instead of starting afresh. */
  resume?: TrainerCheckpoint;
}

/**
 * Divergence rule: an epoch's mean training loss above DIVERGENCE_FACTOR times the reference
 * stops training, where reference = max(lowest epoch loss so far (or the first batch's loss
 * before epoch 1 ends), the first batch's loss / DIVERGENCE_FACTOR). Why: the first batch's loss
 * is the untrained model's, the data's own scale (~1 on standardised beats); a loss 1000x the
 * best seen is no mini-batch noise (normal runs of all four models' defaults on ECG5000 rose at
 * most 1.31x over their best, see README and test/training/divergence.test.ts) but a run heading to 1e33 as `--lr 100` does. The floor keeps a
 * near-perfect fit (best 1e-9) from tripping on a harmless rebound: a loss at or below the
 * untrained model's is never called divergence. Non-finite losses always are.
 */
export const DIVERGENCE_FACTOR = 1e3;


export interface TrainResult {
  history: EpochRecord[];
  /** Epoch whose weights were kept (best validation loss, or the last epoch). */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Wall time of the training loop alone (no data loading or scoring). */
  trainSeconds: number;
}

export function trainAutoencoder(model: Autoencoder, train: BeatMatrix, val: BeatMatrix | null,
                                 opts: TrainOptions): TrainResult {
  checkTrainingInputs(train, val, opts);
  const named = model.namedParameters();
  const params = named.map(([, p]) => p);
  const fingerprint = fingerprintOf(model, named, train, val, opts);
  const optimizer = new Adam(params, { lr: opts.lr });
  const run = startOrResume(fingerprint, params, optimizer, train, opts);

  model.train();
  const start = nowMs();
  for (let epoch = run.firstEpoch; epoch <= opts.epochs; epoch++) {
    const record = runEpoch(model, optimizer, params, train, val, run, epoch, opts);
    opts.onEpoch?.(record);
    if (keepBestOrStop(run, record, params, opts)) break;
    if (opts.checkpointEvery && opts.onCheckpoint && epoch % opts.checkpointEvery === 0 && epoch < opts.epochs) {
      opts.onCheckpoint(checkpointOf(run, fingerprint, epoch, params, optimizer, start));
    }
  }
  const trainSeconds = run.priorSeconds + (nowMs() - start) / 1000;
  // With early stopping on, keep the best epoch's weights; with it off, keep the last.
  if (opts.patience > 0 && run.best.state) params.forEach((p, i) => p.data.set(run.best.state![i]));
  const bestEpoch = opts.patience > 0 ? run.best.epoch : run.history.length;
  refuseNonFiniteWeights(named);
  model.eval();
  return { history: run.history, bestEpoch, stoppedEarly: run.stoppedEarly, trainSeconds };
}

/** What a run carries from epoch to epoch (and what a checkpoint saves of it). */
interface RunState {
  firstEpoch: number;
  rng: ReturnType<typeof createRng>;
  /** The shuffle permutes the previous epoch's order in place, so the order is state too. */
  order: Int32Array;
  /** Reused batch buffers: a full batch and the smaller final one (allocated once, not per step). */
  fullBatch: Float32Array;
  tailBatch: Float32Array;
  history: EpochRecord[];
  best: { loss: number; epoch: number; state: Float32Array[] | null };
  /** The first batch's loss, before any update (the divergence rule's scale). */
  startLoss: number;
  lowestLoss: number;
  stoppedEarly: boolean;
  /** What early stopping compares, of the last epoch: its held-out reconstruction error (else its loss). */
  monitored: number;
  /** Training seconds spent before a resume. */
  priorSeconds: number;
}

function checkTrainingInputs(train: BeatMatrix, val: BeatMatrix | null, opts: TrainOptions): void {
  if (train.n === 0) throw new Error('no training beats');
  if (opts.patience > 0 && !(val && val.n > 0)) {
    throw new Error('early stopping (patience > 0) needs held-out beats, and there are none: raise the validation fraction or set patience 0');
  }
}

/** Everything a checkpoint must match to be resumed by this run. */
function fingerprintOf(model: Autoencoder, named: [string, Tensor][], train: BeatMatrix, val: BeatMatrix | null,
                       opts: TrainOptions): TrainingFingerprint {
  const schedule = opts.lrSchedule ?? 'constant';
  return {
    batchSize: opts.batchSize, lr: opts.lr, patience: opts.patience, seed: opts.seed, clipNorm: opts.clipNorm ?? 0,
    train: fingerprintBeats(train.data, train.n, train.length), val: val && val.n > 0 ? fingerprintBeats(val.data, val.n, val.length) : null,
    params: named.map(([name, p]) => ({ name, shape: [...p.shape] })),
    architecture: JSON.stringify(model.architecture),
    // A schedule's rates depend on the epoch count too; absent for the constant rate (older checkpoints).
    ...(schedule !== 'constant' ? { lrSchedule: `${schedule} over ${opts.epochs} epochs` } : {}),
  };
}

/** A fresh run's state, or the checkpoint's (weights and Adam restored) after checking it matches. */
function startOrResume(fingerprint: TrainingFingerprint, params: Tensor[], optimizer: Adam, train: BeatMatrix,
                       opts: TrainOptions): RunState {
  const resume = opts.resume;
  if (resume) {
    const mismatch = fingerprintMismatch(fingerprint, resume.fingerprint);
    if (mismatch) throw new Error(`cannot resume: this run does not match the checkpoint: ${mismatch}`);
    params.forEach((p, i) => p.data.set(resume.weights[i]));
    optimizer.loadState(resume.adam);
  }
  const L = train.length;
  return {
    firstEpoch: (resume?.epoch ?? 0) + 1,
    rng: createRng(`${opts.seed}:train`, resume?.rng),
    order: resume ? Int32Array.from(resume.order) : Int32Array.from({ length: train.n }, (_, i) => i),
    fullBatch: new Float32Array(opts.batchSize * L),
    tailBatch: new Float32Array((train.n % opts.batchSize) * L),
    history: resume ? resume.history.map((h) => ({ ...h })) : [],
    best: resume
      ? { loss: resume.best.loss, epoch: resume.best.epoch, state: resume.best.weights?.map((w) => w.slice()) ?? null }
      : { loss: Infinity, epoch: 0, state: null },
    startLoss: resume?.startLoss ?? NaN,
    lowestLoss: resume?.lowestLoss ?? Infinity,
    stoppedEarly: false,
    monitored: NaN,
    priorSeconds: resume?.trainSeconds ?? 0,
  };
}

/** One pass over the shuffled training beats, then the validation loss; checked for divergence and recorded. */
function runEpoch(model: Autoencoder, optimizer: Adam, params: Tensor[], train: BeatMatrix, val: BeatMatrix | null,
                  run: RunState, epoch: number, opts: TrainOptions): EpochRecord {
  const L = train.length;
  const epochStart = nowMs();
  optimizer.lr = scheduledLr(opts.lr, opts.lrSchedule ?? 'constant', epoch, opts.epochs);
  shuffleIndices(run.order, run.rng);
  let lossSum = 0;
  for (let b0 = 0; b0 < train.n; b0 += opts.batchSize) {
    const rows = Math.min(opts.batchSize, train.n - b0);
    const buf = rows === opts.batchSize ? run.fullBatch : run.tailBatch; // [rows, L]
    for (let r = 0; r < rows; r++) buf.set(train.data.subarray(run.order[b0 + r] * L, (run.order[b0 + r] + 1) * L), r * L);
    optimizer.zeroGrad();
    const loss = model.loss(new Tensor(buf, [rows, L]), { rng: run.rng, epoch });
    loss.backward();
    if (opts.clipNorm) clipGradNorm(params, opts.clipNorm);
    optimizer.step();
    const value = loss.item();
    if (Number.isNaN(run.startLoss)) run.startLoss = value;
    lossSum += value * rows;
  }
  // Early stopping watches the held-out reconstruction error (what the detector scores); the
  // recorded validation loss is the training loss's own quantity, so the two lines compare.
  const valError = val && val.n > 0 ? mean(reconstructionErrors(model, val)) : null;
  const valLoss = val && val.n > 0 ? heldOutObjective(model, val, epoch) ?? valError : null;
  const record = { epoch, loss: lossSum / train.n, valLoss, seconds: (nowMs() - epochStart) / 1000 };
  run.monitored = valError ?? record.loss; // only used when patience > 0, i.e. with held-out beats
  checkDivergence(record, run.startLoss, run.lowestLoss);
  run.lowestLoss = Math.min(run.lowestLoss, record.loss);
  run.history.push(record);
  return record;
}

/** Early stopping: remembers the best epoch (its weights when patience > 0); true when it is time to stop. */
function keepBestOrStop(run: RunState, record: EpochRecord, params: Tensor[], opts: TrainOptions): boolean {
  const monitored = run.monitored;
  if (monitored < run.best.loss) {
    run.best = { loss: monitored, epoch: record.epoch, state: opts.patience > 0 ? params.map((p) => p.data.slice()) : null };
    return false;
  }
  if (opts.patience > 0 && record.epoch - run.best.epoch >= opts.patience) {
    run.stoppedEarly = true;
    return true;
  }
  return false;
}

/** A copy of everything needed to continue after `epoch` bit-identically. */
function checkpointOf(run: RunState, fingerprint: TrainingFingerprint, epoch: number, params: Tensor[], optimizer: Adam,
                      start: number): TrainerCheckpoint {
  return {
    fingerprint, epoch, history: run.history.map((h) => ({ ...h })), weights: params.map((p) => p.data.slice()),
    adam: optimizer.exportState(), rng: run.rng.state(), order: Array.from(run.order),
    best: { loss: run.best.loss, epoch: run.best.epoch, weights: run.best.state?.map((w) => w.slice()) ?? null },
    startLoss: run.startLoss, lowestLoss: run.lowestLoss, trainSeconds: run.priorSeconds + (nowMs() - start) / 1000,
  };
}

/** Throws when an epoch's losses are non-finite or exploded (see DIVERGENCE_FACTOR). */
function checkDivergence(e: EpochRecord, startLoss: number, lowestLoss: number): void {
  const losses = `loss ${e.loss}${e.valLoss !== null ? `, validation ${e.valLoss}` : ''}`;
  if (!Number.isFinite(e.loss) || (e.valLoss !== null && !Number.isFinite(e.valLoss))) {
    throw new Error(`training diverged at epoch ${e.epoch} (${losses}): try a lower learning rate`);
  }
  const reference = Math.max(Math.min(lowestLoss, startLoss), startLoss / DIVERGENCE_FACTOR);
  if (e.loss > DIVERGENCE_FACTOR * reference) {
    throw new Error(`training diverged at epoch ${e.epoch} (${losses}): the loss is over ${DIVERGENCE_FACTOR}x ` +
      `${lowestLoss <= startLoss ? `the lowest epoch loss so far (${lowestLoss})` : `the untrained model's (${startLoss})`}; ` +
      'try a lower learning rate (or gradient clipping, --clip-norm)');
  }
}

/** The weights a detector would keep must all be finite: a NaN would make every score NaN. */
function refuseNonFiniteWeights(named: [string, Tensor][]): void {
  for (const [name, p] of named) {
    const i = p.data.findIndex((x) => !Number.isFinite(x));
    if (i >= 0) throw new Error(`training produced a non-finite weight (${name}[${i}] = ${p.data[i]}): not saving it; try a lower learning rate`);
  }
}

function mean(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The model's training objective on the held-out beats, mean per beat; null when it is the reconstruction error. */
function heldOutObjective(model: Autoencoder, val: BeatMatrix, epoch: number, batchSize = 256): number | null {
  const L = val.length;
  const wasTraining = model.training;
  model.eval();
  let sum: number | null = 0;
  noGrad(() => {
    for (let b0 = 0; b0 < val.n && sum !== null; b0 += batchSize) {
      const rows = Math.min(batchSize, val.n - b0);
      const part = model.heldOutObjectiveSum(new Tensor(val.data.subarray(b0 * L, (b0 + rows) * L), [rows, L]), epoch);
      sum = part === null ? null : sum + part;
    }
  });
  model.train(wasTraining);
  return sum === null ? null : sum / val.n;
}
