/**
 * The data half of a pipeline: load the CSV → filter → sort → lags → split → standardize, with an account of
 * the rows each step keeps.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StepAccount } from '../../../protocol/protocol';
import { parseCsv } from '../data/csv';
import { subset, toDataset, type Dataset } from '../data/dataset';
import { DataError } from '../data/errors';
import { addLags } from '../data/lags';
import { filterRows, sortRows } from '../data/rows';
import { splitRows } from '../data/split';
import { fitPreprocessing, type FittedPreprocessing } from '../data/standardize';
import { isNumericColumn, type Table } from '../data/table';
import { encodeTableTarget } from '../models/labels';
import { recipeFromSpec, usesFramePipeline } from '../data/frame/fromSpec';
import { isParquetPath } from '../data/frame/parquet';
import { loadDataFrame } from '../data/frame/source';
import { featureMatrix, prepareFrame, type PreparedFrame, type Recipe, type SavedDataPipeline } from '../data/frame/recipe';
import { fitScaler } from '../data/standardize';
import { describeRelativeTarget, relativeBase, toRelativeTarget } from '../data/frame/targetTransform';
import { resolveDataPath } from '../spec/check';
import { featureNames, lagFeatureName } from '../spec/features';
import type { PipelineSpec, SplitStep, StandardizeStep } from '../spec/types';

export interface PreparedData {
  dataPath: string;
  dataSha256: string;
  /** Rows of the CSV file (without the header). */
  csvRows: number;
  /** The table after filter, sort and lags (row-table path only). */
  table?: Table;
  /** Every usable sample, raw units. */
  all: Dataset;
  train: Dataset;
  validation: Dataset;
  fitted: FittedPreprocessing;
  /** Classification: the class labels; `y` then holds indices into them. */
  classes?: string[];
  /** The naive baseline's predictions of the validation targets, in the target's units. */
  baseline: { name: string; validation: number[] };
  steps: StepAccount[];
  /** The test part, when the split has one (columnar path). */
  test?: Dataset;
  /** One-hot groups: original column → its indicator features. */
  groups?: Record<string, string[]>;
  /** The saved data pipeline (columnar path): written beside the model, reapplied to the raw CSV to explain it. */
  dataPipeline?: SavedDataPipeline;
  /**
   * `split: {method: kfold}`: the folds, each prepared on its own (fitted steps and target scaling learned on the
   * fold's training rows only). `train` above is then every row (the final model) and `validation` every row too.
   */
  crossValidation?: { k: number; seed: number; stratified: boolean; folds: FoldData[] };
}

/** One fold of k-fold evaluation: its parts, features as that fold's fitted steps make them, and its baseline. */
export interface FoldData { train: Dataset; validation: Dataset; fitted: FittedPreprocessing; baseline: PreparedData['baseline'] }

const DEFAULT_SPLIT: SplitStep['split'] = { method: 'chronological', validation: 0.2 };

/** sha256 of a file's bytes, hex. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Runs the spec's data steps. Lag steps run in their order; then the split (the spec's, else chronological
 * 20 %); then standardization fitted on the training part only.
 * The baseline is the last known value (the target's lag 1) when the target is lagged, else the training mean.
 * @throws DataError (file, line, column) for bad data; Error for impossible splits or unknown columns.
 */
