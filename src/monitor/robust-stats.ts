// Median and MAD-based robust z-scores: the monitor's way of saying "how unusual is this value
// for this patient" without being pulled by the outliers (PVCs) among the learning beats.

export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export interface RobustScale {
  center: number;
  /** 1.4826 x median absolute deviation (the std for normal data), floored at `minSpread`. */
  spread: number;
}

export function robustScale(values: ArrayLike<number>, minSpread: number): RobustScale {
  const center = median(values);
  const dev = Array.from(values, (v) => Math.abs(v - center));
  return { center, spread: Math.max(1.4826 * median(dev), minSpread) };
}

export const robustZ = (s: RobustScale, v: number): number => (v - s.center) / s.spread;
