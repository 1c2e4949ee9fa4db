// Study-only threshold rules that read the test file's own unlabelled scores (transductive), for
// bench/transfer-transductive.ts: what a threshold set at evaluate time could reach on the
// transfer study's sets. None is offered by train, detect or evaluate.
//   otsu:      the split of the sorted log scores with the largest between-class variance
//   gmm:       two Gaussians fitted to the log scores by EM (started from otsu's split); the
//              lowest score above the low component's mean that the high one claims (posterior > 0.5)
//   breakeven: flag the top π̂ of the test, π̂ = 1 − 2·(share of test scores at or below the
//              median of reference normal errors), clamped to [0, 0.9]

/** Natural logs of positive scores, sorted (zeros and negatives at log 1e-12). */
export const sortedLogs = (a: ArrayLike<number>): Float64Array => Float64Array.from(a, (v) => Math.log(Math.max(v, 1e-12))).sort();

/** Otsu's threshold on sorted log scores x, returned on the score scale (the midpoint of the split). */
export function otsu(x: Float64Array): number {
  const n = x.length, prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
  let best = -1, at = n - 1;
  for (let k = 1; k < n; k++) {
    const w0 = k / n, m0 = prefix[k] / k, m1 = (prefix[n] - prefix[k]) / (n - k);
    const between = w0 * (1 - w0) * (m0 - m1) ** 2;
    if (between > best) { best = between; at = k; }
  }
  return Math.exp((x[at - 1] + x[at]) / 2);
}

const meanVar = (a: Float64Array): [number, number] => {
  const m = a.reduce((p, q) => p + q, 0) / a.length;
  return [m, Math.max(1e-4, a.reduce((p, q) => p + (q - m) ** 2, 0) / a.length)];
};

/** The two-Gaussian split of sorted log scores x on the score scale; Infinity where EM finds no upper component. */
export function gmm(x: Float64Array, iterations = 100): number {
  const n = x.length, start = Math.log(otsu(x));
  const lo = x.filter((v) => v <= start), hi = x.filter((v) => v > start);
  let pi = hi.length / n, [m0, v0] = meanVar(lo), [m1, v1] = hi.length ? meanVar(hi) : [m0 + 1, v0];
  const r = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) {
      const a = (1 - pi) * Math.exp(-((x[i] - m0) ** 2) / (2 * v0)) / Math.sqrt(v0);
      const b = pi * Math.exp(-((x[i] - m1) ** 2) / (2 * v1)) / Math.sqrt(v1);
      r[i] = b / (a + b || 1);
    }
    const s1 = r.reduce((p, q) => p + q, 0), s0 = n - s1;
    if (s1 < 1 || s0 < 1) break;
    pi = s1 / n;
    m1 = x.reduce((p, v, i) => p + r[i] * v, 0) / s1;
    m0 = x.reduce((p, v, i) => p + (1 - r[i]) * v, 0) / s0;
    v1 = Math.max(1e-4, x.reduce((p, v, i) => p + r[i] * (v - m1) ** 2, 0) / s1);
    v0 = Math.max(1e-4, x.reduce((p, v, i) => p + (1 - r[i]) * (v - m0) ** 2, 0) / s0);
  }
  if (m1 < m0) return Infinity;
  for (let i = 0; i < n; i++) if (r[i] > 0.5 && x[i] > m0) return Math.exp(i > 0 ? (x[i - 1] + x[i]) / 2 : x[i]);
  return Infinity;
}

/** The break-even threshold of test scores given reference normal errors (see the header). */
export function breakEven(scores: ArrayLike<number>, reference: ArrayLike<number>): number {
  const ref = Float64Array.from(reference).sort(), median = ref[ref.length >> 1];
  const below = Array.from(scores).filter((s) => s <= median).length / scores.length;
  const pi = Math.min(0.9, Math.max(0, 1 - below / 0.5));
  const t = Float64Array.from(scores).sort();
  return t[Math.min(t.length - 1, Math.floor((1 - pi) * t.length))] - 1e-12;
}
