/**
 * Regression metrics, in the target's units (R² is unitless).
 */
import type { RegressionMetrics } from '../../../protocol/protocol';

function check(yTrue: readonly number[], yPred: readonly number[]): void {
  if (yTrue.length !== yPred.length) throw new Error(`metric: ${yTrue.length} true values but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('metric: no samples');
}

/** Mean squared error: mean((y − ŷ)²). Shapes [n], [n]. @throws Error on length mismatch or n = 0. */
export function mse(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return s / yTrue.length;
}

/** Root mean squared error: √MSE, in the target's units. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error: mean(|y − ŷ|), in the target's units. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/**
 * Coefficient of determination R² = 1 − SSE/SST with SST around the mean of yTrue. Negative when the
 * predictions are worse than that mean; when yTrue is constant (SST = 0) it is 1 for a perfect fit, else −∞
 * would be meaningless, so 0 is returned (scikit-learn's convention).
 */
export function r2(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred);
  const mean = yTrue.reduce((s, v) => s + v, 0) / yTrue.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < yTrue.length; i++) {
    sse += (yTrue[i]! - yPred[i]!) ** 2;
    sst += (yTrue[i]! - mean) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

/** RMSE, MAE and R² of predictions [n] against true values [n]. */
export function regressionMetrics(yTrue: readonly number[], yPred: readonly number[]): RegressionMetrics {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
}

export type MetricName = 'rmse' | 'mae' | 'mse';

/** The metric function of a name (lower is better for all three). */
export function metricFunction(name: MetricName): (yTrue: readonly number[], yPred: readonly number[]) => number {
  switch (name) {
    case 'rmse': return rmse;
    case 'mae': return mae;
    case 'mse': return mse;
  }
}
