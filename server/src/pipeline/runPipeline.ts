/**
 * Runs a spec end to end: data steps → train the MLP → validation metrics beside the naive baseline (in the
 * target's original units) → permutation importance → artifacts, written atomically into a run folder.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, ExplanationSectionJson, PermutationImportanceResult, RunReport } from '../../../protocol/protocol';
import { version as xaiVersion } from '../../../package.json';
import { inverseTarget, transformFeatures, transformTarget, type FittedPreprocessing } from '../data/standardize';
import { permutationImportance } from '../explain/permutationImportance';
import { dataUnits } from '../data/frame/unscale';
import { explainSpecMethods } from '../explain/pipelineExplain';
import { classificationMetrics, majorityBaseline, regressionMetrics } from '../models/metrics';
import { predictMlp } from '../models/mlp';
import type { FittedModel } from '../models/model';
import { trainModel } from '../models/train';
import type { PredictFunction } from '../explain/permutationImportance';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ParsedSpec } from '../spec/parse';
import type { PipelineSpec } from '../spec/types';
import type { WorkerProgress } from '../worker/jobs';
import { explanationGroups } from '../data/frame/groups';
import { crossValidate } from './crossValidate';
import { prepareData, sha256, type PreparedData } from './prepare';
import { reportHtml } from './reportHtml';
import { turnEventLoopNowAndThen } from './eventLoop';
import { capRows } from './explainRows';
import { asArtifactWriteError, changedSinceSnapshot, DATA_PIPELINE_FILE, PREPROCESSING_FILE, specRunsDir, startRun, type RunWriter } from './runs';
import { readSpec } from './specInput';

export interface PipelineOptions {
  /** The backend that was selected (recorded in the report). */
  backend: BackendName;
  /** Where run folders go; default `<spec folder>/.xai/runs`. */
  runsRoot?: string;
  /** Rows per split the explanation methods may use (evenly spaced); default all. Metrics use every row. */
  maxExplainRows?: number;
  onProgress?(p: WorkerProgress): void;
}

export interface PipelineResult { runDir: string; report: RunReport }

/** Extra artifact: the validation rows with the model's and the baseline's predictions (target units). */
export const PREDICTIONS_FILE = 'predictions.json';
// The saved data pipeline's file name lives with the run folder's layout (runs.ts); re-exported for callers here.
export { DATA_PIPELINE_FILE };

/** The full model as the explainer sees it: raw features [n, n_features] → predictions [n] in target units. */
export function rawPredictor(model: LayersModel, fitted: FittedPreprocessing): (x: number[][]) => number[] {
  return (x) => inverseTarget(fitted, predictMlp(model, transformFeatures(fitted, x)), x);
}

/**
 * Any family as the explainer sees it: raw features [n, n_features] → regression predictions [n] in target
 * units, or class probabilities [n, n_classes].
 */
export function rawModelPredictor(model: FittedModel, fitted: FittedPreprocessing): (x: number[][]) => Promise<number[] | number[][]> {
  return async (x) => {
    const out = await model.predict(transformFeatures(fitted, x));
    return model.task === 'classification' ? out : inverseTarget(fitted, out.map((r) => r[0]!), x);
  };
}

/** Permutation importance as the spec asks for it, or undefined when the spec asks for none. */
export async function explainWithSpec(
  spec: PipelineSpec, data: PreparedData, predict: PredictFunction,
): Promise<PermutationImportanceResult | undefined> {
  const step = spec.explanation?.find((e) => 'permutation_importance' in e)?.permutation_importance;
  if (!step) return undefined;
  const part = (step.split ?? 'validation') === 'train' ? data.train : data.validation;
  // Classification scores class predictions: the regression metrics of the spec (default rmse) become accuracy.
  const metric = spec.task === 'classification' ? 'accuracy' : step.metric ?? 'rmse';
  return permutationImportance(predict, part.x, part.y, {
    features: data.all.features, repeats: step.repeats ?? 10, metric, seed: spec.training.seed,
    split: step.split ?? 'validation',
    // One-hot indicators are permuted together and reported under their original column (Island, not Island=Biscoe).
    ...(data.groups && Object.keys(data.groups).length ? { groups: explanationGroups(data.all.features, data.groups) } : {}),
  });
}

/**
 * The time left of training as text, from the mean epoch time so far: " · about 12 s left" (an upper bound when
 * early stopping may end training sooner); "" after the last epoch.
 */
