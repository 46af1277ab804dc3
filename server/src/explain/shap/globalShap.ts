/**
 * Global feature ranking from local attributions: the mean |SHAP value| of each feature over the explained
 * samples (Lundberg et al. 2020, "From local explanations to global understanding with explainable AI for
 * trees", the SHAP summary's bar chart), with the mean signed value for the direction.
 */
import type { AttributionResult } from '../types';

export interface GlobalAttribution {
  feature: string;
  /** Mean |φ| over the samples, in the output's units. */
  meanAbs: number;
  /** Mean φ: its sign says in which direction the feature moves the output on average. */
  mean: number;
}

/** Features sorted by decreasing mean |attribution|. @throws Error when the result has no samples. */
export function meanAbsAttribution(result: AttributionResult): GlobalAttribution[] {
  const n = result.values.length;
  if (n === 0) throw new Error('mean |SHAP|: the attribution result has no samples');
  return result.features.map((feature, j) => {
    let abs = 0; let signed = 0;
    for (const row of result.values) { abs += Math.abs(row[j]!); signed += row[j]!; }
    return { feature, meanAbs: abs / n, mean: signed / n };
  }).sort((a, b) => b.meanAbs - a.meanAbs);
}
