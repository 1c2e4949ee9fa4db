// Scalar functions shared by the CPU kernels and the fused ops (LSTM gates), written once in
// their numerically stable forms.

/** σ(x) = 1 / (1 + e^-x); two branches keep exp() from overflowing for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^-|x|), stable for large |x|. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
