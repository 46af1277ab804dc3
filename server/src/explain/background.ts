/**
 * Background data summaries for Kernel SHAP and other expectation-based explainers: a weighted set of rows that
 * stands for the data distribution at a fraction of the cost (Lundberg & Lee 2017 summarize with k-means).
 */
import { permutation, seededRandom } from '../data/random';
import { checkMatrix, type Matrix } from './common';

export interface Background {
  /** [n_background, n_features] */
  rows: number[][];
  /** [n_background], sum to 1. */
  weights: number[];
}

function sqDist(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return s;
}

/**
 * k-means summary (k-means++ seeding, Arthur & Vassilvitskii 2007; then Lloyd's iterations until no row changes
 * cluster or 100 rounds): the k centroids weighted by their cluster's share of the rows.
 * @throws Error when x is empty or k < 1. k ≥ n returns the rows themselves with equal weights.
 */
export function kmeansBackground(x: Matrix, k: number, seed: number): Background {
  checkMatrix(x, x[0]?.length ?? 0, 'k-means background');
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means background: k must be a positive integer, not ${k}`);
  const n = x.length;
  if (k >= n) return { rows: x.map((r) => [...r]), weights: x.map(() => 1 / n) };
  const random = seededRandom(seed);
  const centroids: number[][] = [[...x[Math.floor(random() * n)]!]];
  const nearest = x.map((row) => sqDist(row, centroids[0]!));
  while (centroids.length < k) {
    const total = nearest.reduce((s, v) => s + v, 0);
    let pick = 0;
    if (total > 0) {
      let u = random() * total;
      for (pick = 0; pick < n - 1 && (u -= nearest[pick]!) > 0; pick++);
    } else pick = Math.floor(random() * n);
    centroids.push([...x[pick]!]);
    x.forEach((row, i) => { nearest[i] = Math.min(nearest[i]!, sqDist(row, centroids[centroids.length - 1]!)); });
  }
  const assign = new Array<number>(n).fill(-1);
  for (let round = 0; round < 100; round++) {
    let changed = false;
    x.forEach((row, i) => {
      let best = 0;
      let bestD = Infinity;
      centroids.forEach((c, j) => { const dd = sqDist(row, c); if (dd < bestD) { bestD = dd; best = j; } });
      if (assign[i] !== best) { assign[i] = best; changed = true; }
    });
    if (!changed) break;
    const sums = centroids.map((c) => c.map(() => 0));
    const counts = centroids.map(() => 0);
    x.forEach((row, i) => { counts[assign[i]!]!++; row.forEach((v, j) => { sums[assign[i]!]![j]! += v; }); });
    sums.forEach((s, c) => { if (counts[c]! > 0) centroids[c] = s.map((v) => v / counts[c]!); });
  }
  const counts = centroids.map(() => 0);
  assign.forEach((c) => { counts[c]!++; });
  const keep = counts.map((c, j) => [c, j] as const).filter(([c]) => c > 0);
  return { rows: keep.map(([, j]) => centroids[j]!), weights: keep.map(([c]) => c / n) };
}

/** A seeded uniform sample of k rows (all rows when k ≥ n), equally weighted. */
export function sampledBackground(x: Matrix, k: number, seed: number): Background {
  checkMatrix(x, x[0]?.length ?? 0, 'sampled background');
  if (!Number.isInteger(k) || k < 1) throw new Error(`sampled background: k must be a positive integer, not ${k}`);
  const idx = permutation(x.length, seededRandom(seed)).slice(0, Math.min(k, x.length));
  return { rows: idx.map((i) => [...x[i]!]), weights: idx.map(() => 1 / idx.length) };
}
