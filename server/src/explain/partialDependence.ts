/**
 * Partial dependence (Friedman 2001, "Greedy Function Approximation: A Gradient Boosting Machine", §8.2) and
 * individual conditional expectation curves (Goldstein et al. 2015, "Peeking Inside the Black Box"): for a
 * feature j and grid values v, ICEᵢ(v) = f(xᵢ with xⱼ := v) and PD(v) = mean over i of ICEᵢ(v). All grid values
 * of one feature for all rows go to the model as dense batches of whole samples (n_samples · grid rows in all,
 * at most `batchRows` per call).
 */
import { denseRowSlice, denseZeros } from '../models/denseMatrix';
import type { FittedModel } from '../models/model';
import { checkMatrix, CountingModel, DEFAULT_BATCH_ROWS, quantile, type Matrix } from './common';
import { featureNames } from './types';

export interface PartialDependenceOptions {
  /** Features to compute (indices or names); default all. */
  features?: readonly (number | string)[];
  /** Names of all columns (for name lookups and the result). */
  featureNames?: readonly string[];
  /** Grid points per feature (default 20; fewer when the feature has fewer distinct values). */
  gridSize?: number;
  /** Grid between these percentiles of the feature (default [0.05, 0.95], as scikit-learn). */
  percentiles?: readonly [number, number];
  /** Keep the ICE curves (default true). */
  ice?: boolean;
  output?: number;
  batchRows?: number;
}

export interface PartialDependenceCurve {
  feature: string;
  index: number;
  /** Grid values [n_grid]. */
  grid: number[];
  /** PD(v) for each grid value [n_grid]. */
  average: number[];
  /** ICE curves [n_samples, n_grid]. */
  ice?: number[][];
  /** max − min of `average`: the feature's range of effect (a global importance along the grid). */
  range: number;
}

export interface PartialDependenceResult { method: 'partial_dependence'; output: number; curves: PartialDependenceCurve[]; evaluations: number }

function gridOf(values: number[], size: number, p: readonly [number, number]): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  // Few distinct values (a binary or categorical code): use them all, as scikit-learn does.
  if (distinct.length <= size) return distinct;
  const lo = quantile(values, p[0]);
  const hi = quantile(values, p[1]);
  if (lo === hi) return [lo];
  return Array.from({ length: size }, (_, k) => lo + ((hi - lo) * k) / (size - 1));
}

/**
 * Partial dependence and ICE curves of x [n_samples, n_features].
 * @returns one curve per requested feature; evaluations = n_samples · Σ grid sizes.
 * @throws Error for unknown features, a grid below 2 points or bad percentiles.
 */
export async function partialDependence(model: FittedModel, x: Matrix, options: PartialDependenceOptions = {}): Promise<PartialDependenceResult> {
  const d = model.nFeatures;
  checkMatrix(x, d, 'partial dependence');
  const names = featureNames(options.featureNames, d);
  const size = options.gridSize ?? 20;
  if (!Number.isInteger(size) || size < 2) throw new Error(`partial dependence: gridSize must be an integer ≥ 2, not ${size}`);
  const p = options.percentiles ?? [0.05, 0.95];
  if (!(p[0] >= 0 && p[0] < p[1] && p[1] <= 1)) throw new Error(`partial dependence: percentiles must satisfy 0 ≤ low < high ≤ 1, not ${p.join(', ')}`);
  const wanted = (options.features ?? names.map((_, j) => j)).map((f) => {
    const j = typeof f === 'number' ? f : names.indexOf(f);
    if (!(j >= 0 && j < d)) throw new Error(`partial dependence: unknown feature ${String(f)} (features: ${names.join(', ')})`);
    return j;
  });
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const counter = new CountingModel(model, batchRows);
  const k = options.output ?? 0;
  const curves: PartialDependenceCurve[] = [];
  for (const j of wanted) {
    const grid = gridOf(x.map((r) => r[j]!), size, p);
    // Every (row, grid value) pair as one row of a dense batch, built and predicted a block of whole samples at a
    // time (at most batchRows rows) in one reused buffer, so that memory stays at one batch whatever n · n_grid.
    const g = grid.length;
    const perBlock = Math.max(1, Math.floor(batchRows / g));
    const buffer = denseZeros(Math.min(x.length, perBlock) * g, d);
    const bd = buffer.data;
    const f = new Float64Array(x.length * g);
    for (let start = 0; start < x.length; start += perBlock) {
      const end = Math.min(x.length, start + perBlock);
      for (let i = start; i < end; i++) {
        const row = x[i]!;
        for (let q = 0; q < g; q++) {
          const o = ((i - start) * g + q) * d;
          for (let c = 0; c < d; c++) bd[o + c] = row[c]!;
          bd[o + j] = grid[q]!;
        }
      }
      const rows = (end - start) * g;
      f.set(await counter.predictOutputDense(rows === buffer.rows ? buffer : denseRowSlice(buffer, 0, rows), k), start * g);
    }
    const ice = x.map((_, i) => Array.from(f.subarray(i * g, (i + 1) * g)));
    const average = grid.map((_, g) => ice.reduce((s, c) => s + c[g]!, 0) / x.length);
    const curve: PartialDependenceCurve = { feature: names[j]!, index: j, grid, average, range: Math.max(...average) - Math.min(...average) };
    if (options.ice ?? true) curve.ice = ice;
    curves.push(curve);
  }
  return { method: 'partial_dependence', output: k, curves, evaluations: counter.evaluations };
}