export function prepareData(spec: PipelineSpec, specPath: string, onLoaded?: (ms: number) => void): PreparedData {
  const started = Date.now();
  const dataPath = resolveDataPath(specPath, spec.data.source);
  let bytes: Buffer;
  try {
    bytes = readFileSync(dataPath);
  } catch (e) {
    throw new DataError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dataPath });
  }
  // Parquet sources always take the columnar path (the row-table path reads CSV text).
  if (usesFramePipeline(spec) || isParquetPath(dataPath)) return prepareColumnar(spec, dataPath, bytes, started, onLoaded);
  let table = parseCsv(bytes.toString('utf8'), dataPath);
  const csvRows = table.rows.length;
  const steps: StepAccount[] = [{ step: 'load', rowsIn: csvRows, rowsOut: csvRows, detail: `${table.columns.length} columns: ${table.columns.join(', ')}` }];
  onLoaded?.(Date.now() - started);

  if (spec.data.filter?.length) {
    const r = filterRows(table, spec.data.filter);
    table = r.table; steps.push(r.account);
  }
  if (spec.data.sort) {
    const r = sortRows(table, spec.data.sort);
    table = r.table; steps.push(r.account);
  }
  let split = DEFAULT_SPLIT;
  let standardize: StandardizeStep['standardize'] | undefined;
  for (const step of spec.preprocessing ?? []) {
    if ('lags' in step) {
      const r = addLags(table, step.lags);
      table = r.table; steps.push(r.account);
    } else if ('split' in step) split = step.split;
    else if ('standardize' in step) standardize = step.standardize;
  }

  let classes: string[] | undefined;
  if (spec.task === 'classification') {
    if (standardize?.target) throw new DataError('standardize.target does not apply to classification: the target is a class label', { file: dataPath, column: spec.data.target });
    const encoded = encodeTableTarget(table, spec.data.target);
    table = encoded.table; classes = encoded.classes;
  }
  const numeric = table.columns.filter((c) => isNumericColumn(table, c));
  const features = featureNames(spec, numeric);
  if (features.length === 0) throw new DataError('no features: the data has no numeric column besides the target', { file: dataPath });
  const all = toDataset(table, features, spec.data.target);
  if (all.x.length < 2) {
    throw new DataError(`only ${all.x.length} row(s) remain after the filter, sort and lag steps; at least 2 are needed`, { file: dataPath });
  }
  const s = splitRows(all.x.length, split, spec.training.seed);
  steps.push(s.account);
  const train = subset(all, s.indices.train);
  const validation = subset(all, s.indices.validation);
  // A relative target (data.target_transform): the standardization is fitted on what the model learns.
  const relative = spec.data.target_transform;
  if (relative && classes) throw new DataError('target_transform does not apply to classification: the target is a class label', { file: dataPath, column: spec.data.target });
  const yLearned = relative ? toRelativeTarget(relative, train.y, relativeBase(relative, features, train.x, { file: dataPath, lines: train.lines })) : train.y;
  const st = fitPreprocessing(train.x, yLearned, features, spec.data.target, standardize);
  if (relative) {
    st.fitted.target_transform = { method: relative.method, relative_to: relative.relative_to };
    steps.push({ step: 'target_transform', rowsIn: all.x.length, rowsOut: all.x.length, detail: describeRelativeTarget(relative, spec.data.target) });
  }
  if (st.account) steps.push(st.account);

  const lag1 = lagFeatureName(spec.data.target, 1);
  let baseline: PreparedData['baseline'];
  if (table.columns.includes(lag1)) {
    const lagged = toDataset(table, [lag1], spec.data.target);
    baseline = { name: `last value (${lag1})`, validation: s.indices.validation.map((i) => lagged.x[i]![0]!) };
  } else {
    const mean = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    baseline = { name: 'training mean', validation: validation.y.map(() => mean) };
  }
  return { dataPath, dataSha256: sha256(bytes), csvRows, table, all, train, validation, fitted: st.fitted, baseline, steps, ...(classes ? { classes } : {}) };
}

/**
 * The columnar path (server/src/data/frame): load with type inference, the recipe's row steps, the split, the
 * fitted steps (on the training rows only), label encoding for classification. The features come out already
 * transformed, so `fitted` only carries the target's standardization when the spec asks for it.
 * Baseline: regression → the target's nearest lag when present (lag 1, or lag h under a horizon h), else the
 * training mean; classification → the most frequent training class (its index).
 * k-fold: the whole is prepared with every row as training rows (the final model; validation then = every row,
 * in-sample, for the explanations), and each fold again from the loaded rows with its own fitted steps.
 */
