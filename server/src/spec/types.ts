/**
 * The typed model of a `*.xai.yaml` pipeline spec, version 1.
 *
 * This is what the engine (pipeline, worker, CLI) consumes once a spec has parsed and validated. The
 * JSON Schema in `schemas/xai-pipeline.schema.json` describes the same shape for editors; a test keeps the two
 * in step. Keys are snake_case in YAML and here, so that a key in an error message is the key the user typed.
 */

export type Task = 'regression';

/** A row filter: keep rows whose `column` equals the value (compared as text). */
export interface FilterSpec {
  column: string;
  equals: string | number | boolean;
}

/** Sort the rows by one column before any window step; `type: date` parses it as a date. */
export interface SortSpec {
  column: string;
  type?: 'number' | 'date' | 'text';
}

import type { ColumnTypeSpec, DataPrepStep, DataPrepStepKind } from './dataSteps';

export interface DataSpec {
  /** CSV path, relative to the spec file's folder. */
  source: string;
  /** Cells that mean "no value" (default: empty, NA, N/A, NaN, nan, null, NULL, None, ?, .). */
  missing_values?: string[];
  /** The CSV delimiter; detected from the header line when omitted. */
  delimiter?: ',' | ';' | 'tab';
  /** Declared column types (and date formats); other columns' types are inferred. */
  column_types?: ColumnTypeSpec[];
  filter?: FilterSpec[];
  sort?: SortSpec;
  /** The column the model predicts. */
  target: string;
  /**
   * The model's input columns. When omitted: the columns made by feature steps (lags) if there are any,
   * else every numeric column but the target.
   */
  features?: string[];
}

/** Time-series lags: adds `<column>_lag1 … <column>_lag<count>`, the values 1 … count rows earlier. */
export interface LagsStep {
  lags: { column: string; count: number; group_by?: string; horizon?: number };
}

/** Splits rows into a training and a validation part; `chronological` keeps the last fraction for validation. */
export interface SplitStep {
  split: { method: 'chronological' | 'random' | 'stratified'; validation: number; test?: number; seed?: number };
}

/** Standardization (z-score), fitted on the training part only. `columns: features` means all features. */
export interface StandardizeStep {
  standardize: { columns?: 'features' | string[]; target?: boolean };
}

export type PreprocessingStep = LagsStep | SplitStep | StandardizeStep | DataPrepStep;
export type PreprocessingStepKind = 'lags' | 'split' | 'standardize' | DataPrepStepKind;

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

export interface DenseLayerSpec {
  units: number;
  activation: Activation;
}

export interface MlpModelSpec {
  type: 'mlp';
  hidden_layers: DenseLayerSpec[];
  output_activation?: 'linear';
}

export type ModelSpec = MlpModelSpec;

export interface TrainingSpec {
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learning_rate: number;
  loss: 'mse' | 'mae';
  epochs: number;
  batch_size: number;
  seed: number;
}

/** Permutation importance (Breiman 2001; Fisher, Rudin & Dominici 2019). */
export interface PermutationImportanceSpec {
  permutation_importance: { repeats?: number; split?: 'validation' | 'train'; metric?: 'rmse' | 'mae' | 'mse' };
}

export type ExplanationStep = PermutationImportanceSpec;
export type ExplanationKind = 'permutation_importance';

export interface PipelineSpec {
  version: 1;
  name: string;
  task: Task;
  description?: string;
  data: DataSpec;
  preprocessing?: PreprocessingStep[];
  model: ModelSpec;
  training: TrainingSpec;
  explanation?: ExplanationStep[];
}
