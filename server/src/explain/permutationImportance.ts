/**
 * Permutation feature importance, model-agnostic: how much worse a fitted model scores when one feature's
 * values are shuffled across the rows, which breaks the feature's link with the target while keeping its
 * distribution (Breiman 2001, "Random Forests", §10; Fisher, Rudin & Dominici 2019, "All Models are Wrong, but
 * Many are Useful", model reliance). The importance of feature j is the mean over `repeats` permutations of the
 * loss increase: score(permuted j) − score(unpermuted) for a lower-is-better metric, the decrease for a
 * higher-is-better one (r2, accuracy). A feature the model ignores scores 0 and a harmful one below 0.
 * A group of columns (a one-hot encoding, a set of lags) can be permuted together, with one permutation of the
 * rows applied to all its columns, so that the group's joint importance is measured.
 */
import type { FeatureImportance, PermutationImportanceResult } from '../../../protocol/protocol';
import { denseFromRows, denseRowSlice, denseZeros, rowsOfDense, type DenseMatrix } from '../models/denseMatrix';
import type { FittedModel } from '../models/model';
import { mean, predictDenseOnce, sampleStd, studentTQuantile } from './common';
import { scorerOf, type ScorerName } from './scorers';
import { shuffleInto, shuffleState } from './shuffle';

/**
 * A fitted model as a function: x [n_samples, n_features] → predictions [n_samples] in the target's units, or
 * [n_samples, n_outputs] (class probabilities for classification).
 */
export type PredictFunction = (x: number[][]) => number[] | number[][] | Promise<number[] | number[][]>;

export interface FeatureGroup {
  /** Name reported for the group. */
  name: string;
  /** Columns (names from `features`) permuted together. */
  columns: readonly string[];
}

export interface PermutationImportanceOptions {
  /** Names of the columns of x, in order. */
  features: readonly string[];
  /** Permutations per feature (at least 2, so that the spread is defined). */
  repeats: number;
  /**
   * rmse, mae (target units), mse (squared units), r2; for classification (y = class indices, predictions =
   * probabilities) accuracy, balanced_accuracy, log_loss.
   */
  metric: ScorerName;
  /** Seed of the permutations. */
  seed: number;
  /** Which part x comes from, recorded in the result. */
  split: 'validation' | 'train';
  /** Groups permuted together; when given, only these groups are scored (default: each feature on its own). */
  groups?: readonly FeatureGroup[];
  /** Level of the confidence interval of each mean (default 0.95). */
  confidenceLevel?: number;
  /** Most rows per predict call (default 16 384); a call holds whole repeats, at least one. */
  batchRows?: number;
}

function populationStd(values: readonly number[]): number {
  // Population standard deviation (ddof = 0), as scikit-learn's permutation_importance reports it.
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
}

/** A predict function's output ([n] or [n, n_outputs]) as a dense [n, n_outputs] matrix. */
function denseOutput(out: number[] | number[][], rows: number): DenseMatrix {
  if (out.length !== rows) throw new Error(`the model returned ${out.length} predictions for ${rows} rows`);
  if (out.length === 0 || Array.isArray(out[0])) return denseFromRows(out as number[][], (out[0] as number[] | undefined)?.length ?? 1, 'the model\'s predictions');
  return { data: Float64Array.from(out as number[]), rows, cols: 1 };
}

function groupsOf(options: PermutationImportanceOptions): { name: string; columns: number[]; names: string[] }[] {
  if (!options.groups) return options.features.map((f, j) => ({ name: f, columns: [j], names: [f] }));
  if (options.groups.length === 0) throw new Error('permutation importance: `groups` is empty');
  return options.groups.map((g) => {
    if (g.columns.length === 0) throw new Error(`permutation importance: group ${g.name} has no columns`);
    const columns = g.columns.map((c) => {
      const j = options.features.indexOf(c);
      if (j < 0) throw new Error(`permutation importance: group ${g.name} names an unknown feature ${c} (features: ${options.features.join(', ')})`);
      return j;
    });
    return { name: g.name, columns, names: [...g.columns] };
  });
}

/**
 * Permutation importance of every feature (or group) of x [n_samples, n_features] with true values y
 * [n_samples] (class indices for classification metrics). The permutations of one feature or group are
 * stacked into as few predict calls as `batchRows` allows: ONE call of repeats · n_samples rows when that fits
 * (then the model is called n_groups + 1 times), else one call per ⌊batchRows / n_samples⌋ repeats.
 * @param model a predict function or a `FittedModel` (its [n, n_outputs] predictions).
 * @returns features (or groups) sorted by decreasing mean importance, each with its per-repeat values, the
 *   population std (as scikit-learn) and a Student-t confidence interval of the mean; `evaluations` counts the
 *   rows predicted (n_samples · (1 + n_groups · repeats)).
 * @throws Error when shapes disagree, x is empty, repeats < 2, a group names an unknown feature, or predict
 *   returns the wrong number of values.
 */
