/**
 * The spec language's defaults: what a key means when it is left out. Applied to a spec that validated, so the
 * engine sees one complete shape. Each value here equals the key's `default` in the schema (a unit test keeps
 * them equal); keys whose absence means "none" (filter, sort, features, group_by, split.seed) stay absent.
 */
import type {
  DenseLayerSpec, ExplanationStep, PipelineSpec, PreprocessingStep, TrainingSpec,
} from './types';

export const TRAINING_DEFAULTS: TrainingSpec = {
  optimizer: 'adam', learning_rate: 0.001, loss: 'mse', epochs: 100, batch_size: 32, seed: 42,
};
export const SPLIT_DEFAULTS = { method: 'chronological', validation: 0.2 } as const;
export const STANDARDIZE_DEFAULTS = { columns: 'features', target: false } as const;
export const PERMUTATION_IMPORTANCE_DEFAULTS = { repeats: 10, split: 'validation', metric: 'rmse' } as const;
export const LAYER_DEFAULTS = { activation: 'relu' } as const;
export const SORT_DEFAULTS = { type: 'text' } as const;
export const TOP_DEFAULTS = { task: 'regression', output_activation: 'linear' } as const;

/**
 * A complete PipelineSpec from data that passed the schema (so every present key has the right type).
 * Returns a new object; `valid` is not modified.
 */
export function applyDefaults(valid: unknown): PipelineSpec {
  const s = structuredClone(valid) as PipelineSpec;
  s.task ??= TOP_DEFAULTS.task;
  if (s.data.sort) s.data.sort = { ...SORT_DEFAULTS, ...s.data.sort };
  s.preprocessing = (s.preprocessing ?? []).map(stepWithDefaults);
  if (s.model.type === 'mlp') {
    s.model = {
      ...s.model,
      hidden_layers: s.model.hidden_layers.map((l): DenseLayerSpec => ({ ...LAYER_DEFAULTS, ...l })),
      output_activation: s.model.output_activation ?? TOP_DEFAULTS.output_activation,
    };
  }
  s.training = { ...TRAINING_DEFAULTS, ...(s.training ?? {}) };
  s.explanation = (s.explanation ?? []).map((e): ExplanationStep => ('permutation_importance' in e
    ? { permutation_importance: { ...PERMUTATION_IMPORTANCE_DEFAULTS, ...(e.permutation_importance ?? {}) } }
    : e)); // the other methods apply their own defaults (server/src/explain/run.ts)
  return s;
}

function stepWithDefaults(step: PreprocessingStep): PreprocessingStep {
  if ('split' in step) return { split: { ...SPLIT_DEFAULTS, ...(step.split ?? {}) } };
  if ('standardize' in step) return { standardize: { ...STANDARDIZE_DEFAULTS, ...(step.standardize ?? {}) } };
  return step;
}
