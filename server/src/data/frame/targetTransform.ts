/**
 * A regression target expressed relative to one of the model's inputs (the naive forecast), e.g. for a price
 * series the change from the last price: the model learns `y − price_lag1` (`difference`) or
 * `y / price_lag1 − 1` (`return`), and its outputs are turned back into the target's units by adding the base
 * again. This is the usual residual form of a forecast (Hyndman & Athanasopoulos, "Forecasting: Principles and
 * Practice", 3rd ed., §5.2 and §9.1: differencing and forecasting the change); it fits nothing, so it saves as
 * its two settings and reproduces exactly on a reloaded model.
 */
import { DataError } from '../errors';

export type RelativeTargetMethod = 'difference' | 'return';

/** The saved form (in `preprocessing.json`): the method and the input column that is the base. */
export interface RelativeTarget { method: RelativeTargetMethod; relative_to: string }

/**
 * The base of every row: the raw (unscaled) value of the `relative_to` input.
 * @param x [n_rows, n_features] raw feature values; `features` their names in order.
 * @param where when given (preparing the data), every base is checked and an error names the file and line.
 * @returns [n_rows] base values, in the target's units.
 * @throws DataError when `relative_to` is not one of the features, or (with `where`) a base is not finite or,
 *   for a return, 0.
 */
export function relativeBase(
  t: RelativeTarget, features: readonly string[], x: readonly (readonly number[])[], where?: { file: string; lines?: readonly number[] },
): number[] {
  const j = features.indexOf(t.relative_to);
  if (j < 0) {
    throw new DataError(`target_transform: relative_to '${t.relative_to}' is not one of the model's features (${features.join(', ')})`, { file: where?.file ?? 'preprocessing.json', column: t.relative_to });
  }
  return x.map((row, i) => {
    const b = row[j]!;
    if (where && (!Number.isFinite(b) || (t.method === 'return' && b === 0))) {
      throw new DataError(`target_transform: the base is ${b}; a ${t.method} needs a finite${t.method === 'return' ? ', non-zero' : ''} base`, { file: where.file, line: where.lines?.[i], column: t.relative_to });
    }
    return b;
  });
}

/**
 * Target values [n] → what the model learns [n]: `y − base` or `y / base − 1`.
 * @throws Error when the lengths differ.
 */
export function toRelativeTarget(t: RelativeTarget, y: readonly number[], base: readonly number[]): number[] {
  if (y.length !== base.length) throw new Error(`target_transform: ${y.length} targets but ${base.length} base values`);
  return y.map((v, i) => (t.method === 'difference' ? v - base[i]! : v / base[i]! - 1));
}

/**
 * Model outputs [n] (relative, after undoing any target standardization) → predictions in the target's units [n]:
 * `base + out` or `base · (1 + out)`.
 * @throws Error when the lengths differ.
 */
export function fromRelativeTarget(t: RelativeTarget, out: readonly number[], base: readonly number[]): number[] {
  if (out.length !== base.length) throw new Error(`target_transform: ${out.length} outputs but ${base.length} base values`);
  return out.map((v, i) => (t.method === 'difference' ? base[i]! + v : base[i]! * (1 + v)));
}

/** One line for the run's step account, e.g. "the model learns price − price_lag1; predictions add price_lag1 back". */
export function describeRelativeTarget(t: RelativeTarget, target: string): string {
  return t.method === 'difference'
    ? `the model learns ${target} − ${t.relative_to}; its predictions add ${t.relative_to} back (metrics in ${target}'s units)`
    : `the model learns ${target} / ${t.relative_to} − 1; its predictions are ${t.relative_to} · (1 + output) (metrics in ${target}'s units)`;
}
