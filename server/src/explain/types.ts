/**
 * Result shapes shared by the local attribution methods (SHAP, integrated gradients, gradient × input, saliency).
 */

export type AttributionMethod =
  | 'linear_shap' | 'kernel_shap' | 'tree_shap' | 'integrated_gradients' | 'gradient_x_input' | 'saliency';

export interface AttributionResult {
  method: AttributionMethod;
  /** Index and name of the explained output. */
  output: number;
  outputName: string;
  /** Names of the features (columns of `values`). */
  features: string[];
  /**
   * [n_samples, n_features]: the attribution of each feature for each explained sample, in the output's units
   * (for linear SHAP of a logistic / softmax model: the linear score, i.e. log-odds).
   */
  values: number[][];
  /**
   * The reference each sample's attributions start from: E[f] over the background for SHAP ([n_samples], all
   * equal), f(baseline) for integrated gradients; 0 where no reference applies (saliency).
   */
  baseValues: number[];
  /** f(x) of each explained sample on the explained scale ([n_samples]). */
  predictions: number[];
  /**
   * |baseValue + Σφ − f(x)| per sample ([n_samples]): SHAP's efficiency, integrated gradients' completeness gap.
   * Absent where the method has no such property (gradient × input off a linear model, saliency).
   */
  gaps?: number[];
  /** gaps / |f(x) − reference| per sample, where that difference is not ~0 (integrated gradients). */
  relativeGaps?: number[];
  /** Rows the model predicted (gradient rows count too); 0 for methods that read the model's structure only. */
  evaluations: number;
  /** Method-specific notes (exact vs sampled, number of coalitions, steps, background size…). */
  details: Record<string, number | string | boolean>;
}

/** Names f0, f1, … when none are given. @throws Error when the count is wrong. */
export function featureNames(given: readonly string[] | undefined, n: number): string[] {
  if (!given) return Array.from({ length: n }, (_, j) => `f${j}`);
  if (given.length !== n) throw new Error(`${given.length} feature names for ${n} features`);
  return [...given];
}
