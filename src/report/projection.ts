// Two-dimensional maps of latent codes, for the report's scatter plots.
//   pca2d   the two directions of largest variance (linear, exact, cheap)
//   umap2d  UMAP (McInnes et al. 2018) through umap-js (PAIR): keeps neighbourhoods, so clusters
//           that PCA draws on top of each other come apart; seeded, so the same codes and seed
//           give the same map.
// Points are rows: points[i] is one code [Z]; results are [n][2].

import { umapClass } from './umap-node.ts';
import { createRng } from '../engine/random.ts';

/**
 * Projects onto the top two principal components. The eigenvectors of the Z x Z covariance
 * come from power iteration with deflation (Z is small: 8 to 64), started from a fixed vector
 * so the result is deterministic; each axis's sign is fixed so its largest loading is positive.
 */
export function pca2d(points: number[][]): number[][] {
  const n = points.length;
  if (n === 0) return [];
  const z = points[0].length;
  const mean = new Array<number>(z).fill(0);
  for (const p of points) for (let j = 0; j < z; j++) mean[j] += p[j] / n;
  const centred = points.map((p) => p.map((v, j) => v - mean[j]));
  // cov [Z, Z] = Xcᵀ Xc / n
  const cov = Array.from({ length: z }, () => new Array<number>(z).fill(0));
  for (const p of centred) for (let a = 0; a < z; a++) for (let b = 0; b < z; b++) cov[a][b] += (p[a] * p[b]) / n;
  const axes: number[][] = [];
  for (let k = 0; k < Math.min(2, z); k++) {
    const v = topEigenvector(cov);
    const lambda = dot(v, matVec(cov, v));
    for (let a = 0; a < z; a++) for (let b = 0; b < z; b++) cov[a][b] -= lambda * v[a] * v[b]; // deflate
    axes.push(v);
  }
  while (axes.length < 2) axes.push(new Array<number>(z).fill(0)); // a 1-D code: flat second axis
  return centred.map((p) => [dot(p, axes[0]), dot(p, axes[1])]);
}

function topEigenvector(m: number[][]): number[] {
  const z = m.length;
  let v = Array.from({ length: z }, (_, j) => 1 + j / z); // fixed start, not orthogonal to much
  for (let iter = 0; iter < 500; iter++) {
    const w = matVec(m, v);
    const norm = Math.hypot(...w);
    if (!(norm > 1e-30)) return v.map(() => 0); // no variance left in any direction
    const next = w.map((x) => x / norm);
    const change = Math.hypot(...next.map((x, j) => x - v[j]));
    v = next;
    if (change < 1e-10) break;
  }
  let biggest = 0;
  for (let j = 1; j < z; j++) if (Math.abs(v[j]) > Math.abs(v[biggest])) biggest = j;
  return v[biggest] < 0 ? v.map((x) => -x) : v;
}

const dot = (a: number[], b: number[]): number => a.reduce((s, x, j) => s + x * b[j], 0);
const matVec = (m: number[][], v: number[]): number[] => m.map((row) => dot(row, v));

export interface UmapOptions {
  seed: number | string;
  /** Optimisation epochs: 200 is umap-js's default for large sets and ~2-4 s for 1000 points here. */
  epochs?: number;
  neighbors?: number;
}

/** UMAP to two dimensions. Needs more points than neighbours; fewer points fall back to PCA. */
export function umap2d(points: number[][], opts: UmapOptions): number[][] {
  const neighbors = Math.min(opts.neighbors ?? 15, points.length - 1);
  if (neighbors < 2) return pca2d(points);
  const rng = createRng(`umap:${opts.seed}`);
  const UMAP = umapClass();
  const umap = new UMAP({ nComponents: 2, nNeighbors: neighbors, minDist: 0.1, nEpochs: opts.epochs ?? 200, random: rng.uniform });
  return umap.fit(points);
}
