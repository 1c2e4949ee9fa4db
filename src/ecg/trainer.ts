// Trains an autoencoder on normal beats: seeded shuffled mini-batches, Adam, and early stopping
// on a validation set of held-out normal beats (best weights restored). Runtime-agnostic.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { createRng, shuffleIndices } from '../engine/random.ts';
import { Tensor } from '../engine/tensor.ts';
import { Adam } from '../optim/adam.ts';
import { clipGradNorm } from '../optim/clip.ts';
import { reconstructionErrors } from './scoring.ts';

/** Beats as one row-major block: data [n, length]. */
export interface BeatMatrix { data: Float32Array; n: number; length: number }

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Epochs without validation improvement before stopping; 0 turns early stopping off. */
  patience: number;
  seed: number;
  /** Clip the global gradient norm (LSTM); 0 = off. */
  clipNorm?: number;
  onEpoch?: (e: EpochRecord) => void;
}

export interface EpochRecord { epoch: number; loss: number; valLoss: number | null; seconds: number }

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
  if (train.n === 0) throw new Error('no training beats');
  if (opts.patience > 0 && !(val && val.n > 0)) {
    throw new Error('early stopping (patience > 0) needs held-out beats, and there are none: raise the validation fraction or set patience 0');
  }
  const { length: L } = train;
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: opts.lr });
  const rng = createRng(`${opts.seed}:train`);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  // Reused batch buffers: a full batch and the smaller final one (allocated once, not per step).
  const fullBatch = new Float32Array(opts.batchSize * L);
  const tailBatch = new Float32Array((train.n % opts.batchSize) * L);
  const history: EpochRecord[] = [];
  let best = { loss: Infinity, epoch: 0, state: null as Float32Array[] | null };
  let stoppedEarly = false;

  model.train();
  const start = performance.now();
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const epochStart = performance.now();
    shuffleIndices(order, rng);
    let lossSum = 0;
    for (let b0 = 0; b0 < train.n; b0 += opts.batchSize) {
      const rows = Math.min(opts.batchSize, train.n - b0);
      const buf = rows === opts.batchSize ? fullBatch : tailBatch;
      for (let r = 0; r < rows; r++) buf.set(train.data.subarray(order[b0 + r] * L, (order[b0 + r] + 1) * L), r * L);
      optimizer.zeroGrad();
      const loss = model.loss(new Tensor(buf, [rows, L]), { rng, epoch });
      loss.backward();
      if (opts.clipNorm) clipGradNorm(params, opts.clipNorm);
      optimizer.step();
      lossSum += loss.item() * rows;
    }
    const valLoss = val && val.n > 0 ? mean(reconstructionErrors(model, val)) : null;
    if (!Number.isFinite(lossSum) || (valLoss !== null && !Number.isFinite(valLoss))) {
      throw new Error(`training diverged at epoch ${epoch} (loss ${lossSum / train.n}${valLoss !== null ? `, validation ${valLoss}` : ''}): try a lower learning rate`);
    }
    const record = { epoch, loss: lossSum / train.n, valLoss, seconds: (performance.now() - epochStart) / 1000 };
    history.push(record);
    opts.onEpoch?.(record);

    const monitored = valLoss ?? record.loss; // only used when patience > 0, i.e. with held-out beats
    if (monitored < best.loss) {
      best = { loss: monitored, epoch, state: opts.patience > 0 ? params.map((p) => p.data.slice()) : null };
    } else if (opts.patience > 0 && epoch - best.epoch >= opts.patience) {
      stoppedEarly = true;
      break;
    }
  }
  const trainSeconds = (performance.now() - start) / 1000;
  // With early stopping on, keep the best epoch's weights; with it off, keep the last.
  if (opts.patience > 0 && best.state) params.forEach((p, i) => p.data.set(best.state![i]));
  const bestEpoch = opts.patience > 0 ? best.epoch : history.length;
  model.eval();
  return { history, bestEpoch, stoppedEarly, trainSeconds };
}

function mean(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
