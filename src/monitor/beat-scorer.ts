// What the monitor asks of a scorer: one beat (already cut and resampled) and its prematurity
// in, an anomaly score out, flagged above the scorer's threshold. Two kinds:
//   learned (--learn): max(0, z_shape) + max(0, z_rr), robust z-scores against this patient's
//     own learning beats (see learn-normal-beat.ts); threshold in those z units.
//   trained detector (--model): err / threshold + max(0, prematurity) / log(1.25), i.e. shape
//     alone flags at 1 (the model's own threshold), and a beat 25% earlier than the recent
//     rhythm flags on timing alone.
// A score that is not finite is flagged: the monitor never calls a beat normal because it
// could not compute it.

import type { Detector } from '../detect/detector.ts';
import { zNormalizeRows } from './segmenter.ts';

export interface BeatScore {
  /** Combined anomaly score (higher = more anomalous). */
  score: number;
  /** The shape part: reconstruction error of the beat. */
  error: number;
  flagged: boolean;
  /** The shape part as a robust z against this patient's learning beats (learned scorers only). */
  shapeZ?: number;
}

export interface BeatScorer {
  /** Samples per beat the model expects. */
  readonly beatLength: number;
  readonly threshold: number;
  /** One line for the summary, e.g. "learned dense AE 64-32-8 on 330 beats (trimmed 20%)". */
  readonly description: string;
  score(beat: Float32Array, prematurity: number | null): BeatScore;
}

export function flag(score: number, threshold: number): boolean {
  return !Number.isFinite(score) || score > threshold;
}

/** Prematurity at which a trained detector's score reaches 1 on timing alone. */
export const MODEL_PREMATURITY_UNIT = Math.log(1.25);

export class DetectorScorer implements BeatScorer {
  readonly threshold = 1;
  readonly description: string;
  constructor(private readonly detector: Detector, name: string) {
    this.description = `trained ${detector.model.architecture.kind} detector ${name} (beats z-normalised like ECG5000; ` +
      `score = error / ${detector.threshold.value.toPrecision(4)} + prematurity / log 1.25)`;
  }

  get beatLength(): number { return this.detector.beatLength; }

  score(beat: Float32Array, prematurity: number | null): BeatScore {
    const x = Float32Array.from(beat);
    zNormalizeRows(x, x.length);
    const error = this.detector.detect(x, 1).scores[0];
    const score = error / this.detector.threshold.value + Math.max(0, prematurity ?? 0) / MODEL_PREMATURITY_UNIT;
    return { score, error, flagged: flag(score, this.threshold) };
  }
}
