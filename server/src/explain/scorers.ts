/**
 * The metrics permutation importance can score a model with. Predictions are always [n_samples, n_outputs]
 * (rows or a dense matrix): regression uses column 0 (the formulas of models/metrics.ts); classification uses the
 * class probabilities, with y holding class indices 0…K−1 (the order of the model's `outputs`).
 */
import { denseFromRows, type DenseMatrix } from '../models/denseMatrix';

export type ScorerName = 'rmse' | 'mae' | 'mse' | 'r2' | 'accuracy' | 'balanced_accuracy' | 'log_loss';

export interface Scorer {
  name: ScorerName;
  /** True for r2 and the accuracies; the importance is then the score's decrease. */
  greaterIsBetter: boolean;
  /** y [n] against predictions [n, n_outputs]. @throws Error on a bad class index or n mismatch. */
  score(y: readonly number[], predictions: readonly (readonly number[])[]): number;
  /** The same score of dense predictions [n, n_outputs] (the same arithmetic in the same order, so the same bits). */
  scoreDense(y: readonly number[], predictions: DenseMatrix): number;
}

function check(y: readonly number[], p: DenseMatrix): void {
  if (y.length !== p.rows) throw new Error(`metric: ${y.length} true values but ${p.rows} predictions`);
  if (y.length === 0) throw new Error('metric: no samples');
}

// Regression metrics on column 0, written as models/metrics.ts writes them (same order of operations).
function mseDense(y: readonly number[], p: DenseMatrix): number {
  check(y, p);
  const { data, cols } = p;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - data[i * cols]!) ** 2;
  return s / y.length;
}

function maeDense(y: readonly number[], p: DenseMatrix): number {
  check(y, p);
  const { data, cols } = p;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i]! - data[i * cols]!);
  return s / y.length;
}

function r2Dense(y: readonly number[], p: DenseMatrix): number {
  check(y, p);
  const { data, cols } = p;
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += (y[i]! - data[i * cols]!) ** 2;
    sst += (y[i]! - mean) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

/** Index of the largest value of row i (the first among ties). */
function argmaxRow(p: DenseMatrix, i: number): number {
  const o = i * p.cols;
  let best = 0;
  for (let k = 1; k < p.cols; k++) if (p.data[o + k]! > p.data[o + best]!) best = k;
  return best;
}

function classIndex(y: number, i: number, nClasses: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= nClasses) throw new Error(`row ${i}: class index ${y} is not one of 0…${nClasses - 1}`);
  return y;
}

/** Fraction of rows whose most probable class is the true one. */
function accuracy(y: readonly number[], p: DenseMatrix): number {
  let hits = 0;
  for (let i = 0; i < p.rows; i++) if (argmaxRow(p, i) === classIndex(y[i]!, i, p.cols)) hits++;
  return hits / y.length;
}

/** Mean recall over the classes present in y (scikit-learn's balanced_accuracy_score). */
function balancedAccuracy(y: readonly number[], p: DenseMatrix): number {
  const hits = new Map<number, number>();
  const totals = new Map<number, number>();
  for (let i = 0; i < p.rows; i++) {
    const c = classIndex(y[i]!, i, p.cols);
    totals.set(c, (totals.get(c) ?? 0) + 1);
    if (argmaxRow(p, i) === c) hits.set(c, (hits.get(c) ?? 0) + 1);
  }
  let s = 0;
  for (const [c, t] of totals) s += (hits.get(c) ?? 0) / t;
  return s / totals.size;
}

/** Cross-entropy −mean log p(true class), probabilities clipped to [1e-15, 1] as scikit-learn does. */
function logLoss(y: readonly number[], p: DenseMatrix): number {
  let s = 0;
  for (let i = 0; i < p.rows; i++) s -= Math.log(Math.max(1e-15, Math.min(1, p.data[i * p.cols + classIndex(y[i]!, i, p.cols)]!)));
  return s / y.length;
}

function scorer(name: ScorerName, greaterIsBetter: boolean, scoreDense: (y: readonly number[], p: DenseMatrix) => number): Scorer {
  return {
    name, greaterIsBetter, scoreDense,
    score: (y, p) => scoreDense(y, denseFromRows(p, p[0]?.length ?? 1, `${name} predictions`)),
  };
}

/** The scorer of a metric name. */
export function scorerOf(name: ScorerName): Scorer {
  switch (name) {
    case 'rmse': return scorer(name, false, (y, p) => Math.sqrt(mseDense(y, p)));
    case 'mae': return scorer(name, false, maeDense);
    case 'mse': return scorer(name, false, mseDense);
    case 'r2': return scorer(name, true, r2Dense);
    case 'accuracy': return scorer(name, true, accuracy);
    case 'balanced_accuracy': return scorer(name, true, balancedAccuracy);
    case 'log_loss': return scorer(name, false, logLoss);
  }
}
