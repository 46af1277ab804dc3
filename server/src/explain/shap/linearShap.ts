/**
 * Exact Shapley values of a linear model with independent features (Lundberg & Lee 2017, "A Unified Approach to
 * Interpreting Model Predictions", Corollary 1, linear SHAP): φᵢ = wᵢ(xᵢ − E[xᵢ]) on the linear score, with
 * E[x] the mean of the background data. Family-specific: reads `LinearModel.linear`, evaluates nothing.
 */
import type { LinearModel } from '../../models/model';
import { checkMatrix, columnMeans, type Matrix } from '../common';
import { featureNames, type AttributionResult } from '../types';

export interface LinearShapOptions {
  /** Background rows [n_background, n_features] whose mean is E[x] (or give `means`). */
  background?: Matrix;
  /** E[x] [n_features] directly. */
  means?: readonly number[];
  /** Index of the linear output (row of `linear.weights`); default 0. */
  output?: number;
  features?: readonly string[];
}

/**
 * SHAP values of x [n_samples, n_features] for the linear score wₖ·x + bₖ of output k.
 * @returns values [n_samples, n_features]; baseValues = wₖ·E[x] + bₖ; predictions = the linear scores; gaps
 *   (efficiency) are 0 up to rounding; evaluations 0.
 * @throws Error when neither background nor means is given, or shapes disagree.
 */
export function linearShap(model: LinearModel, x: Matrix, options: LinearShapOptions): AttributionResult {
  const k = options.output ?? 0;
  const w = model.linear.weights[k];
  const b = model.linear.intercepts[k];
  if (!w || b === undefined) throw new Error(`linear SHAP: the model has no linear output ${k}`);
  const d = w.length;
  checkMatrix(x, d, 'linear SHAP');
  let means: number[];
  if (options.means) {
    if (options.means.length !== d) throw new Error(`linear SHAP: ${options.means.length} means for ${d} features`);
    means = [...options.means];
  } else if (options.background) {
    checkMatrix(options.background, d, 'linear SHAP background');
    means = columnMeans(options.background);
  } else throw new Error('linear SHAP needs background data or feature means');
  const base = means.reduce((s, m, j) => s + w[j]! * m, b);
  const values = x.map((row) => row.map((v, j) => w[j]! * (v - means[j]!)));
  const predictions = x.map((row) => row.reduce((s, v, j) => s + w[j]! * v, b));
  const gaps = values.map((phi, i) => Math.abs(base + phi.reduce((s, v) => s + v, 0) - predictions[i]!));
  return {
    method: 'linear_shap', output: k, outputName: model.outputs[k] ?? `score${k}`, features: featureNames(options.features, d),
    values, baseValues: x.map(() => base), predictions, gaps, evaluations: 0,
    details: { scale: model.linear.link === 'identity' ? 'output' : 'linear score (before the link)' },
  };
}
