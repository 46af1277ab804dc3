/**
 * Explains a spec's latest run again without training: loads its model and fitted preprocessing, prepares the
 * data as the spec says now, recomputes the permutation importance and replaces the run's report atomically.
 */
import { join } from 'node:path';
import type { ExplanationSectionJson, RunReport } from '../../../protocol/protocol';
import { transformFeatures, type FittedPreprocessing } from '../data/standardize';
import { dataUnits } from '../data/frame/unscale';
import { explainSpecMethods } from '../explain/pipelineExplain';
import { loadFittedModel } from '../models/train';
import type { WorkerProgress } from '../worker/jobs';
import { capRows } from './explainRows';
import { prepareData } from './prepare';
import { reportHtml } from './reportHtml';
import { explainWithSpec, rawModelPredictor, type PipelineResult } from './runPipeline';
import { PREPROCESSING_FILE, readLatestRun, replaceFileAtomic } from './runs';
import { readSpec } from './specInput';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

/**
 * Recomputes the importance of the spec's latest run and rewrites its `report.json` and `report.html`.
 * @throws Error when the spec has no run yet, the run's files are unreadable, or the spec's features no longer
 *   match the run's (train again then); SpecError/DataError as `runPipeline`.
 */
export async function explainLatestRun(specPath: string, options: { runsRoot?: string; maxExplainRows?: number; onProgress?(p: WorkerProgress): void } = {}): Promise<PipelineResult> {
  const progress = options.onProgress ?? (() => undefined);
  const t0 = Date.now();
  progress({ stage: 'load', message: 'Loading the latest run', fraction: 0 });
  const latest = await readLatestRun(specPath, options.runsRoot);
  if (!latest) throw new Error(`the spec ${specPath} has no finished run to explain yet: train it first`);
  const { parsed, spec } = readSpec(specPath);
  const fitted = readJsonFile(join(latest.runDir, PREPROCESSING_FILE), MAX_ARTIFACT_JSON_BYTES) as FittedPreprocessing;
  // Any family: an MLP's LayersModel folder or a tree/linear model JSON (told apart by model.json's format).
  const model = await loadFittedModel(join(latest.runDir, 'model'));
  try {
    progress({ stage: 'preprocess', message: 'Preparing the data', fraction: 0.2 });
    const all = prepareData(spec, specPath);
    // At most maxExplainRows rows per split (the `xaiPipelines.explain.maxRows` setting), evenly spaced.
    const data = { ...all, train: capRows(all.train, options.maxExplainRows), validation: capRows(all.validation, options.maxExplainRows) };
    if (data.all.features.join('\n') !== fitted.features.join('\n')) {
      throw new Error(`the spec's features (${data.all.features.join(', ')}) differ from the run's (${fitted.features.join(', ')}): train again`);
    }
    progress({ stage: 'explain', message: 'Permutation importance', fraction: 0.5 });
    const importance = await explainWithSpec(spec, data, rawModelPredictor(model, fitted));
    // The spec's other explanation methods (server/src/explain), on model-scale rows.
    const explained = await explainSpecMethods(spec, model, fitted.features, transformFeatures(fitted, data.train.x), transformFeatures(fitted, data.validation.x),
      importance, (f, message) => progress({ stage: 'explain', message, fraction: 0.5 + 0.4 * f }), dataUnits(fitted, all.dataPipeline));
    const { explanations: _previous, ...previous } = latest.report;
    const report: RunReport = {
      ...previous, importance,
      ...(explained ? { explanations: explained.sections as unknown as ExplanationSectionJson[] } : {}),
      artifacts: { ...latest.report.artifacts, ...(explained ? { explanation: 'explanation.md' } : {}) },
      timings: { ...latest.report.timings, explainMs: Date.now() - t0 },
    };
    if (explained) replaceFileAtomic(join(latest.runDir, 'explanation.md'), explained.markdown);
    progress({ stage: 'write', message: 'Updating the run report', fraction: 0.95 });
    replaceFileAtomic(join(latest.runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    replaceFileAtomic(join(latest.runDir, 'report.html'), reportHtml(parsed, report));
    progress({ stage: 'write', message: 'Done', fraction: 1 });
    return { runDir: latest.runDir, report };
  } finally {
    model.dispose?.();
  }
}
