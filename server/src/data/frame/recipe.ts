/**
 * A data pipeline (the "recipe"): steps run in order on a loaded Frame. Steps before the split fit nothing (row
 * filters, windows, date parts…); the split then fixes the training rows; every later step is FITTED on the
 * training rows only and applied to all rows. The result keeps the fitted steps as JSON (`SavedDataPipeline`),
 * so that `reapplyPipeline` turns the raw CSV into exactly the same features later (explaining a saved model).
 */
import { DataError } from '../errors';
import type { DataStepAccount } from './account';
import { applyFitted, fitClip, fitDropColumns, fitImpute, fitMinMax, fitOneHot, fitStandardize, type FittedStep, type ImputeStrategy, type UnseenRule } from './fitted';
import { getColumn, missingCount, rowCount, type ColumnKind, type Frame } from './frame';
import { loadCsvFrame, parseCsvFrame, type LoadInfo, type LoadOptions } from './load';
import { loadDataFrame } from './source';
import { dropDuplicates, dropMissingRows, filterFrame, sortFrame, type RowFilter } from './rowSteps';
import { fitCorrelationFilter, fitKBest, fitVarianceThreshold } from './select';
import { kFold, splitFrameRows, type SplitMethod, type SplitParts } from './splits';
import { assertTargetComplete, encodeTarget, fitLabelEncoder, numericTarget } from './target';
import { datePartsFrame, diffFrame, lagFrame, rollingFrame, type DatePart, type RollingStat } from './windows';

export type DataStep =
  | { filter: RowFilter[] }
  | { sort: { columns: string[]; descending?: boolean } }
  | { drop_duplicates: { columns?: string[] } }
  | { drop_missing: { columns?: string[]; max_share?: number } }
  | { date_parts: { column: string; parts: DatePart[] } }
  | { lags: { column: string; count: number; group_by?: string; horizon?: number } }
  | { rolling: { column: string; window: number; stats: RollingStat[]; group_by?: string; horizon?: number } }
  | { diff: { column: string; periods?: number; group_by?: string; horizon?: number } }
  | { returns: { column: string; periods?: number; group_by?: string; horizon?: number } }
  | { split: SplitConfig }
  | { drop_columns: { max_missing: number } }
  | { impute: { strategy: ImputeStrategy; value?: number | string; columns?: string[] } }
  | { clip: { method: 'iqr' | 'zscore'; factor?: number; columns?: string[] } }
  | { one_hot: { columns?: string[]; unseen?: UnseenRule } }
  | { standardize: { columns?: string[] } }
  | { min_max: { columns?: string[] } }
  | { variance_threshold: { threshold: number } }
  | { correlation_filter: { threshold: number } }
  | { k_best: { k: number; score?: 'f_test' | 'mutual_info' } };

/** A holdout split (`validation`, `test` fractions), or k-fold (`k` folds; the final fit then uses every row). */
export interface SplitConfig { method: SplitMethod | 'kfold'; validation?: number; test?: number; seed?: number; k?: number }

/** One fold of k-fold: its held-out rows and the others, ascending row indices after the row steps. */
export interface Fold { train: number[]; validation: number[] }

export type DataTask = 'regression' | 'classification';

export interface Recipe {
  target: string;
  task: DataTask;
  /** The model's input columns before encoding; default: every column but the target, raw dates and group keys. */
  features?: string[];
  steps: DataStep[];
  /** Seed of random and stratified splits when the split step has none. */
  seed: number;
}

/** The saved, versioned pipeline: enough to rebuild the features from the raw CSV. */
export interface SavedDataPipeline {
  format: 'xai-data-pipeline';
  version: 1;
  load: { delimiter: string; missing?: string[]; types: Record<string, ColumnKind>; dateFormats?: Record<string, string> };
  /** The steps that fit nothing, in order (run again as they are). */
  rowSteps: DataStep[];
  /** The fitted steps, in order, with their training statistics. */
  fitted: FittedStep[];
  /** The model's input columns, in order. */
  features: string[];
  /** One-hot groups: original column → its indicator features, so the group can be explained as one feature. */
  groups: Record<string, string[]>;
  target: { column: string; task: DataTask; classes?: string[] };
}

