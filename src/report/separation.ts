// How well a 2-D map separates normal from anomalous beats, as one number each:
//   silhouette    mean over points of (b − a) / max(a, b), a = mean distance to its own group,
//                 b = mean distance to the other group; 1 = tight, far-apart groups, 0 = mixed
//   knnAccuracy   leave-one-out k-nearest-neighbour vote: the share of points whose k nearest
//                 other points mostly share their group (ties go to "normal"); a chance level is
//                 the larger group's share
// Both are O(n²): meant for the report's subsample (≤ 1000 points).
// groups[i] is 0 (normal) or 1 (anomaly). NaN when only one group is present.

const dist = (p: number[], q: number[]): number => Math.hypot(p[0] - q[0], p[1] - q[1]);

export function silhouette(points: number[][], groups: ArrayLike<number>): number {
  const n = points.length;
  const sizes = [0, 0];
  for (let i = 0; i < n; i++) sizes[groups[i] ? 1 : 0]++;
  if (sizes[0] === 0 || sizes[1] === 0) return NaN;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = [0, 0];
    for (let j = 0; j < n; j++) if (j !== i) sums[groups[j] ? 1 : 0] += dist(points[i], points[j]);
    const own = groups[i] ? 1 : 0;
    if (sizes[own] === 1) continue; // sklearn's convention: a singleton scores 0
    const a = sums[own] / (sizes[own] - 1), b = sums[1 - own] / sizes[1 - own];
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

export function knnAccuracy(points: number[][], groups: ArrayLike<number>, k = 5): number {
  const n = points.length;
  let anomalies = 0;
  for (let i = 0; i < n; i++) anomalies += groups[i] ? 1 : 0;
  if (anomalies === 0 || anomalies === n) return NaN;
  let correct = 0;
  const kk = Math.min(k, n - 1);
  const nearD = new Float64Array(kk), nearG = new Uint8Array(kk);
  for (let i = 0; i < n; i++) {
    // The k nearest other points, kept sorted by insertion (k is tiny); the earlier index wins ties.
    let filled = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dj = dist(points[i], points[j]);
      if (filled === kk && dj >= nearD[kk - 1]) continue;
      let pos = filled < kk ? filled++ : kk - 1;
      while (pos > 0 && nearD[pos - 1] > dj) { nearD[pos] = nearD[pos - 1]; nearG[pos] = nearG[pos - 1]; pos--; }
      nearD[pos] = dj; nearG[pos] = groups[j] ? 1 : 0;
    }
    let votes = 0;
    for (let r = 0; r < kk; r++) votes += nearG[r];
    const predicted = votes * 2 > kk ? 1 : 0;
    if (predicted === (groups[i] ? 1 : 0)) correct++;
  }
  return correct / n;
}
