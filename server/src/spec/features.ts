/**
 * The spec language's rule for naming the features a pipeline produces, shared by the engine (which makes the
 * columns) and the flow graph (which draws them) so that both always agree.
 */
import type { PipelineSpec, PreprocessingStep } from './types';

/** `<column>_lag<k>`: the value of `column` k rows earlier (within its group). */
export function lagFeatureName(column: string, k: number): string {
  return `${column}_lag${k}`;
}

/**
 * The shifts of a lag step, as the engine makes them (data/frame/windows.ts): h … h + count − 1 rows back for a
 * forecast horizon h (default 1; a value that is not a positive integer counts as 1, the schema reports it).
 * `count` is capped at `max` (editor checks on half-typed specs).
 */
export function lagShifts(count: number, horizon?: unknown, max = Infinity): number[] {
  const h = lagHorizon(horizon);
  return Array.from({ length: Math.max(0, Math.min(count, max)) }, (_, k) => h + k);
}

/** A lag step's horizon: its nearest shift (1 unless a positive integer is given). */
export function lagHorizon(horizon: unknown): number {
  return typeof horizon === 'number' && Number.isInteger(horizon) && horizon >= 1 ? horizon : 1;
}

/** Names of the columns that the spec's feature steps add, in order (the nearest lag first: `<c>_lag<h>`). */
export function generatedFeatureNames(steps: readonly PreprocessingStep[] | undefined): string[] {
  const names: string[] = [];
  for (const step of steps ?? []) {
    if ('lags' in step && step.lags && typeof step.lags.column === 'string' && Number.isInteger(step.lags.count)) {
      for (const s of lagShifts(step.lags.count, step.lags.horizon)) names.push(lagFeatureName(step.lags.column, s));
    }
  }
  return names;
}

/**
 * The model's features: `data.features` when given; else the generated ones when there are any; else every
 * numeric column of `numericColumns` but the target (the caller knows the CSV; pass [] when it does not).
 */
export function featureNames(spec: Pick<PipelineSpec, 'data' | 'preprocessing'>, numericColumns: readonly string[] = []): string[] {
  if (spec.data.features && spec.data.features.length) return [...spec.data.features];
  const generated = generatedFeatureNames(spec.preprocessing);
  if (generated.length) return generated;
  return numericColumns.filter((c) => c !== spec.data.target);
}
