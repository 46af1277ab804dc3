/** Keeps schemas/xai-pipeline.schema.json in step with server/src/spec/types.ts and the defaults. */
import { describe, expect, it } from 'vitest';
import {
  LAYER_DEFAULTS, PERMUTATION_IMPORTANCE_DEFAULTS, SORT_DEFAULTS, SPLIT_DEFAULTS, STANDARDIZE_DEFAULTS, TOP_DEFAULTS, TRAINING_DEFAULTS,
} from '../../../server/src/spec/defaults';
import { schemaAt, specSchema, type SchemaNode } from '../../../server/src/spec/schema';
import type {
  DataSpec, DenseLayerSpec, FilterSpec, MlpModelSpec, PipelineSpec, SortSpec, TrainingSpec,
  DecisionTreeModelSpec, LinearSvmModelSpec, LinearRegressionModelSpec, LogisticRegressionModelSpec,
  LagsStep, SplitStep, StandardizeStep, PermutationImportanceSpec,
} from '../../../server/src/spec/types';
import type {
  ClipStep, ColumnTypeSpec, DatePartsStep, DropMissingStep, ImputeStep, KBestStep, OneHotStep, RollingStep,
} from '../../../server/src/spec/dataSteps';

// Record<keyof T, true> does not compile when a key of the type is missing here or one is extra:
// the compiler checks the lists against types.ts, the test checks them against the schema.
const keys = <T>(r: Record<keyof T, true>): string[] => Object.keys(r);
const shapes: [string[], (string | number)[]][] = [
  [keys<PipelineSpec>({ version: true, name: true, task: true, description: true, data: true, preprocessing: true, model: true, training: true, explanation: true }), []],
  [keys<DataSpec>({ source: true, missing_values: true, delimiter: true, column_types: true, filter: true, sort: true, target: true, features: true, target_transform: true }), ['data']],
  [keys<NonNullable<DataSpec['target_transform']>>({ method: true, relative_to: true }), ['data', 'target_transform']],
  [keys<ColumnTypeSpec>({ column: true, type: true, date_format: true }), ['data', 'column_types', 0]],
  [keys<ImputeStep['impute']>({ strategy: true, value: true, columns: true }), ['preprocessing', 0, 'impute']],
  [keys<OneHotStep['one_hot']>({ columns: true, unseen: true }), ['preprocessing', 0, 'one_hot']],
  [keys<RollingStep['rolling']>({ column: true, window: true, stats: true, group_by: true, horizon: true }), ['preprocessing', 0, 'rolling']],
  [keys<DatePartsStep['date_parts']>({ column: true, parts: true }), ['preprocessing', 0, 'date_parts']],
  [keys<ClipStep['clip']>({ method: true, factor: true, columns: true }), ['preprocessing', 0, 'clip']],
  [keys<DropMissingStep['drop_missing']>({ columns: true, max_share: true }), ['preprocessing', 0, 'drop_missing']],
  [keys<KBestStep['k_best']>({ k: true, score: true }), ['preprocessing', 0, 'k_best']],
  [keys<FilterSpec>({ column: true, equals: true, in: true, min: true, max: true }), ['data', 'filter', 0]],
  [keys<SortSpec>({ column: true, type: true }), ['data', 'sort']],
  [keys<LagsStep['lags']>({ column: true, count: true, group_by: true, horizon: true }), ['preprocessing', 0, 'lags']],
  [keys<SplitStep['split']>({ method: true, validation: true, test: true, seed: true, k: true }), ['preprocessing', 0, 'split']],
  [keys<StandardizeStep['standardize']>({ columns: true, target: true }), ['preprocessing', 0, 'standardize']],
  // The schema's model object holds every family's keys (the `type` picks which apply).
  [[...keys<MlpModelSpec>({ type: true, hidden_layers: true, output_activation: true, dropout: true, l2: true }),
    ...keys<Omit<DecisionTreeModelSpec, 'type'>>({ criterion: true, max_depth: true, min_samples_split: true, min_samples_leaf: true, max_leaf_nodes: true, ccp_alpha: true }),
    ...keys<Omit<LinearSvmModelSpec, 'type'>>({ loss: true, C: true }), ...keys<Omit<LinearRegressionModelSpec, 'type'>>({ alpha: true }),
    ...keys<Omit<LogisticRegressionModelSpec, 'type' | 'C'>>({})], ['model']],
  [keys<DenseLayerSpec>({ units: true, activation: true }), ['model', 'hidden_layers', 0]],
  [keys<TrainingSpec>({
    optimizer: true, learning_rate: true, loss: true, epochs: true, batch_size: true, seed: true,
    momentum: true, learning_rate_decay: true, early_stopping: true, class_weight: true,
  }), ['training']],
  [keys<PermutationImportanceSpec['permutation_importance']>({ repeats: true, split: true, metric: true }), ['explanation', 0, 'permutation_importance']],
];

function walk(node: SchemaNode, at: string, visit: (n: SchemaNode, at: string) => void): void {
  visit(node, at);
  for (const [k, child] of Object.entries(node.properties ?? {})) walk(child, `${at}.${k}`, visit);
  if (node.items) walk(node.items, `${at}[]`, visit);
  for (const [k, def] of Object.entries(node.definitions ?? {})) walk(def, `#${k}`, visit);
}

describe('the spec schema', () => {
  it.each(shapes)('has exactly the keys of the typed model: %j', (expected, path) => {
    expect(Object.keys(schemaAt(path)?.properties ?? {}).sort()).toEqual([...expected].sort());
  });

  it('closes every object and documents every key with a markdownDescription and a default', () => {
    const problems: string[] = [];
    walk(specSchema, '$', (n, at) => {
      if (n.type === 'object' && n.additionalProperties !== false) problems.push(`${at}: additionalProperties`);
      if (at !== '$' && !at.endsWith('[]') && !at.startsWith('#') && n.properties === undefined && n.$ref === undefined) {
        if (typeof n.markdownDescription !== 'string') problems.push(`${at}: markdownDescription`);
        if (!('default' in n)) problems.push(`${at}: default`);
      }
      if (n.properties) {
        for (const [k, child] of Object.entries(n.properties)) {
          if (child.$ref) continue;
          if (typeof child.markdownDescription !== 'string') problems.push(`${at}.${k}: markdownDescription`);
          if (!('default' in child)) problems.push(`${at}.${k}: default`);
        }
      }
    });
    expect(problems).toEqual([]);
  });

  it('has the same defaults as the parser applies', () => {
    const d = (path: (string | number)[]) => schemaAt(path)?.default;
    for (const [k, v] of Object.entries(TRAINING_DEFAULTS)) expect(d(['training', k]), k).toEqual(v);
    for (const [k, v] of Object.entries(SPLIT_DEFAULTS)) expect(d(['preprocessing', 0, 'split', k]), k).toEqual(v);
    for (const [k, v] of Object.entries(STANDARDIZE_DEFAULTS)) expect(d(['preprocessing', 0, 'standardize', k]), k).toEqual(v);
    for (const [k, v] of Object.entries(PERMUTATION_IMPORTANCE_DEFAULTS)) expect(d(['explanation', 0, 'permutation_importance', k]), k).toEqual(v);
    expect(d(['model', 'hidden_layers', 0, 'activation'])).toBe(LAYER_DEFAULTS.activation);
    expect(d(['data', 'sort', 'type'])).toBe(SORT_DEFAULTS.type);
    expect(d(['task'])).toBe(TOP_DEFAULTS.task);
    expect(d(['model', 'output_activation'])).toBe(TOP_DEFAULTS.output_activation);
  });
});