export interface PreparedFrame {
  /** All rows after the row steps, with the final feature columns. */
  frame: Frame;
  parts: SplitParts;
  features: string[];
  groups: Record<string, string[]>;
  /** [n_rows] target: numbers, or class indices into `classes`. */
  y: Float64Array | Int32Array;
  classes?: string[];
  saved: SavedDataPipeline;
  steps: DataStepAccount[];
  /** k-fold only: the folds (the parts above then train on every row and validate on none). */
  folds?: Fold[];
}

const FITTED = new Set(['drop_columns', 'impute', 'clip', 'one_hot', 'standardize', 'min_max', 'variance_threshold', 'correlation_filter', 'k_best']);
const stepName = (s: DataStep) => Object.keys(s)[0]!;

/** Runs a step that fits nothing. */
export function runRowStep(frame: Frame, step: DataStep): { frame: Frame; account: DataStepAccount } {
  if ('filter' in step) return filterFrame(frame, step.filter);
  if ('sort' in step) return sortFrame(frame, step.sort.columns, step.sort.descending);
  if ('drop_duplicates' in step) return dropDuplicates(frame, step.drop_duplicates.columns);
  if ('drop_missing' in step) return dropMissingRows(frame, { columns: step.drop_missing.columns, maxShare: step.drop_missing.max_share });
  if ('date_parts' in step) return datePartsFrame(frame, step.date_parts.column, step.date_parts.parts);
  if ('lags' in step) return lagFrame(frame, step.lags);
  if ('rolling' in step) return rollingFrame(frame, step.rolling);
  if ('diff' in step) return diffFrame(frame, step.diff);
  if ('returns' in step) return diffFrame(frame, { ...step.returns, returns: true });
  throw new Error(`not a row step: ${stepName(step)}`);
}

/** The features (listed, or every column but the target, raw dates and group keys) and why the others are not. */
function chooseFeatures(frame: Frame, recipe: Recipe): { features: string[]; leftOut: string[] } {
  const groupKeys = new Set(recipe.steps.flatMap((s) => {
    const w = ('lags' in s && s.lags) || ('rolling' in s && s.rolling) || ('diff' in s && s.diff) || ('returns' in s && s.returns);
    return w && w.group_by ? [w.group_by] : [];
  }));
  const leftOut: string[] = [];
  const features: string[] = [];
  for (const c of frame.columns) {
    if (c.name === recipe.target) continue;
    const why = recipe.features ? (recipe.features.includes(c.name) ? '' : 'not listed in features')
      : c.kind === 'date' ? 'a raw date: date_parts makes features of it' : groupKeys.has(c.name) ? 'the group key of a window step' : '';
    if (why) leftOut.push(`${c.name} (${why})`); else if (!recipe.features) features.push(c.name);
  }
  return { features: recipe.features ? [...recipe.features] : features, leftOut };
}

/**
 * Runs the recipe on a loaded frame. With `fold` (k-fold evaluation), the fold's rows replace the split's parts.
 * @throws DataError (with row and column where there is one) for bad data, unknown columns, a missing target,
 *   a fitted step before the split, a row step after it, a categorical feature left unencoded, a missing value
 *   left in a feature.
 */
