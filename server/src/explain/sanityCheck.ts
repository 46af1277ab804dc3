/**
 * Sanity check of an explanation method by model-parameter randomization (Adebayo et al. 2018, "Sanity Checks
 * for Saliency Maps"): explain the trained model and the SAME architecture with random weights on the same
 * samples; a method whose attributions barely change does not explain what the model learned. Similarity is
 * Spearman's rank correlation of |attributions| per sample (the paper's measure), averaged, and of the global
 * mean-|attribution| ranking. Also flagged: an explainer whose output does not depend on the sample at all.
 */
import type { FittedModel } from '../models/model';
import { spearman, type Matrix } from './common';

/** Any explainer: model and samples → attributions [n_samples, n_features]. */
export type Explainer = (model: FittedModel, x: Matrix) => Promise<number[][]> | number[][];

export interface SanityCheckOptions {
  /** Mean per-sample rank correlation at or above which the explanation counts as unchanged (default 0.7). */
  threshold?: number;
}

export interface SanityCheckResult {
  method: 'sanity_check';
  /** Mean over samples of Spearman(|a_trained|, |a_random|); NaN-free (constant rows count as 1). */
  meanRankCorrelation: number;
  /** Spearman of the two global rankings (mean |attribution| per feature). */
  globalRankCorrelation: number;
  /** Largest |a_trained − a_random| over all entries. */
  maxAbsDifference: number;
  /** True when the explanation does not pass: unchanged under randomization, or constant across samples. */
  flagged: boolean;
  reasons: string[];
  threshold: number;
}

function meanAbsColumns(a: readonly (readonly number[])[]): number[] {
  return a[0]!.map((_, j) => a.reduce((s, r) => s + Math.abs(r[j]!), 0) / a.length);
}

/** Spearman where a constant vector against anything counts as identical rankings (no information either way). */
function rankSimilarity(a: readonly number[], b: readonly number[]): number {
  const r = spearman(a, b);
  return Number.isNaN(r) ? 1 : r;
}

/**
 * Runs `explainer` on the trained and the randomized model over x [n_samples, n_features] and compares.
 * @throws Error when the explainer returns attributions of another shape.
 */
export async function sanityCheck(explainer: Explainer, trained: FittedModel, randomized: FittedModel, x: Matrix, options: SanityCheckOptions = {}): Promise<SanityCheckResult> {
  const threshold = options.threshold ?? 0.7;
  const a = await explainer(trained, x);
  const b = await explainer(randomized, x);
  const shapeOk = (m: number[][]) => m.length === x.length && m.every((r) => r.length === trained.nFeatures);
  if (!shapeOk(a) || !shapeOk(b)) throw new Error(`sanity check: the explainer must return [${x.length}, ${trained.nFeatures}] attributions`);
  const perSample = a.map((row, i) => rankSimilarity(row.map(Math.abs), b[i]!.map(Math.abs)));
  const meanRankCorrelation = perSample.reduce((s, v) => s + v, 0) / perSample.length;
  const globalRankCorrelation = rankSimilarity(meanAbsColumns(a), meanAbsColumns(b));
  let maxAbsDifference = 0;
  a.forEach((row, i) => row.forEach((v, j) => { maxAbsDifference = Math.max(maxAbsDifference, Math.abs(v - b[i]![j]!)); }));
  const reasons: string[] = [];
  if (maxAbsDifference === 0) reasons.push('the attributions are identical for the trained and the randomized model');
  else if (meanRankCorrelation >= threshold) reasons.push(`the attributions' rankings barely change when the weights are randomized (mean Spearman ${meanRankCorrelation.toFixed(2)} ≥ ${threshold})`);
  const constant = x.length > 1 && a.every((row) => row.every((v, j) => v === a[0]![j]));
  if (constant) reasons.push('the attributions do not depend on the sample (the same for every row)');
  return { method: 'sanity_check', meanRankCorrelation, globalRankCorrelation, maxAbsDifference, flagged: reasons.length > 0, reasons, threshold };
}