export function timeLeft(elapsedMs: number, epoch: number, epochs: number): string {
  if (epoch >= epochs || epoch <= 0) return '';
  const s = ((elapsedMs / epoch) * (epochs - epoch)) / 1000;
  const text = s < 1 ? 'under 1 s' : s < 90 ? `about ${Math.round(s)} s` : `about ${Math.round(s / 60)} min`;
  return ` · ${text} left`;
}

/**
 * Runs the spec at `specPath` (absolute) and writes its run folder.
 * @returns the run folder and its report.
 * @throws SpecError for a spec with errors, DataError for bad data (with file, line and column), Error otherwise;
 *   no run folder is left behind then.
 */
export async function runPipeline(specPath: string, options: PipelineOptions): Promise<PipelineResult> {
  const t0 = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  progress({ stage: 'load', message: 'Reading the spec and the data', fraction: 0 });
  const { parsed, spec } = readSpec(specPath);
  let loadMs = 0;
  const data = prepareData(spec, specPath, (ms) => { loadMs = ms; });
  const preprocessMs = Date.now() - t0 - loadMs;
  const cvFolds = data.crossValidation?.k;
  progress({
    stage: 'preprocess', fraction: 0.05,
    message: cvFolds ? `${data.all.x.length} rows in ${cvFolds} folds` : `${data.train.x.length} training and ${data.validation.x.length} validation rows`,
  });
  // k-fold: one model per fold first (each on its fold's own fitted steps), then the final model on every row.
  const cv = data.crossValidation
    ? await crossValidate(spec, data, (f, k) => progress({ stage: 'train', message: `Fold ${f + 1}/${k}`, fraction: 0.05 + 0.4 * (f / k) }))
    : undefined;

  const t1 = Date.now();
  const { fitted } = data;
  const classification = spec.task === 'classification';
  const xVal = transformFeatures(fitted, data.validation.x);
  const epochs = spec.training.epochs;
  const trained = await trainModel(
    spec,
    { x: transformFeatures(fitted, data.train.x), y: classification ? data.train.y : transformTarget(fitted, data.train.y, data.train.x) },
    { x: xVal, y: classification ? data.validation.y : transformTarget(fitted, data.validation.y, data.validation.x) },
    data.classes,
    (r) => {
      progress({
        stage: 'train', message: `Epoch ${r.epoch}/${epochs}${timeLeft(Date.now() - t1, r.epoch, epochs)}`, fraction: 0.05 + 0.85 * (r.epoch / epochs),
        epoch: r.epoch, epochs, loss: r.loss, valLoss: r.valLoss,
        etaSeconds: ((Date.now() - t1) / r.epoch) * Math.max(0, epochs - r.epoch) / 1000,
      });
      // Heartbeats and the IPC 'disconnect' of a dead parent need the event loop: give it a turn every 50 ms.
      return turnEventLoopNowAndThen();
    },
  );
  try {
    const history = trained.history;
    const trainMs = Date.now() - t1;

    const t2 = Date.now();
    progress({ stage: 'explain', message: 'Validation metrics and permutation importance', fraction: 0.9 });
    const predict = rawModelPredictor(trained.model, fitted);
    let validationPredictions: number[];
    let metrics: RunReport['metrics'];
    if (classification) {
      const classes = data.classes!;
      const probabilities = await trained.model.predict(xVal);
      const base = majorityBaseline(data.train.y, classes.length, data.validation.y.length);
      const baseName = `majority class (${classes[base[0]!.indexOf(Math.max(...base[0]!))]})`;
      const oneHot = data.validation.y.flatMap((c) => classes.map((_, k) => (k === c ? 1 : 0)));
      const predictedClass = trained.predictClass?.(xVal);
      validationPredictions = predictedClass ?? probabilities.map((r) => r.indexOf(Math.max(...r)));
      metrics = {
        split: 'validation',
        model: regressionMetrics(oneHot, probabilities.flat()),
        baseline: { name: baseName, ...regressionMetrics(oneHot, base.flat()) },
        classification: {
          model: classificationMetrics(data.validation.y, probabilities, classes, predictedClass),
          baseline: { name: baseName, ...classificationMetrics(data.validation.y, base, classes) },
        },
      };
    } else {
      validationPredictions = (await predict(data.validation.x)) as number[];
      metrics = {
        split: 'validation',
        model: regressionMetrics(data.validation.y, validationPredictions),
        baseline: { name: data.baseline.name, ...regressionMetrics(data.validation.y, data.baseline.validation) },
      };
    }
    // k-fold: the run's metrics are the folds' out-of-fold predictions, not the final model's in-sample fit.
    if (cv) { metrics = cv.metrics; validationPredictions = cv.predictions; data.baseline = cv.baseline; }
    // The explanations read at most maxExplainRows rows per split (the metrics above used every row).
    const forExplain = { ...data, train: capRows(data.train, options.maxExplainRows), validation: capRows(data.validation, options.maxExplainRows) };
    const importance = await explainWithSpec(spec, forExplain, predict);
    const explained = await explainSpecMethods(spec, trained.model, fitted.features, transformFeatures(fitted, forExplain.train.x),
      forExplain.validation === data.validation ? xVal : transformFeatures(fitted, forExplain.validation.x), importance,
      (f, message) => progress({ stage: 'explain', message, fraction: 0.9 + 0.07 * f }), dataUnits(fitted, data.dataPipeline));
    const explainMs = Date.now() - t2;

    progress({ stage: 'write', message: 'Writing the run folder', fraction: 0.97 });
    let run: RunWriter | undefined;
    try {
      run = startRun(specPath, options.runsRoot);
      await trained.save(`${run.tempDir}/model`, fitted.features);
      const report: RunReport = {
        reportVersion: 1, runId: run.runId, createdAt: new Date().toISOString(),
        spec: { name: spec.name, path: specPath, sha256: sha256(parsed.text) },
        data: { path: data.dataPath, sha256: data.dataSha256, rows: data.all.x.length, trainRows: data.train.x.length, validationRows: data.validation.x.length },
        task: classification ? 'classification' : 'regression', target: spec.data.target, features: fitted.features,
        ...(data.classes ? { classes: data.classes } : {}), backend: options.backend, seed: spec.training.seed,
        model: trained.summary,
        metrics, ...(cv ? { crossValidation: cv.report } : {}), history, importance, ...(explained ? { explanations: explained.sections as unknown as ExplanationSectionJson[] } : {}), steps: data.steps,
        timings: { loadMs, preprocessMs, trainMs, explainMs, totalMs: Date.now() - t0 },
        versions: { xaiPipelines: xaiVersion, tfjs: tf.version_core, node: process.version },
        artifacts: { model: 'model/model.json', preprocessing: PREPROCESSING_FILE, report: 'report.json', html: 'report.html' },
      };
      run.write(PREPROCESSING_FILE, `${JSON.stringify(fitted, null, 2)}\n`);
      // The columnar data pipeline (fitted on the training rows): reapplied to the raw CSV, it rebuilds the features.
      if (data.dataPipeline) run.write(DATA_PIPELINE_FILE, `${JSON.stringify(data.dataPipeline, null, 2)}\n`);
      if (explained) {
        report.artifacts.explanation = 'explanation.md';
        run.write('explanation.md', explained.markdown);
      }
      run.write(PREDICTIONS_FILE, `${JSON.stringify(predictionsJson(data, validationPredictions), null, 2)}\n`);
      report.timings.totalMs = Date.now() - t0;
      // The run used what it read at start; say so when the files changed meanwhile (hashes above are the snapshot's).
      const changed = changedSinceSnapshot([{ path: specPath, sha256: report.spec.sha256 }, { path: data.dataPath, sha256: data.dataSha256 }]);
      if (changed.length) report.inputsChangedDuringRun = changed;
      run.write('report.json', `${JSON.stringify(report, null, 2)}\n`);
      run.write('report.html', reportHtml(parsed as ParsedSpec, report));
      const runDir = run.commit();
      progress({ stage: 'write', message: `Run ${run.runId} written`, fraction: 1 });
      return { runDir, report };
    } catch (e) {
      run?.discard();
      throw asArtifactWriteError(e, run?.tempDir ?? specRunsDir(specPath, options.runsRoot));
    }
  } finally {
    trained.dispose();
  }
}

function predictionsJson(data: PreparedData, predictions: number[]): object {
  return {
    split: 'validation', target: data.all.target, baseline: data.baseline.name,
    rows: data.validation.y.map((y, i) => ({ line: data.validation.lines[i], target: y, model: predictions[i], baseline: data.baseline.validation[i] })),
  };
}