export function prepareFrame(input: Frame, recipe: Recipe, loadInfo: LoadInfo, load: LoadOptions = {}, fold?: Fold): PreparedFrame {
  let frame = input;
  const steps: DataStepAccount[] = [];
  const rowSteps: DataStep[] = [];
  const fitted: FittedStep[] = [];
  const file = frame.file;
  const missingTotal = Object.values(loadInfo.missing).reduce((a, b) => a + b, 0);
  steps.push({
    step: 'load', rowsIn: loadInfo.rows, rowsOut: loadInfo.rows,
    detail: `${frame.columns.length} columns (${frame.columns.map((c) => `${c.name}: ${c.kind}`).join(', ')}); delimiter '${loadInfo.delimiter === '\t' ? '\\t' : loadInfo.delimiter}'; ${missingTotal} missing cells`,
  });
  getColumn(frame, recipe.target);

  let i = 0;
  for (; i < recipe.steps.length && !('split' in recipe.steps[i]!) && !FITTED.has(stepName(recipe.steps[i]!)); i++) {
    const r = runRowStep(frame, recipe.steps[i]!);
    frame = r.frame; steps.push(r.account); rowSteps.push(recipe.steps[i]!);
  }
  const at = recipe.steps[i];
  const splitStep: SplitConfig | undefined = at && 'split' in at ? at.split : undefined;
  if (splitStep) i++;
  const n = rowCount(frame);
  if (n < 2) throw new DataError(`only ${n} row(s) remain after the row steps; at least 2 are needed`, { file });

  // The target: complete, and for classification its classes (stratification needs them before the split).
  const targetCol = getColumn(frame, recipe.target);
  if (recipe.task === 'regression') numericTarget(frame, recipe.target);
  else if (missingCount(targetCol) > 0) assertTargetComplete(frame, recipe.target);
  const rawClasses = recipe.task === 'classification' ? stratifyCodes(frame, recipe.target) : undefined;

  const split: SplitConfig = splitStep ?? { method: recipe.task === 'classification' ? 'stratified' : 'chronological', validation: 0.2 };
  let s: { parts: SplitParts; account: DataStepAccount };
  let folds: Fold[] | undefined;
  if (fold) {
    // One fold of k-fold evaluation: everything after the split is fitted on the fold's training rows.
    s = { parts: { train: fold.train, validation: fold.validation, test: [] }, account: { step: 'split', rowsIn: n, rowsOut: n, detail: `one fold: ${fold.train.length} training, ${fold.validation.length} validation` } };
  } else if (split.method === 'kfold') {
    const k = split.k ?? 5;
    const seed = split.seed ?? recipe.seed;
    if (split.test) throw new DataError('split: k-fold has no test part (test must be 0 or absent)', { file });
    folds = kFold(n, k, seed, rawClasses, file);
    const sizes = [...new Set(folds.map((f) => f.validation.length))].sort((a, b) => a - b).join(' or ');
    const all = Array.from({ length: n }, (_, r) => r);
    s = {
      parts: { train: all, validation: [], test: [] },
      account: {
        step: 'split', rowsIn: n, rowsOut: n,
        detail: `k-fold (k = ${k}, ${rawClasses ? 'stratified by class, ' : ''}seed ${seed}): folds of ${sizes} rows, each validated once by a model fitted on the other rows; the final model is fitted on all ${n} rows`,
      },
    };
  } else {
    s = splitFrameRows(n, { method: split.method, validation: split.validation ?? 0.2, test: split.test, seed: split.seed ?? recipe.seed, classes: rawClasses }, file);
  }
  steps.push(s.account);
  const train = s.parts.train;

  const chosen = chooseFeatures(frame, recipe);
  let features = chosen.features;
  for (const f of features) getColumn(frame, f);
  if (features.includes(recipe.target)) throw new DataError(`the target '${recipe.target}' cannot also be a feature`, { file, column: recipe.target });
  const groups: Record<string, string[]> = {};
  const numericFeatures = () => features.filter((f) => getColumn(frame, f).kind !== 'categorical' && !Object.values(groups).some((g) => g.includes(f)));

  for (; i < recipe.steps.length; i++) {
    const step = recipe.steps[i]!;
    const name = stepName(step);
    if ('split' in step) throw new DataError('only one split step is allowed', { file });
    if (!FITTED.has(name)) throw new DataError(`the ${name} step must come before the split: it changes rows, and the split fixes them`, { file });
    let f: FittedStep;
    if ('drop_columns' in step) f = fitDropColumns(frame, train, features, step.drop_columns.max_missing);
    else if ('impute' in step) {
      const cols = step.impute.columns ?? features.filter((c) => missingCount(getColumn(frame, c)) > 0);
      const strategy = step.impute.strategy;
      const catCols = cols.filter((c) => getColumn(frame, c).kind === 'categorical');
      const numCols = cols.filter((c) => !catCols.includes(c));
      // Texts have no mean or median: categorical columns take their most frequent category unless constant.
      if (strategy !== 'constant' && catCols.length && numCols.length) {
        const a = fitImpute(frame, train, numCols, strategy);
        const b = fitImpute(frame, train, catCols, 'most_frequent');
        f = a;
        const ra = applyFitted(frame, a); frame = ra.frame; steps.push(ra.account); fitted.push(a);
        f = b;
      } else f = fitImpute(frame, train, cols, catCols.length && strategy !== 'constant' ? 'most_frequent' : strategy, step.impute.value);
    } else if ('clip' in step) f = fitClip(frame, train, step.clip.columns ?? numericFeatures(), step.clip.method, step.clip.factor);
    else if ('one_hot' in step) {
      const cols = step.one_hot.columns ?? features.filter((c) => getColumn(frame, c).kind === 'categorical');
      f = fitOneHot(frame, train, cols, step.one_hot.unseen ?? 'ignore');
    } else if ('standardize' in step) f = fitStandardize(frame, train, step.standardize.columns ?? numericFeatures());
    else if ('min_max' in step) f = fitMinMax(frame, train, step.min_max.columns ?? numericFeatures());
    else {
      assertEncoded(frame, features);
      if ('variance_threshold' in step) f = fitVarianceThreshold(frame, train, features, step.variance_threshold.threshold);
      else if ('correlation_filter' in step) f = fitCorrelationFilter(frame, train, features, step.correlation_filter.threshold);
      else {
        const kb = (step as { k_best: { k: number; score?: 'f_test' | 'mutual_info' } }).k_best;
        const y = trainTarget(frame, recipe, train);
        f = fitKBest(frame, train, features, y, kb.k, kb.score ?? 'f_test', recipe.task === 'classification');
      }
    }
    const r = applyFitted(frame, f);
    frame = r.frame; steps.push(r.account); fitted.push(f);
    features = nextFeatures(features, f, groups);
  }

  assertEncoded(frame, features);
  for (const name of features) {
    const col = getColumn(frame, name);
    const k = col.kind === 'categorical' ? -1 : col.values.findIndex((v) => Number.isNaN(v));
    if (k >= 0) throw new DataError(`a missing value is left in the feature '${name}': add an impute step (or drop_missing before the split)`, { file, line: frame.lines[k], column: name });
  }

  let y: Float64Array | Int32Array;
  let classes: string[] | undefined;
  if (recipe.task === 'classification') {
    classes = fitLabelEncoder(frame, recipe.target, train).classes;
    y = encodeTarget(frame, recipe.target, classes);
    steps.push({ step: 'label_encode', rowsIn: n, rowsOut: n, detail: `${recipe.target}: ${classes.map((c, k) => `${k} = ${c}`).join(', ')} (classes of the training rows)` });
  } else y = numericTarget(frame, recipe.target);
  steps.push({
    step: 'features', rowsIn: n, rowsOut: n,
    detail: `${features.length} features${chosen.leftOut.length ? `; not features: ${chosen.leftOut.join(', ')}` : ''}`,
  });

  const saved: SavedDataPipeline = {
    format: 'xai-data-pipeline', version: 1,
    load: { delimiter: loadInfo.delimiter, missing: load.missing ? [...load.missing] : undefined, types: loadInfo.types, dateFormats: load.dateFormats ? { ...load.dateFormats } : undefined },
    rowSteps, fitted, features, groups, target: { column: recipe.target, task: recipe.task, classes },
  };
  return { frame, parts: s.parts, features, groups, y, classes, saved, steps, ...(folds ? { folds } : {}) };
}

