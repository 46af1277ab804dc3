/**
 * Runs a spec end to end: data steps → train the MLP → validation metrics beside the naive baseline (in the
 * target's original units) → permutation importance → artifacts, written atomically into a run folder.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, PermutationImportanceResult, RunReport } from '../../../protocol/protocol';
import { version as xaiVersion } from '../../../package.json';
import { inverseTarget, transformFeatures, transformTarget, type FittedPreprocessing } from '../data/standardize';
import { permutationImportance } from '../explain/permutationImportance';
import { regressionMetrics } from '../models/metrics';
import { buildMlp, parameterCount, predictMlp, saveMlp, trainMlp } from '../models/mlp';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ParsedSpec } from '../spec/parse';
import type { PipelineSpec } from '../spec/types';
import type { WorkerProgress } from '../worker/jobs';
import { prepareData, sha256, type PreparedData } from './prepare';
import { reportHtml } from './reportHtml';
import { startRun } from './runs';
import { readSpec } from './specInput';

export interface PipelineOptions {
  /** The backend that was selected (recorded in the report). */
  backend: BackendName;
  /** Where run folders go; default `<spec folder>/.xai/runs`. */
  runsRoot?: string;
  onProgress?(p: WorkerProgress): void;
}

export interface PipelineResult { runDir: string; report: RunReport }

/** Extra artifact: the validation rows with the model's and the baseline's predictions (target units). */
export const PREDICTIONS_FILE = 'predictions.json';
/** Extra artifact of the columnar data path: the saved data pipeline (server/src/data/frame/recipe.ts). */
export const DATA_PIPELINE_FILE = 'data-pipeline.json';

/** The full model as the explainer sees it: raw features [n, n_features] → predictions [n] in target units. */
export function rawPredictor(model: LayersModel, fitted: FittedPreprocessing): (x: number[][]) => number[] {
  return (x) => inverseTarget(fitted, predictMlp(model, transformFeatures(fitted, x)));
}

/** Permutation importance as the spec asks for it, or undefined when the spec asks for none. */
export async function explainWithSpec(
  spec: PipelineSpec, data: PreparedData, predict: (x: number[][]) => number[],
): Promise<PermutationImportanceResult | undefined> {
  const step = spec.explanation?.find((e) => 'permutation_importance' in e)?.permutation_importance;
  if (!step) return undefined;
  const part = (step.split ?? 'validation') === 'train' ? data.train : data.validation;
  return permutationImportance(predict, part.x, part.y, {
    features: data.all.features, repeats: step.repeats ?? 10, metric: step.metric ?? 'rmse', seed: spec.training.seed,
    split: step.split ?? 'validation',
  });
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
  progress({ stage: 'preprocess', message: `${data.train.x.length} training and ${data.validation.x.length} validation rows`, fraction: 0.05 });

  const t1 = Date.now();
  const { fitted } = data;
  const model = buildMlp(spec.model, fitted.features.length, spec.training.seed);
  try {
    const epochs = spec.training.epochs;
    const history = await trainMlp(model, transformFeatures(fitted, data.train.x), transformTarget(fitted, data.train.y), spec.training, {
      validation: { x: transformFeatures(fitted, data.validation.x), y: transformTarget(fitted, data.validation.y) },
      onEpoch: (r) => progress({
        stage: 'train', message: `Epoch ${r.epoch}/${epochs}`, fraction: 0.05 + 0.85 * (r.epoch / epochs),
        epoch: r.epoch, epochs, loss: r.loss, valLoss: r.valLoss,
      }),
    });
    const trainMs = Date.now() - t1;

    const t2 = Date.now();
    progress({ stage: 'explain', message: 'Validation metrics and permutation importance', fraction: 0.9 });
    const predict = rawPredictor(model, fitted);
    const validationPredictions = predict(data.validation.x);
    const metrics: RunReport['metrics'] = {
      split: 'validation',
      model: regressionMetrics(data.validation.y, validationPredictions),
      baseline: { name: data.baseline.name, ...regressionMetrics(data.validation.y, data.baseline.validation) },
    };
    const importance = await explainWithSpec(spec, data, predict);
    const explainMs = Date.now() - t2;

    progress({ stage: 'write', message: 'Writing the run folder', fraction: 0.97 });
    const run = startRun(specPath, options.runsRoot);
    try {
      await saveMlp(model, `${run.tempDir}/model`);
      const report: RunReport = {
        reportVersion: 1, runId: run.runId, createdAt: new Date().toISOString(),
        spec: { name: spec.name, path: specPath, sha256: sha256(parsed.text) },
        data: { path: data.dataPath, sha256: data.dataSha256, rows: data.all.x.length, trainRows: data.train.x.length, validationRows: data.validation.x.length },
        task: 'regression', target: spec.data.target, features: fitted.features, backend: options.backend, seed: spec.training.seed,
        model: {
          type: 'mlp',
          layers: [...spec.model.hidden_layers.map((l) => ({ units: l.units, activation: l.activation })), { units: 1, activation: spec.model.output_activation ?? 'linear' }],
          parameters: parameterCount(model),
        },
        metrics, history, importance, steps: data.steps,
        timings: { loadMs, preprocessMs, trainMs, explainMs, totalMs: Date.now() - t0 },
        versions: { xaiPipelines: xaiVersion, tfjs: tf.version_core, node: process.version },
        artifacts: { model: 'model/model.json', preprocessing: 'preprocessing.json', report: 'report.json', html: 'report.html' },
      };
      run.write('preprocessing.json', `${JSON.stringify(fitted, null, 2)}\n`);
      // The columnar data pipeline (fitted on the training rows): reapplied to the raw CSV, it rebuilds the features.
      if (data.dataPipeline) run.write(DATA_PIPELINE_FILE, `${JSON.stringify(data.dataPipeline, null, 2)}\n`);
      run.write(PREDICTIONS_FILE, `${JSON.stringify(predictionsJson(data, validationPredictions), null, 2)}\n`);
      report.timings.totalMs = Date.now() - t0;
      run.write('report.json', `${JSON.stringify(report, null, 2)}\n`);
      run.write('report.html', reportHtml(parsed as ParsedSpec, report));
      const runDir = run.commit();
      progress({ stage: 'write', message: `Run ${run.runId} written`, fraction: 1 });
      return { runDir, report };
    } catch (e) {
      run.discard();
      throw e;
    }
  } finally {
    model.dispose();
  }
}

function predictionsJson(data: PreparedData, predictions: number[]): object {
  return {
    split: 'validation', target: data.all.target, baseline: data.baseline.name,
    rows: data.validation.y.map((y, i) => ({ line: data.validation.lines[i], target: y, model: predictions[i], baseline: data.baseline.validation[i] })),
  };
}