export async function permutationImportance(
  model: PredictFunction | FittedModel, x: readonly (readonly number[])[], y: readonly number[], options: PermutationImportanceOptions,
): Promise<PermutationImportanceResult> {
  const n = x.length;
  const nFeatures = options.features.length;
  if (n === 0) throw new Error('permutation importance needs at least one sample');
  if (y.length !== n) throw new Error(`permutation importance: ${n} rows of x but ${y.length} target values`);
  const bad = x.findIndex((row) => row.length !== nFeatures);
  if (bad >= 0) throw new Error(`permutation importance: every row of x must have ${nFeatures} values (row ${bad} has ${x[bad]!.length})`);
  if (!Number.isInteger(options.repeats) || options.repeats < 2) throw new Error(`permutation importance needs at least 2 repeats, not ${options.repeats}`);
  const level = options.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`permutation importance: confidenceLevel must be in (0, 1), not ${level}`);
  const scorer = scorerOf(options.metric);
  const sign = scorer.greaterIsBetter ? -1 : 1;
  const groups = groupsOf(options);
  const draws = shuffleState(options.seed);
  // Every call goes through a dense [rows, n_features] buffer: a FittedModel gets it as is (`predictDense`), a
  // predict function gets it as rows.
  const call = typeof model === 'function'
    ? async (m: DenseMatrix): Promise<DenseMatrix> => denseOutput(await model(rowsOfDense(m)), m.rows)
    : (m: DenseMatrix): Promise<DenseMatrix> => predictDenseOnce(model, m);
  // Permutations are stacked into predict calls of at most `batchRows` rows (all repeats of a group at once when
  // they fit, else whole repeats per call), in one contiguous buffer of x copies reused for every group: only the
  // group's columns are overwritten with permuted values and restored afterwards.
  const perCall = Math.max(1, Math.min(options.repeats, Math.floor((options.batchRows ?? 16_384) / n)));
  const perm = new Int32Array(n);
  const d = nFeatures;
  const buffer = denseZeros(perCall * n, d);
  const buf = buffer.data;
  buf.set(denseFromRows(x, d, 'permutation importance').data);
  for (let r = 1; r < perCall; r++) buf.copyWithin(r * n * d, 0, n * d);
  // Each column as one contiguous array: permuted reads hit 8·n bytes instead of n scattered rows.
  const columns = Array.from({ length: d }, (_, j) => { const c = new Float64Array(n); for (let i = 0; i < n; i++) c[i] = buf[i * d + j]!; return c; });
  // The first n rows of the buffer are x itself until the first permutation.
  const baselineScore = scorer.scoreDense(y, await call(denseRowSlice(buffer, 0, n)));
  let evaluations = n;
  const t = studentTQuantile(0.5 + level / 2, options.repeats - 1);
  const features: FeatureImportance[] = [];
  for (const group of groups) {
    const values: number[] = [];
    for (let done = 0; done < options.repeats; done += perCall) {
      const count = Math.min(perCall, options.repeats - done);
      for (let r = 0; r < count; r++) {
        shuffleInto(perm, draws);
        for (const j of group.columns) {
          const column = columns[j]!;
          for (let i = 0, o = r * n * d + j; i < n; i++, o += d) buf[o] = column[perm[i]!]!;
        }
      }
      const rows = count === perCall ? buffer : denseRowSlice(buffer, 0, count * n);
      const predictions = await call(rows);
      evaluations += rows.rows;
      for (let r = 0; r < count; r++) values.push(sign * (scorer.scoreDense(y, denseRowSlice(predictions, r * n, (r + 1) * n)) - baselineScore));
    }
    for (const j of group.columns) {
      const column = columns[j]!;
      for (let r = 0; r < perCall; r++) for (let i = 0, o = r * n * d + j; i < n; i++, o += d) buf[o] = column[i]!;
    }
    const m = mean(values);
    const half = t * sampleStd(values) / Math.sqrt(values.length);
    const entry: FeatureImportance = { feature: group.name, mean: m, std: populationStd(values), values, ci: [m - half, m + half] };
    if (options.groups) entry.columns = group.names;
    features.push(entry);
  }
  features.sort((a, b) => b.mean - a.mean);
  return {
    method: 'permutation_importance', metric: options.metric, split: options.split, repeats: options.repeats,
    confidenceLevel: level, baselineScore, features, evaluations,
  };
}
