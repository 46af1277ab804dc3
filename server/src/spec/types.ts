/**
 * The typed model of a `*.xai.yaml` pipeline spec, version 1.
 *
 * This is what the engine (pipeline, worker, CLI) consumes once a spec has parsed and validated. The
 * JSON Schema in `schemas/xai-pipeline.schema.json` describes the same shape for editors; a test keeps the two
 * in step. Keys are snake_case in YAML and here, so that a key in an error message is the key the user typed.
 */

/** regression: predict a number; classification: predict a class label (the target's text, label-encoded in sorted order). */
export type Task = 'regression' | 'classification';

/** A row filter: keep rows whose `column` equals the value (compared as text), is one of `in`, or lies in [min, max]. */
export interface FilterSpec {
  column: string;
  equals?: string | number | boolean;
  in?: (string | number | boolean)[];
  /** Numbers, or dates as text (`2005-01-01`) for a date column. */
  min?: number | string;
  max?: number | string;
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
  /**
   * Regression: the model learns the target relative to a feature (e.g. the change from `price_lag1`); its
   * predictions add the feature back, so metrics and explanations stay in the target's units.
   */
  target_transform?: { method: 'difference' | 'return'; relative_to: string };
}

/** Time-series lags: adds `<column>_lag1 … <column>_lag<count>`, the values 1 … count rows earlier. */
export interface LagsStep {
  lags: { column: string; count: number; group_by?: string; horizon?: number };
}

/** Splits rows into a training and a validation part; `chronological` keeps the last fraction for validation. */
export interface SplitStep {
  /** `kfold`: k folds evaluate the model (each fitted on the other folds), the final model is fitted on every row. */
  split: { method: 'chronological' | 'random' | 'stratified' | 'kfold'; validation: number; test?: number; seed?: number; k?: number };
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
  /** linear (regression); classification always ends in a softmax layer with one unit per class. */
  output_activation?: 'linear';
  /** Dropout rate after each hidden layer, in [0, 1). */
  dropout?: number;
  /** L2 penalty on the kernels. */
  l2?: number;
}

/** CART decision tree (see server/src/models/tree.ts for the tie-break). */
export interface DecisionTreeModelSpec {
  type: 'decision_tree';
  criterion?: 'gini' | 'entropy' | 'squared_error';
  max_depth?: number;
  min_samples_split?: number;
  min_samples_leaf?: number;
  max_leaf_nodes?: number;
  ccp_alpha?: number;
}

/** Linear SVM (classification): hinge or squared hinge with an L2 penalty, C. */
export interface LinearSvmModelSpec {
  type: 'linear_svm';
  loss?: 'hinge' | 'squared_hinge';
  C?: number;
}

/** Least squares (regression), with a ridge penalty alpha >= 0. */
export interface LinearRegressionModelSpec {
  type: 'linear_regression';
  alpha?: number;
}

/** L2-penalized logistic regression (classification), inverse strength C. */
export interface LogisticRegressionModelSpec {
  type: 'logistic_regression';
  C?: number;
}

export type ModelSpec = MlpModelSpec | DecisionTreeModelSpec | LinearSvmModelSpec | LinearRegressionModelSpec | LogisticRegressionModelSpec;
export type ModelType = ModelSpec['type'];

export interface TrainingSpec {
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learning_rate: number;
  loss: 'mse' | 'mae';
  epochs: number;
  batch_size: number;
  seed: number;
  /** SGD momentum in [0, 1) (optimizer sgd). */
  momentum?: number;
  /** Step decay of the learning rate: multiplied by `factor` every `every` epochs. */
  learning_rate_decay?: { factor: number; every: number };
  /** Stop when the validation loss has not improved for `patience` epochs; restore the best weights. */
  early_stopping?: { patience: number; min_delta?: number; restore_best?: boolean };
  /** Classification: `balanced` weighs each class by n / (k · n_class). */
  class_weight?: 'none' | 'balanced';
}

/** Permutation importance (Breiman 2001; Fisher, Rudin & Dominici 2019). */
export interface PermutationImportanceSpec {
  permutation_importance: { repeats?: number; split?: 'validation' | 'train'; metric?: 'rmse' | 'mae' | 'mse' };
}

type ExplainSplit = 'validation' | 'train';
/** Classification: the class (a label of the target column) whose probability an attribution explains. */
type ExplainedClass = string;
/** SHAP values: TreeSHAP, linear SHAP or Kernel SHAP by model family (server/src/explain/shap/). */
export interface ShapSpec { shap: { samples?: number; background?: number; summarize?: 'kmeans' | 'sample'; coalitions?: number; split?: ExplainSplit; output?: ExplainedClass } }
/** Integrated gradients (server/src/explain/gradients.ts). */
export interface IntegratedGradientsSpec {
  integrated_gradients: { samples?: number; baseline?: 'zero' | 'mean'; steps?: number; quadrature?: 'trapezoid' | 'gauss_legendre'; split?: ExplainSplit; output?: ExplainedClass };
}
/** First-order and total Sobol indices (server/src/explain/sobol.ts). */
export interface SobolSpec { sobol: { samples?: number; bootstrap?: number; output?: ExplainedClass } }
/** Partial dependence and ICE (server/src/explain/partialDependence.ts). */
export interface PartialDependenceSpec { partial_dependence: { features?: string[]; top?: number; grid?: number; ice?: boolean; split?: ExplainSplit; output?: ExplainedClass } }
/** Tree, surrogate and ReLU decision paths (server/src/explain/paths/). */
export interface DecisionPathsSpec { decision_paths: { samples?: number; surrogate_depth?: number; split?: ExplainSplit } }
/** Model-parameter randomization sanity check (server/src/explain/sanityCheck.ts). */
export interface SanityCheckSpec { sanity_check: { explainer?: 'auto' | 'integrated_gradients' | 'kernel_shap'; samples?: number; threshold?: number } }

export type ExplanationStep =
  | PermutationImportanceSpec | ShapSpec | IntegratedGradientsSpec | SobolSpec | PartialDependenceSpec | DecisionPathsSpec | SanityCheckSpec;
export type ExplanationKind =
  | 'permutation_importance' | 'shap' | 'integrated_gradients' | 'sobol' | 'partial_dependence' | 'decision_paths' | 'sanity_check';

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
