// Scalar functions shared by the engine's op definitions (UNARY_OPS) and the kernels (the cpu
// backend, the LSTM gates), written once in their numerically stable forms.

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

/**
 * erfc(x) = 1 − erf(x), Chebyshev-fitted (Numerical Recipes' erfcc): relative error below
 * 1.2e-7 everywhere, including the far tail, which float32 results cannot resolve anyway.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Φ(x), the standard normal CDF, as ½·erfc(−x/√2) (accurate in the lower tail too). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** gelu(x) = x·Φ(x) (torch's exact form, approximate='none'). */
export function gelu(x: number): number {
  return x * normalCdf(x);
}

/** torch's approximate='tanh' gelu: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}
