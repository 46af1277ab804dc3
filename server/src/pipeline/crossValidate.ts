/**
 * k-fold evaluation for small data, as scikit-learn's `cross_validate` does it: for each fold, a model is trained
 * on the other folds' rows (whose fitted steps learned on those rows only: ./prepare.ts) and scored on the fold;
 * each metric is reported as mean ± std over the folds, beside the baseline's. The saved model is fitted
 * separately on every row. The out-of-fold predictions (every row predicted once, by the model that did not see
 * it) also give the run's `metrics`, as `cross_val_predict` would.
 */
import type { ClassificationMetrics, CrossValidationReport, FoldMetric, RegressionMetrics, RunReport } from '../../../protocol/protocol';
import { inverseTarget, transformFeatures, transformTarget } from '../data/standardize';
import { classificationMetrics, majorityBaseline, regressionMetrics } from '../models/metrics';
import { trainModel } from '../models/train';
import type { PipelineSpec } from '../spec/types';
import type { PreparedData } from './prepare';

export interface CrossValidationResult {
  report: CrossValidationReport;
  /** The run's metrics from the out-of-fold predictions of every row. */
  metrics: RunReport['metrics'];
  /** [n_rows] out-of-fold prediction per row (class index or target value) and the baseline's, in row order. */
  predictions: number[];
  baseline: PreparedData['baseline'];
}

const CLASSIFICATION_KEYS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'logLoss', 'rocAuc'] as const;

function pick(m: ClassificationMetrics | RegressionMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  const keys = 'accuracy' in m ? CLASSIFICATION_KEYS : (['rmse', 'mae', 'r2'] as const);
  for (const key of keys) { const v = (m as unknown as Record<string, number | null>)[key]; if (typeof v === 'number') out[key] = v; }
  return out;
}

/** Mean and population std of each metric present in every fold. */
function summarize(folds: Record<string, number>[]): Record<string, FoldMetric> {
  const out: Record<string, FoldMetric> = {};
  for (const key of Object.keys(folds[0] ?? {})) {
    if (!folds.every((f) => key in f)) continue;
    const values = folds.map((f) => f[key]!);
    // Equal values (a baseline's, often) get their value and a std of exactly 0, not a rounding residue.
    if (values.every((v) => v === values[0])) { out[key] = { mean: values[0]!, std: 0, values }; continue; }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    out[key] = { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length), values };
  }
  return out;
}

/**
 * Trains and scores one model per fold of `data.crossValidation` (from a `split: {method: kfold}` spec).
 * Rows are those of `data.all`: fold validation rows are mapped back to them by their file line.
 * @throws Error when the data has no folds; the errors of trainModel.
 */
export async function crossValidate(spec: PipelineSpec, data: PreparedData, onFold?: (fold: number, k: number) => void): Promise<CrossValidationResult> {
  const cv = data.crossValidation;
  if (!cv) throw new Error('crossValidate: the data has no folds (split method kfold)');
  const classification = spec.task === 'classification';
  const classes = data.classes;
  const n = data.all.y.length;
  const rowOfLine = new Map(data.all.lines.map((line, i) => [line, i]));
  const oof: number[] = new Array<number>(n).fill(NaN);
  const oofProbabilities: number[][] = new Array<number[]>(n);
  const oofBaseline: number[] = new Array<number>(n).fill(NaN);
  const oofBaselineProbabilities: number[][] = new Array<number[]>(n);
  const folds: CrossValidationReport['folds'] = [];
  for (const [f, fold] of cv.folds.entries()) {
    onFold?.(f, cv.k);
    const { train, validation, fitted } = fold;
    const xVal = transformFeatures(fitted, validation.x);
    const trained = await trainModel(
      spec,
      { x: transformFeatures(fitted, train.x), y: classification ? train.y : transformTarget(fitted, train.y, train.x) },
      { x: xVal, y: classification ? validation.y : transformTarget(fitted, validation.y, validation.x) },
      classes,
    );
    try {
      const rows = validation.lines.map((line) => rowOfLine.get(line)!);
      if (classification) {
        const probabilities = await trained.model.predict(xVal);
        const predicted = trained.predictClass?.(xVal) ?? probabilities.map((r) => r.indexOf(Math.max(...r)));
        const base = majorityBaseline(train.y, classes!.length, validation.y.length);
        rows.forEach((r, i) => {
          oof[r] = predicted[i]!; oofProbabilities[r] = probabilities[i]!;
          oofBaselineProbabilities[r] = base[i]!; oofBaseline[r] = base[i]!.indexOf(Math.max(...base[i]!));
        });
        folds.push({
          trainRows: train.y.length, validationRows: validation.y.length,
          model: pick(classificationMetrics(validation.y, probabilities, classes!, trained.predictClass ? predicted : undefined)),
          baseline: pick(classificationMetrics(validation.y, base, classes!)),
        });
      } else {
        const predicted = inverseTarget(fitted, (await trained.model.predict(xVal)).map((r) => r[0]!), validation.x);
        rows.forEach((r, i) => { oof[r] = predicted[i]!; oofBaseline[r] = fold.baseline.validation[i]!; });
        folds.push({
          trainRows: train.y.length, validationRows: validation.y.length,
          model: pick(regressionMetrics(validation.y, predicted)), baseline: pick(regressionMetrics(validation.y, fold.baseline.validation)),
        });
      }
    } finally {
      trained.dispose();
    }
  }
  const y = data.all.y;
  const baselineName = classification ? 'majority class of each fold\'s training rows' : `${cv.folds[0]!.baseline.name} (per fold)`;
  let metrics: RunReport['metrics'];
  if (classification) {
    const oneHot = y.flatMap((c) => classes!.map((_, k) => (k === c ? 1 : 0)));
    metrics = {
      split: 'validation',
      model: regressionMetrics(oneHot, oofProbabilities.flat()),
      baseline: { name: baselineName, ...regressionMetrics(oneHot, oofBaselineProbabilities.flat()) },
      classification: {
        model: classificationMetrics(y, oofProbabilities, classes!, oof),
        baseline: { name: baselineName, ...classificationMetrics(y, oofBaselineProbabilities, classes!) },
      },
    };
  } else {
    metrics = { split: 'validation', model: regressionMetrics(y, oof), baseline: { name: baselineName, ...regressionMetrics(y, oofBaseline) } };
  }
  return {
    report: {
      method: 'kfold', k: cv.k, seed: cv.seed, stratified: cv.stratified,
      finalModel: `the saved model is fitted on all ${n} rows; the metrics are those of ${cv.k} models, each validated on the fold it did not see (report.metrics: their out-of-fold predictions of every row); the explanations describe the saved model on every row, its own training rows`,
      folds, model: summarize(folds.map((f) => f.model)), baseline: { name: baselineName, metrics: summarize(folds.map((f) => f.baseline)) },
    },
    metrics, predictions: oof, baseline: { name: baselineName, validation: oofBaseline },
  };
}