/** Class codes of the raw target, for stratification (sorted texts, so the order does not depend on the file). */
function stratifyCodes(frame: Frame, target: string): Int32Array {
  const col = getColumn(frame, target);
  const n = rowCount(frame);
  const texts = Array.from({ length: n }, (_, i) => (col.kind === 'categorical' ? col.categories[col.codes[i]!]! : String(col.values[i])));
  const classes = [...new Set(texts)].sort();
  return Int32Array.from(texts, (t) => classes.indexOf(t));
}

function trainTarget(frame: Frame, recipe: Recipe, train: readonly number[]): Float64Array | Int32Array {
  if (recipe.task === 'classification') {
    const codes = stratifyCodes(frame, recipe.target);
    return Int32Array.from(train, (r) => codes[r]!);
  }
  const y = numericTarget(frame, recipe.target);
  return Float64Array.from(train, (r) => y[r]!);
}

function assertEncoded(frame: Frame, features: readonly string[]): void {
  for (const name of features) {
    if (getColumn(frame, name).kind === 'categorical') {
      throw new DataError(`the feature '${name}' holds categories: add a one_hot step (or leave it out of the features)`, { file: frame.file, column: name });
    }
  }
}

/** The feature list after a fitted step; one-hot groups follow drops. */
function nextFeatures(features: string[], f: FittedStep, groups: Record<string, string[]>): string[] {
  if (f.step === 'one_hot') {
    for (const [col, { names }] of Object.entries(f.columns)) groups[col] = [...names];
    return features.flatMap((c) => f.columns[c]?.names ?? [c]);
  }
  const dropped = new Set(f.step === 'drop_columns' ? f.columns.map((c) => c.column) : f.step === 'select' ? f.dropped.map((d) => d.column) : []);
  if (!dropped.size) return features;
  for (const g of Object.keys(groups)) {
    groups[g] = groups[g]!.filter((c) => !dropped.has(c));
    if (!groups[g]!.length) delete groups[g];
  }
  return features.filter((c) => !dropped.has(c));
}

