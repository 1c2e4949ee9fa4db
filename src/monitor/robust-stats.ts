// Median and MAD-based robust z-scores: the monitor's way of saying "how unusual is this value
// for this patient" without being pulled by the outliers (PVCs) among the learning beats.

import { MAD_TO_STD, median } from '../detect/thresholds.ts';

export interface RobustScale {
  center: number;
  /** MAD_TO_STD (1.4826) x median absolute deviation (the std for normal data), floored at `minSpread`. */
  spread: number;
}

export function robustScale(values: ArrayLike<number>, minSpread: number): RobustScale {
  const center = median(values);
  const dev = Array.from(values, (v) => Math.abs(v - center));
  return { center, spread: Math.max(MAD_TO_STD * median(dev), minSpread) };
}

export const robustZ = (s: RobustScale, v: number): number => (v - s.center) / s.spread;
