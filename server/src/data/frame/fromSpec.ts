/**
 * The spec's data section and preprocessing steps as a columnar recipe (./recipe.ts), for the specs that use more
 * than the founding steps (lags, chronological or random split, standardize) of the row-table path.
 */
import { DATA_PREP_STEP_KINDS } from '../../spec/dataSteps';
import type { PipelineSpec } from '../../spec/types';
import type { ColumnKind } from './frame';
import type { LoadOptions } from './load';
import type { DataStep, Recipe } from './recipe';

/**
 * Whether the spec needs the columnar path: a data-preparation step, a lag horizon, a stratified split or a
 * test part, k-fold, a filter by list or range, or load options (missing values, delimiter, column types). A plain classification spec stays on
 * the row-table path (its label encoding lives in models/labels.ts); both encode classes in the same order.
 */
export function usesFramePipeline(spec: PipelineSpec): boolean {
  const d = spec.data;
  if (d.missing_values || d.delimiter || d.column_types?.length) return true;
  if (d.filter?.some((f) => f.equals === undefined)) return true;
  return (spec.preprocessing ?? []).some((s) => {
    if ((DATA_PREP_STEP_KINDS as readonly string[]).includes(Object.keys(s)[0]!)) return true;
    if ('lags' in s) return s.lags.horizon !== undefined;
    if ('split' in s) return s.split.method === 'stratified' || s.split.method === 'kfold' || (s.split.test ?? 0) > 0;
    return false;
  });
}

/** The recipe, load options and whether the target is standardized (the model then learns z-scores). */
export function recipeFromSpec(spec: PipelineSpec): { recipe: Recipe; load: LoadOptions; standardizeTarget: boolean } {
  const d = spec.data;
  const types: Record<string, ColumnKind> = {};
  const dateFormats: Record<string, string> = {};
  for (const c of d.column_types ?? []) {
    types[c.column] = c.type;
    if (c.date_format) dateFormats[c.column] = c.date_format;
  }
  const load: LoadOptions = {
    delimiter: d.delimiter === 'tab' ? '\t' : d.delimiter,
    missing: d.missing_values,
    types: Object.keys(types).length ? types : undefined,
    dateFormats: Object.keys(dateFormats).length ? dateFormats : undefined,
  };
  const steps: DataStep[] = [];
  if (d.filter?.length) steps.push({ filter: d.filter.map((f) => ({ column: f.column, equals: f.equals, in: f.in, min: f.min, max: f.max })) });
  if (d.sort) steps.push({ sort: { columns: [d.sort.column] } });
  let standardizeTarget = false;
  for (const s of spec.preprocessing ?? []) {
    if ('split' in s) steps.push({ split: { method: s.split.method, validation: s.split.validation, test: s.split.test, seed: s.split.seed, k: s.split.k } });
    else if ('standardize' in s) {
      standardizeTarget ||= s.standardize.target === true;
      const cols = s.standardize.columns;
      steps.push({ standardize: { columns: cols === undefined || cols === 'features' ? undefined : cols } });
    } else steps.push(s as DataStep);
  }
  const task = (spec.task as string) === 'classification' ? 'classification' : 'regression';
  return { recipe: { target: d.target, task, features: d.features, steps, seed: spec.training.seed }, load, standardizeTarget };
}
