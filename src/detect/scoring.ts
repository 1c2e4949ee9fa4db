// Anomaly scores: the reconstruction error of each beat, mean((x - x̂)²) over its samples.
// Runs without a graph (noGrad) in batches, so scoring memory stays small.

import type { Autoencoder } from '../autoencoders/autoencoder.ts';
import { noGrad, Tensor } from '../engine/tensor.ts';
import type { BeatMatrix } from '../data/beat-matrix.ts';

/** Maps a batch of scaled beats [B, L] to their reconstructions [B, L]. */
export type Reconstructor = (x: Tensor) => Tensor;

export function reconstructionErrors(model: Autoencoder, beats: BeatMatrix, batchSize = 256,
                                     reconstruct: Reconstructor = (x) => model.reconstruct(x)): Float32Array {
  const { n, length: L } = beats;
  const errors = new Float32Array(n);
  const wasTraining = model.training;
  model.eval();
  noGrad(() => {
    for (let b0 = 0; b0 < n; b0 += batchSize) {
      const rows = Math.min(batchSize, n - b0);
      const x = beats.data.subarray(b0 * L, (b0 + rows) * L);
      const y = reconstruct(new Tensor(x, [rows, L])).data;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = r * L; j < (r + 1) * L; j++) { const d = x[j] - y[j]; s += d * d; }
        errors[b0 + r] = s / L;
      }
    }
  });
  model.train(wasTraining);
  return errors;
}

/** Reconstructions [n, L] for plots and the API. */
export function reconstructAll(model: Autoencoder, beats: BeatMatrix): Float32Array {
  return noGrad(() => model.eval().reconstruct(new Tensor(beats.data, [beats.n, beats.length])).data);
}
