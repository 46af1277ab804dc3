/**
 * What every fitted model exposes to the explainers and the pipeline, whatever its family. Explainers depend on
 * these interfaces, not on a family, except family-specific methods (TreeSHAP, ReLU paths) which take the
 * family's structure below and say so in their names.
 *
 * Matrices are row-major: x is [n_samples, n_features] in MODEL scale (after the fitted preprocessing), either as
 * an array of rows or, on the explainers' hot path, as one contiguous float64 buffer (`DenseMatrix`).
 */
import type { DenseMatrix } from './denseMatrix';

export type { DenseMatrix } from './denseMatrix';

export type ModelFamily = 'mlp' | 'decision_tree' | 'linear_svm' | 'linear_regression' | 'logistic_regression';
export type ModelTask = 'regression' | 'classification';

export interface FittedModel {
  readonly family: ModelFamily;
  readonly task: ModelTask;
  readonly nFeatures: number;
  /**
   * Names of the outputs: regression ['<target>']; classification the class labels, one probability each
   * (binary included: two outputs that sum to 1).
   */
  readonly outputs: readonly string[];
  /** x [n_samples, n_features] → [n_samples, n_outputs]; ONE batched call, never per row. */
  predict(x: readonly (readonly number[])[]): Promise<number[][]>;
  /**
   * The same predictions on dense matrices: x [n_samples, n_features] → [n_samples, n_outputs], ONE batched call,
   * bit for bit the numbers `predict` gives. Every family implements it; a model without it (an ad-hoc function
   * model) is called through `predict` by the explainers.
   * @throws Error when x.cols is not nFeatures.
   */
  predictDense?(x: DenseMatrix): Promise<DenseMatrix>;
}

/** A model whose outputs are differentiable in its inputs (MLP, linear and logistic models). */
export interface DifferentiableModel extends FittedModel {
  /** ∂ output[k] / ∂ x for every row: x [n_samples, n_features] → [n_samples, n_features]. */
  gradient(x: readonly (readonly number[])[], output: number): Promise<number[][]>;
  /** `gradient` on dense matrices: x [n_samples, n_features] → [n_samples, n_features], the same numbers. Optional. */
  gradientDense?(x: DenseMatrix, output: number): Promise<DenseMatrix>;
}

/**
 * A fitted CART tree in scikit-learn's `tree_` layout: node 0 is the root; a sample goes LEFT when
 * x[feature] <= threshold. Leaves have feature = -1 and left = right = -1.
 */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  /** Impurity at the node (gini, entropy or squared error, per the criterion). */
  impurity: number;
  /** Training samples that reached the node. */
  samples: number;
  /** Regression: [mean target]; classification: class fractions (sum to 1) in `outputs` order. */
  value: number[];
}

export interface TreeStructure { nodes: TreeNode[] }

export interface TreeModel extends FittedModel { readonly family: 'decision_tree'; readonly tree: TreeStructure }

/** A linear model f(x) = W x + b per output (before any link function). */
export interface LinearStructure {
  /** [n_outputs_linear][n_features] */
  weights: number[][];
  /** [n_outputs_linear] */
  intercepts: number[];
  /**
   * How the linear scores s = W x + b become `predict`'s outputs: identity (regression, one output);
   * logistic (binary: one score for the SECOND class, outputs [1 − σ(s), σ(s)]); softmax (one score per class);
   * platt (linear SVM: per score P = 1 / (1 + exp(A·s + B)) with `platt[k]`; binary → [1 − P, P], one-vs-rest →
   * the P's normalized to sum 1).
   */
  link: 'identity' | 'logistic' | 'softmax' | 'platt';
  /** Platt's A and B per score, when link = platt. */
  platt?: { a: number; b: number }[];
}

export interface LinearModel extends DifferentiableModel {
  readonly family: 'linear_svm' | 'linear_regression' | 'logistic_regression';
  readonly linear: LinearStructure;
}

/** One dense layer of an MLP, as plain numbers: y = activation(x · kernel + bias). */
export interface DenseLayerWeights {
  /** [n_in][n_out] */
  kernel: number[][];
  /** [n_out] */
  bias: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'softmax';
}

export interface MlpModel extends DifferentiableModel {
  readonly family: 'mlp';
  /** The layers' weights, read once from the trained network (for ReLU decision paths). */
  denseLayers(): DenseLayerWeights[];
}
