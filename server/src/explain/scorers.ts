/**
 * The metrics permutation importance can score a model with. Predictions are always [n_samples, n_outputs]:
 * regression uses column 0; classification uses the class probabilities, with y holding class indices 0…K−1
 * (the order of the model's `outputs`).
 */
import { mae, mse, r2, rmse } from '../models/metrics';

export type ScorerName = 'rmse' | 'mae' | 'mse' | 'r2' | 'accuracy' | 'balanced_accuracy' | 'log_loss';

export interface Scorer {
  name: ScorerName;
  /** True for r2 and the accuracies; the importance is then the score's decrease. */
  greaterIsBetter: boolean;
  /** y [n] against predictions [n, n_outputs]. @throws Error on a bad class index. */
  score(y: readonly number[], predictions: readonly (readonly number[])[]): number;
}

const column0 = (p: readonly (readonly number[])[]): number[] => p.map((row) => row[0]!);

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
  return best;
}

function classIndex(y: number, i: number, nClasses: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= nClasses) throw new Error(`row ${i}: class index ${y} is not one of 0…${nClasses - 1}`);
  return y;
}

/** Fraction of rows whose most probable class is the true one. */
function accuracy(y: readonly number[], p: readonly (readonly number[])[]): number {
  let hits = 0;
  p.forEach((row, i) => { if (argmax(row) === classIndex(y[i]!, i, row.length)) hits++; });
  return hits / y.length;
}

/** Mean recall over the classes present in y (scikit-learn's balanced_accuracy_score). */
function balancedAccuracy(y: readonly number[], p: readonly (readonly number[])[]): number {
  const hits = new Map<number, number>();
  const totals = new Map<number, number>();
  p.forEach((row, i) => {
    const c = classIndex(y[i]!, i, row.length);
    totals.set(c, (totals.get(c) ?? 0) + 1);
    if (argmax(row) === c) hits.set(c, (hits.get(c) ?? 0) + 1);
  });
  let s = 0;
  for (const [c, t] of totals) s += (hits.get(c) ?? 0) / t;
  return s / totals.size;
}

/** Cross-entropy −mean log p(true class), probabilities clipped to [1e-15, 1] as scikit-learn does. */
function logLoss(y: readonly number[], p: readonly (readonly number[])[]): number {
  let s = 0;
  p.forEach((row, i) => { s -= Math.log(Math.max(1e-15, Math.min(1, row[classIndex(y[i]!, i, row.length)]!))); });
  return s / y.length;
}

/** The scorer of a metric name. */
export function scorerOf(name: ScorerName): Scorer {
  switch (name) {
    case 'rmse': return { name, greaterIsBetter: false, score: (y, p) => rmse(y, column0(p)) };
    case 'mae': return { name, greaterIsBetter: false, score: (y, p) => mae(y, column0(p)) };
    case 'mse': return { name, greaterIsBetter: false, score: (y, p) => mse(y, column0(p)) };
    case 'r2': return { name, greaterIsBetter: true, score: (y, p) => r2(y, column0(p)) };
    case 'accuracy': return { name, greaterIsBetter: true, score: accuracy };
    case 'balanced_accuracy': return { name, greaterIsBetter: true, score: balancedAccuracy };
    case 'log_loss': return { name, greaterIsBetter: false, score: logLoss };
  }
}