function prepareColumnar(spec: PipelineSpec, dataPath: string, bytes: Buffer, started: number, onLoaded?: (ms: number) => void): PreparedData {
  const { recipe, load, standardizeTarget } = recipeFromSpec(spec);
  if (spec.data.target_transform) {
    throw new DataError('target_transform works with the lags, split and standardize steps only (its base must be a raw, unscaled feature)', { file: dataPath, column: spec.data.target_transform.relative_to });
  }
  const { frame, info } = loadDataFrame(dataPath, load, bytes);
  onLoaded?.(Date.now() - started);
  const p = prepareFrame(frame, recipe, info, load);
  const whole = frameDatasets(p, recipe, standardizeTarget, p.folds ? p.parts.train : undefined);
  if (!p.folds && whole.validation.x.length === 0) throw new DataError('the split leaves no validation row', { file: dataPath });
  let crossValidation: PreparedData['crossValidation'];
  if (p.folds) {
    const split = (spec.preprocessing ?? []).find((st): st is SplitStep => 'split' in st)!.split;
    const folds = p.folds.map((fold, i) => {
      const q = prepareFrame(frame, recipe, info, load, fold);
      if (recipe.task === 'classification' && q.classes!.join('\n') !== p.classes!.join('\n')) {
        const lacking = p.classes!.filter((c) => !q.classes!.includes(c));
        throw new DataError(`k-fold: the training rows of fold ${i + 1} have no '${lacking.join("', '")}' row: use fewer folds`, { file: dataPath, column: recipe.target });
      }
      const d = frameDatasets(q, recipe, standardizeTarget);
      return { train: d.train, validation: d.validation, fitted: d.fitted, baseline: d.baseline };
    });
    crossValidation = { k: p.folds.length, seed: split.seed ?? spec.training.seed, stratified: recipe.task === 'classification', folds };
  }
  return {
    dataPath, dataSha256: sha256(bytes), csvRows: info.rows, ...whole, steps: p.steps,
    classes: p.classes, groups: p.groups, dataPipeline: p.saved, ...(crossValidation ? { crossValidation } : {}),
  };
}

/** The datasets of a prepared frame, its target scaling and its baseline; `validationRows` overrides the validation part. */
function frameDatasets(p: PreparedFrame, recipe: Recipe, standardizeTarget: boolean, validationRows?: number[]): Pick<PreparedData, 'all' | 'train' | 'validation' | 'test' | 'fitted' | 'baseline'> {
  const x = featureMatrix(p.frame, p.features);
  const all: Dataset = { features: p.features, target: recipe.target, x, y: Array.from(p.y), lines: Array.from(p.frame.lines) };
  const rows = validationRows ?? p.parts.validation;
  const train = subset(all, p.parts.train);
  const validation = subset(all, rows);
  const test = p.parts.test.length ? subset(all, p.parts.test) : undefined;
  const fitted: FittedPreprocessing = { version: 1, features: [...p.features], target: recipe.target, standardize: { features: {} } };
  if (standardizeTarget && recipe.task === 'regression') fitted.standardize.target = fitScaler(train.y);
  let baseline: PreparedData['baseline'];
  // The last known value: the target's nearest lag (lag h under a forecast horizon h, so lag 1 by default).
  const lagK = (name: string) => (name.startsWith(`${recipe.target}_lag`) && /^\d+$/.test(name.slice(recipe.target.length + 4)) ? Number(name.slice(recipe.target.length + 4)) : Infinity);
  const nearest = Math.min(...p.frame.columns.map((c) => lagK(c.name)));
  const lag1 = Number.isFinite(nearest) ? lagFeatureName(recipe.target, nearest) : undefined;
  if (recipe.task === 'classification') {
    const counts = new Map<number, number>();
    for (const c of train.y) counts.set(c, (counts.get(c) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    baseline = { name: `most frequent class (${p.classes![top]})`, validation: validation.y.map(() => top) };
  } else if (lag1) {
    const lagged = featureMatrix(p.frame, [lag1], rows);
    baseline = { name: `last value (${lag1})`, validation: lagged.map((r) => r[0]!) };
  } else {
    const mean = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    baseline = { name: 'training mean', validation: validation.y.map(() => mean) };
  }
  return { all, train, validation, test, fitted, baseline };
}
