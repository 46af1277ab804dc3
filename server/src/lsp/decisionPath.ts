/**
 * The `xai/decisionPath` request: the decision path of one sample of a spec's latest run, computed in the server
 * from the run's saved artifacts (trees and linear models are JSON; an MLP's Dense weights are read from its
 * LayersModel files and evaluated in plain float64, so TensorFlow.js is never loaded here). The run's samples are
 * rebuilt from the saved spec and data once per run and kept, so picking another sample costs one path.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import {
  DecisionPathRequest, isSampleSelector, type DecisionPathParams, type DecisionPathResult,
} from '../../../protocol/protocol';
import { dataUnits, inDataUnits } from '../data/frame/unscale';
import { inverseTarget, transformFeatures, type FittedPreprocessing } from '../data/standardize';
import { DenseNetwork, readDenseNetwork } from '../explain/paths/denseNetwork';
import { RunSamples, type ExplainableModel, type SplitName } from '../explain/paths/samplePaths';
import type { ModelTask } from '../models/model';
import { MODEL_JSON_FORMAT, modelFromJson } from '../models/modelJson';
import { prepareData } from '../pipeline/prepare';
import { PREPROCESSING_FILE, readLatestRun } from '../pipeline/runs';
import { readSpec } from '../pipeline/specInput';
import { isWorkspaceTrusted, specPathOf, UNTRUSTED_MESSAGE } from './specDocuments';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

/** Loads a run's model without TensorFlow.js: JSON families as they are, an MLP as a DenseNetwork. */
export function loadExplainableModel(modelDir: string, task: ModelTask, outputs: readonly string[]): ExplainableModel {
  const path = join(modelDir, 'model.json');
  const json = readJsonFile(path, MAX_ARTIFACT_JSON_BYTES) as { format?: string };
  if (json.format === MODEL_JSON_FORMAT) return modelFromJson(json, path) as ExplainableModel;
  const net = readDenseNetwork(modelDir);
  return new DenseNetwork(net.layers, net.task ?? task, net.outputs ?? outputs);
}

/**
 * The latest run of a spec as explainable samples: the saved spec's data steps rebuilt (as `xai explain` does),
 * the run's fitted preprocessing and model.
 * @throws Error when there is no run, or the spec's features no longer match the run's (train again then).
 */
export async function loadRunSamples(specPath: string): Promise<RunSamples> {
  const latest = await readLatestRun(specPath);
  if (!latest) throw new Error('the spec has no finished run yet: train it first');
  const { spec } = readSpec(specPath);
  const fitted = readJsonFile(join(latest.runDir, PREPROCESSING_FILE), MAX_ARTIFACT_JSON_BYTES) as FittedPreprocessing;
  const data = prepareData(spec, specPath);
  if (data.all.features.join('\n') !== fitted.features.join('\n')) {
    throw new Error(`the spec's features (${data.all.features.join(', ')}) differ from the run's: train again`);
  }
  const report = latest.report;
  const outputs = report.classes ?? [report.target];
  const model = loadExplainableModel(join(latest.runDir, 'model'), report.task, outputs);
  const part = new Map<number, SplitName>();
  for (const l of data.train.lines) part.set(l, 'train');
  for (const l of data.validation.lines) part.set(l, 'validation');
  for (const l of data.test?.lines ?? []) part.set(l, 'test');
  const units = dataUnits(fitted, data.dataPipeline);
  return new RunSamples(report.runId, {
    features: data.all.features, target: data.all.target,
    // In the data's units: a columnar pipeline's features are already scaled (undo it); the row path's are not yet.
    raw: data.dataPipeline ? inDataUnits(units, data.all.x) : data.all.x, x: transformFeatures(fitted, data.all.x), y: data.all.y,
    lines: data.all.lines, splits: data.all.lines.map((l) => part.get(l) ?? 'train'), ...(data.classes ? { classes: data.classes } : {}),
    toDataUnits: units,
  }, model, (v) => inverseTarget(fitted, [v])[0]!);
}

/** Loaded runs by spec path, with the run folder's report time so that a new run replaces them. */
const cache = new Map<string, { key: string; samples: Promise<RunSamples> }>();

async function runSamplesFor(specPath: string): Promise<RunSamples> {
  const latest = await readLatestRun(specPath);
  // `xai explain` rewrites report.json in place: its mtime tells a re-explained run apart too.
  const key = latest ? `${latest.runDir}@${statSync(join(latest.runDir, 'report.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0}` : '';
  const hit = cache.get(specPath);
  if (hit && hit.key === key) return hit.samples;
  const samples = loadRunSamples(specPath);
  cache.set(specPath, { key, samples });
  samples.catch(() => { if (cache.get(specPath)?.samples === samples) cache.delete(specPath); });
  return samples;
}

/** Answers one request; never throws (failures come back as `{ ok: false, message }`). */
export async function decisionPath(params: DecisionPathParams): Promise<DecisionPathResult> {
  const specPath = specPathOf(params.uri);
  if (!specPath) return { ok: false, message: 'decision paths need a spec saved as a file' };
  // A run's model and data are files: an untrusted workspace reads none.
  if (!isWorkspaceTrusted()) return { ok: false, message: UNTRUSTED_MESSAGE };
  if (!isSampleSelector(params.selector)) return { ok: false, message: 'the sample selector is malformed' };
  try {
    const samples = await runSamplesFor(specPath);
    const { row, candidates } = await samples.select(params.selector);
    const sample = await samples.explain(row);
    return {
      ok: true, sample, ...(candidates ? { candidates } : {}),
      columns: [...samples.set.features, samples.set.target], rows: samples.set.x.length,
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export function listenDecisionPath(connection: Connection): void {
  connection.onRequest(DecisionPathRequest, (p: DecisionPathParams) => decisionPath(p));
}
