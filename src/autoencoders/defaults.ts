// Default architectures per model kind, and how the CLI's flags override them.

import type { Architecture } from './autoencoder.ts';
import type { ModelKind } from './registry.ts';
import type { LrSchedule } from '../optim/lr-schedule.ts';

export interface ArchitectureFlags {
  hidden?: number[];
  latent?: number;
  beta?: number;
  klWarmup?: number;
  channels?: number[];
  kernel?: number;
  patch?: number;
}

export function defaultArchitecture(kind: ModelKind, length: number, f: ArchitectureFlags = {}): Architecture {
  switch (kind) {
    case 'dense':
      // The reference projects' 140-64-32-16 encoder, mirrored.
      return { kind, length, hidden: f.hidden ?? [64, 32, 16] };
    case 'vae':
      return { kind, length, hidden: f.hidden ?? [64, 32], latent: f.latent ?? 8, beta: f.beta ?? 0.01, klWarmup: f.klWarmup ?? 0 };
    case 'lstm':
      // hidden[0] = LSTM state size; latent = code size between encoder and decoder.
      return { kind, length, hidden: f.hidden?.[0] ?? 32, latent: f.latent ?? 16, patch: f.patch ?? 4 };
    case 'conv':
      return { kind, length, channels: f.channels ?? f.hidden ?? [16, 32], kernel: f.kernel ?? 7, latent: f.latent ?? 8 };
  }
}

/** Per-timestep scaling of the beats (the scaler itself lives in detect/scaler.ts). */
export type DefaultScaler = 'standard' | 'minmax';

export interface TrainingDefaults {
  epochs: number;
  lr: number;
  patience: number;
  scaler: DefaultScaler;
  lrSchedule: LrSchedule;
  /** Share of the normal training beats held out for early stopping (and the false-alarm estimate). */
  valFraction: number;
  batchSize: number;
  /** Global gradient-norm clipping, 0 = off (the LSTM's gradients spike through time). */
  clipNorm: number;
}

/**
 * Training defaults per kind, chosen on training data only. The LSTM autoencoder learns slowly
 * at lr 1e-3 and its validation loss is noisy, so it gets more epochs, a higher rate and more
 * patience (a split of ECG5000_TRAIN's normal beats). Adopted by `npm run select`, each because it
 * raised the worst scenario's inner ROC-AUC by >= 0.002 (README "How the detector is trained"):
 * dense min-max scaling and lr 0.003; VAE lr 0.003, then min-max scaling with β 0.01 (β lives in
 * defaultArchitecture); LSTM min-max scaling (chosen on the official split, then reproduced on
 * all four scenarios); Conv1D a 20% validation hold-out (worst pooled split 0.9772 -> 0.9832).
 * A cosine schedule lost for every kind, so every kind keeps a constant rate.
 */
export function trainingDefaults(kind: ModelKind): TrainingDefaults {
  switch (kind) {
    case 'lstm': return { epochs: 250, lr: 0.005, patience: 30, scaler: 'minmax', lrSchedule: 'constant', valFraction: 0.1, batchSize: 32, clipNorm: 1 };
    case 'dense': return { epochs: 100, lr: 0.003, patience: 10, scaler: 'minmax', lrSchedule: 'constant', valFraction: 0.1, batchSize: 32, clipNorm: 0 };
    case 'vae': return { epochs: 100, lr: 0.003, patience: 10, scaler: 'minmax', lrSchedule: 'constant', valFraction: 0.1, batchSize: 32, clipNorm: 0 };
    case 'conv': return { epochs: 100, lr: 0.001, patience: 10, scaler: 'standard', lrSchedule: 'constant', valFraction: 0.2, batchSize: 32, clipNorm: 0 };
  }
}
