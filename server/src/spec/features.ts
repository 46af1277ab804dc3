/**
 * The spec language's rule for naming the features a pipeline produces, shared by the engine (which makes the
 * columns) and the flow graph (which draws them) so that both always agree.
 */
import type { PipelineSpec, PreprocessingStep } from './types';

/** `<column>_lag<k>`: the value of `column` k rows earlier (within its group). */
export function lagFeatureName(column: string, k: number): string {
  return `${column}_lag${k}`;
}

/** Names of the columns that the spec's feature steps add, in order (lag 1 first). */
export function generatedFeatureNames(steps: readonly PreprocessingStep[] | undefined): string[] {
  const names: string[] = [];
  for (const step of steps ?? []) {
    if ('lags' in step && step.lags && typeof step.lags.column === 'string' && Number.isInteger(step.lags.count)) {
      for (let k = 1; k <= step.lags.count; k++) names.push(lagFeatureName(step.lags.column, k));
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
