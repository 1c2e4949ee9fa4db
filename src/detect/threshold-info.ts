// What a saved model says about how its beats are scored and where it draws the line: owned
// here so the detector and the model-folder format can both name it without a circle.

export interface ThresholdInfo {
  value: number;
  /** How it was chosen, e.g. "mean+3std of training errors". */
  method: string;
}

/**
 * How a beat's score is computed: the reconstruction error of the deterministic reconstruction
 * (for a VAE: decoding μ), or for a VAE the error of the mean of `samples` decoded draws of z
 * (Monte-Carlo), seeded so the same beats always get the same scores.
 */
export type ScoringMethod = { kind: 'deterministic' } | { kind: 'monte-carlo'; samples: number; seed: number };
