// Scoring a beat detector against reference annotations (ANSI/AAMI EC57 style): a detected beat
// matches a reference beat within a tolerance (150 ms); each reference matches at most once.
//   sensitivity Se = TP / (TP + FN);  positive predictivity +P = TP / (TP + FP).

export interface BeatMatch {
  tp: number;
  fp: number;
  fn: number;
  sensitivity: number;
  positivePredictivity: number;
  /** For each detection, the index of its matched reference beat, or -1. */
  matchOf: Int32Array;
}

/** Greedy in time order on sorted inputs: each detection takes the nearest unmatched reference. */
export function matchBeats(detected: ArrayLike<number>, reference: ArrayLike<number>, tolerance: number): BeatMatch {
  const matchOf = new Int32Array(detected.length).fill(-1);
  const used = new Uint8Array(reference.length);
  let j = 0, tp = 0;
  for (let i = 0; i < detected.length; i++) {
    const d = detected[i];
    while (j < reference.length && reference[j] < d - tolerance) j++;
    let best = -1, bestDist = Infinity;
    for (let k = j; k < reference.length && reference[k] <= d + tolerance; k++) {
      const dist = Math.abs(reference[k] - d);
      if (!used[k] && dist < bestDist) { best = k; bestDist = dist; }
    }
    if (best >= 0) { used[best] = 1; matchOf[i] = best; tp++; }
  }
  const fp = detected.length - tp, fn = reference.length - tp;
  return { tp, fp, fn, sensitivity: tp / Math.max(1, tp + fn), positivePredictivity: tp / Math.max(1, tp + fp), matchOf };
}
