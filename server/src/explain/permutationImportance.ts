/**
 * Permutation feature importance, model-agnostic: how much worse a fitted model scores when one feature's
 * values are shuffled across the rows, which breaks the feature's link with the target while keeping its
 * distribution (Breiman 2001, "Random Forests", §10; Fisher, Rudin & Dominici 2019, "All Models are Wrong, but
 * Many are Useful", model reliance). The importance of feature j is the mean over `repeats` permutations of
 * score(permuted j) − score(unpermuted), so a feature the model ignores scores 0 and a harmful one below 0.
 */
import type { FeatureImportance, PermutationImportanceResult } from '../../../protocol/protocol';
import { permutation, seededRandom } from '../data/random';
import { metricFunction, type MetricName } from '../models/metrics';

/** A fitted model as a function: x [n_samples, n_features] → predictions [n_samples] in the target's units. */
export type PredictFunction = (x: number[][]) => number[] | Promise<number[]>;

export interface PermutationImportanceOptions {
  /** Names of the columns of x, in order. */
  features: readonly string[];
  /** Permutations per feature (at least 2, so that the spread is defined). */
  repeats: number;
  /** Lower-is-better metric: rmse and mae in the target's units, mse in squared units. */
  metric: MetricName;
  /** Seed of the permutations. */
  seed: number;
  /** Which part x comes from, recorded in the result. */
  split: 'validation' | 'train';
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  // Population standard deviation (ddof = 0), as scikit-learn's permutation_importance reports it.
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}

/**
 * Permutation importance of every feature of x [n_samples, n_features] with true values y [n_samples].
 * All `repeats` permutations of one feature are stacked into ONE predict call of repeats · n_samples rows, so
 * `predict` is called n_features + 1 times in all.
 * @returns features sorted by decreasing mean importance, each with its per-repeat values; `evaluations` counts
 *   the rows predicted (n_samples · (1 + n_features · repeats)).
 * @throws Error when shapes disagree, x is empty, repeats < 2, or predict returns the wrong number of values.
 */
export async function permutationImportance(
  predict: PredictFunction, x: readonly (readonly number[])[], y: readonly number[], options: PermutationImportanceOptions,
): Promise<PermutationImportanceResult> {
  const n = x.length;
  const nFeatures = options.features.length;
  if (n === 0) throw new Error('permutation importance needs at least one sample');
  if (y.length !== n) throw new Error(`permutation importance: ${n} rows of x but ${y.length} target values`);
  if (x.some((row) => row.length !== nFeatures)) throw new Error(`permutation importance: every row of x must have ${nFeatures} values`);
  if (!Number.isInteger(options.repeats) || options.repeats < 2) throw new Error(`permutation importance needs at least 2 repeats, not ${options.repeats}`);
  const score = metricFunction(options.metric);
  const random = seededRandom(options.seed);

  const call = async (rows: number[][]): Promise<number[]> => {
    const out = await predict(rows);
    if (out.length !== rows.length) throw new Error(`the model returned ${out.length} predictions for ${rows.length} rows`);
    return out;
  };
  const baselineScore = score(y, await call(x.map((row) => [...row])));
  let evaluations = n;

  const features: FeatureImportance[] = [];
  for (let j = 0; j < nFeatures; j++) {
    const stacked: number[][] = [];
    for (let r = 0; r < options.repeats; r++) {
      const perm = permutation(n, random);
      for (let i = 0; i < n; i++) {
        const row = [...x[i]!];
        row[j] = x[perm[i]!]![j]!;
        stacked.push(row);
      }
    }
    const predictions = await call(stacked);
    evaluations += stacked.length;
    const values = Array.from({ length: options.repeats }, (_, r) => score(y, predictions.slice(r * n, (r + 1) * n)) - baselineScore);
    features.push({ feature: options.features[j]!, ...meanStd(values), values });
  }
  features.sort((a, b) => b.mean - a.mean);
  return {
    method: 'permutation_importance', metric: options.metric, split: options.split, repeats: options.repeats,
    baselineScore, features, evaluations,
  };
}