/** Loads a CSV and runs the recipe. @throws DataError as loadCsvFrame and prepareFrame. */
export function prepareCsv(path: string, recipe: Recipe, load: LoadOptions = {}): PreparedFrame {
  const { frame, info } = loadCsvFrame(path, load);
  return prepareFrame(frame, recipe, info, load);
}

/** The feature matrix [n_rows, n_features] of some rows (all when `rows` is omitted). */
export function featureMatrix(frame: Frame, features: readonly string[], rows?: readonly number[]): number[][] {
  const cols = features.map((f) => (getColumn(frame, f) as { values: Float64Array }).values);
  const idx = rows ?? Array.from({ length: rowCount(frame) }, (_, i) => i);
  return idx.map((r) => cols.map((c) => c[r]!));
}

/**
 * Rebuilds the features from the raw CSV (or Parquet file, by its extension) with a saved pipeline: the training-time column types, the row steps
 * again, then every fitted step with its saved statistics (nothing is refitted).
 * @returns the frame after all steps, and x [n_rows, n_features] in the saved feature order.
 * @throws DataError as loading, and for a category unseen in training under `unseen: error`.
 */
export function reapplyPipeline(saved: SavedDataPipeline, csv: { path: string } | { text: string; file: string }): { frame: Frame; x: number[][] } {
  if (saved.format !== 'xai-data-pipeline' || saved.version !== 1) throw new Error(`not a version 1 data pipeline: ${saved.format} ${saved.version}`);
  const load: LoadOptions = { delimiter: saved.load.delimiter, missing: saved.load.missing, types: saved.load.types, dateFormats: saved.load.dateFormats };
  let { frame } = 'path' in csv ? loadDataFrame(csv.path, load) : parseCsvFrame(csv.text, csv.file, load);
  for (const step of saved.rowSteps) frame = runRowStep(frame, step).frame;
  for (const f of saved.fitted) frame = applyFitted(frame, f).frame;
  return { frame, x: featureMatrix(frame, saved.features) };
}
