/**
 * Standardization (z-score) fitted on the training part only, so that nothing of the validation part leaks
 * into the model; saved beside the model as `preprocessing.json` so that a run can be explained again later.
 */
import type { StepAccount } from '../../../protocol/protocol';
import type { StandardizeStep } from '../spec/types';
import { fromRelativeTarget, relativeBase, toRelativeTarget, type RelativeTarget } from './frame/targetTransform';

/** z = (value − mean) / std, in the column's units. */
export interface ScalerParams { mean: number; std: number }

/** The fitted preprocessing of a run: what turns raw feature rows into model inputs and back for the target. */
export interface FittedPreprocessing {
  version: 1;
  /** The model's input columns, in order. */
  features: string[];
  target: string;
  /** Only the standardized features appear in `features`; `target` only when the target was standardized. */
  standardize: { features: Record<string, ScalerParams>; target?: ScalerParams };
  /** The model learns the target relative to a raw input (data.target_transform), before any standardization. */
  target_transform?: RelativeTarget;
}

/** Mean and population standard deviation (ddof = 0, as scikit-learn's StandardScaler); std 0 becomes 1. */
export function fitScaler(values: readonly number[]): ScalerParams {
  const n = values.length;
  if (n === 0) throw new Error('cannot fit a standardization on no rows');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const std = Math.sqrt(variance);
  // A constant column carries no information; dividing by 1 keeps it finite instead of NaN.
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * Fits the standardization on the training part.
 * @param xTrain [n_train, n_features] raw feature values; yTrain [n_train] raw target values.
 * @throws Error when a listed column is not a feature.
 */
export function fitPreprocessing(
  xTrain: readonly (readonly number[])[], yTrain: readonly number[], features: readonly string[], target: string,
  step: StandardizeStep['standardize'] | undefined,
): { fitted: FittedPreprocessing; account?: StepAccount } {
  const fitted: FittedPreprocessing = { version: 1, features: [...features], target, standardize: { features: {} } };
  if (!step) return { fitted };
  const columns = step.columns === undefined || step.columns === 'features' ? [...features] : step.columns;
  for (const c of columns) {
    const j = features.indexOf(c);
    if (j < 0) throw new Error(`standardize: '${c}' is not one of the model's features (${features.join(', ')})`);
    fitted.standardize.features[c] = fitScaler(xTrain.map((row) => row[j]!));
  }
  if (step.target) fitted.standardize.target = fitScaler(yTrain);
  const n = xTrain.length;
  const what = `${columns.length} feature${columns.length === 1 ? '' : 's'}${step.target ? ' and the target' : ''}`;
  return { fitted, account: { step: 'standardize', rowsIn: n, rowsOut: n, detail: `z-score of ${what}, fitted on the ${n} training rows` } };
}

/** Raw feature rows [n, n_features] → model inputs [n, n_features]. */
export function transformFeatures(fitted: FittedPreprocessing, x: readonly (readonly number[])[]): number[][] {
  const params = fitted.features.map((f) => fitted.standardize.features[f]);
  return x.map((row) => row.map((v, j) => {
    const p = params[j];
    return p ? (v - p.mean) / p.std : v;
  }));
}

/**
 * Raw target values [n] → model outputs' scale [n]: relative to the base input when there is a target transform
 * (then `x`, the raw feature rows [n, n_features], is required), then standardized.
 * @throws Error when a target transform needs `x` and it is missing.
 */
export function transformTarget(fitted: FittedPreprocessing, y: readonly number[], x?: readonly (readonly number[])[]): number[] {
  const rel = fitted.target_transform ? toRelativeTarget(fitted.target_transform, y, baseOf(fitted, x)) : y;
  const p = fitted.standardize.target;
  return p ? rel.map((v) => (v - p.mean) / p.std) : [...rel];
}

/**
 * Model outputs [n] → the target's original units [n]: undo the standardization, then (target transform) add
 * the base input of each row of `x` (raw feature rows [n, n_features]) back.
 * @throws Error when a target transform needs `x` and it is missing.
 */
export function inverseTarget(fitted: FittedPreprocessing, y: readonly number[], x?: readonly (readonly number[])[]): number[] {
  const p = fitted.standardize.target;
  const out = p ? y.map((v) => v * p.std + p.mean) : [...y];
  return fitted.target_transform ? fromRelativeTarget(fitted.target_transform, out, baseOf(fitted, x)) : out;
}

function baseOf(fitted: FittedPreprocessing, x: readonly (readonly number[])[] | undefined): number[] {
  const t = fitted.target_transform!;
  if (!x) throw new Error(`the target is relative to ${t.relative_to} (target_transform ${t.method}): its rows' raw features are needed`);
  return relativeBase(t, fitted.features, x);
}
