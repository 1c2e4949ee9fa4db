// Mean squared error, the reconstruction loss of every autoencoder here.

/** mean((pred - target)²); accumulated in float64. */
export function mseLoss(pred: Float32Array, target: Float32Array): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) { const d = pred[i] - target[i]; s += d * d; }
  return s / pred.length;
}

/** gPred += scale · 2(pred - target)/n. */
export function mseLossBackward(pred: Float32Array, target: Float32Array, scale: number,
                                gPred: Float32Array): void {
  const k = (2 * scale) / pred.length;
  for (let i = 0; i < pred.length; i++) gPred[i] += k * (pred[i] - target[i]);
}
