/**
 * Explains a saved model file against a CSV, without its spec: `xai explain MODEL --data CSV`. MODEL is a run
 * folder, its `model/` folder, or a `model.json` (ours, or a TensorFlow.js LayersModel trained elsewhere). The
 * run's fitted preprocessing (`preprocessing.json`) and report (target, classes) are used when they sit beside
 * the model; otherwise the CSV's columns are the model's inputs as they are, in the model's feature order (or
 * the CSV's column order without the target when the model does not name its features).
 * Runs whose spec has data steps (one-hot, imputation…) need the spec: `xai explain SPEC`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PermutationImportanceResult, RunReport } from '../../../protocol/protocol';
import { parseCsv } from '../data/csv';
import { DataError } from '../data/errors';
import type { FittedPreprocessing } from '../data/standardize';
import { numericColumn } from '../data/table';
import { permutationImportance } from '../explain/permutationImportance';
import { encodeWithClasses } from '../models/labels';
import { loadFittedModel } from '../models/train';
import { rawModelPredictor } from './runPipeline';
import { DATA_PIPELINE_FILE, PREPROCESSING_FILE } from './runs';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

export interface ModelFileExplanation {
  modelDir: string;
  features: string[];
  target: string;
  task: 'regression' | 'classification';
  rows: number;
  importance: PermutationImportanceResult;
}

/** The model folder and, when it is inside a run folder, the run folder. */
function locate(path: string): { modelDir: string; runDir?: string } {
  let modelDir = path;
  if (basename(path) === 'model.json') modelDir = dirname(path);
  else if (existsSync(join(path, 'report.json')) && existsSync(join(path, 'model', 'model.json'))) modelDir = join(path, 'model');
  if (!existsSync(join(modelDir, 'model.json'))) throw new Error(`no model.json in ${modelDir}: give a run folder, its model/ folder or a model.json`);
  const runDir = existsSync(join(modelDir, '..', 'report.json')) ? dirname(modelDir) : undefined;
  return { modelDir, runDir };
}

/**
 * Permutation importance of the saved model on the CSV's rows (accuracy for classification, RMSE for regression).
 * @throws Error for a missing model or target; DataError (file, line, column) for a missing column or a bad cell.
 */
export async function explainModelFile(path: string, csvPath: string, options: { target?: string; repeats?: number; seed?: number } = {}): Promise<ModelFileExplanation> {
  const { modelDir, runDir } = locate(path);
  const report = runDir ? readJsonFile(join(runDir, 'report.json'), MAX_ARTIFACT_JSON_BYTES) as RunReport : undefined;
  const fittedPath = runDir ? join(runDir, PREPROCESSING_FILE) : undefined;
  let fitted = fittedPath && existsSync(fittedPath) ? readJsonFile(fittedPath, MAX_ARTIFACT_JSON_BYTES) as FittedPreprocessing : undefined;
  if (runDir && existsSync(join(runDir, DATA_PIPELINE_FILE))) {
    throw new Error(`the run ${runDir} transforms its data with data steps; explain it with its spec: xai explain SPEC`);
  }
  const model = await loadFittedModel(modelDir);
  try {
    const table = parseCsv(readFileSync(csvPath, 'utf8'), csvPath);
    const target = options.target ?? report?.target ?? fitted?.target;
    if (!target) throw new Error('the model does not name its target: pass --target COLUMN');
    if (!table.columns.includes(target)) throw new DataError(`no target column '${target}' (pass --target COLUMN)`, { file: csvPath });
    const json = readJsonFile(join(modelDir, 'model.json'), MAX_ARTIFACT_JSON_BYTES) as { features?: string[] };
    const features = fitted?.features ?? json.features ?? table.columns.filter((c) => c !== target);
    if (features.length !== model.nFeatures) {
      throw new DataError(`the model takes ${model.nFeatures} inputs but ${features.length} feature columns were found (${features.join(', ')})`, { file: csvPath });
    }
    fitted ??= { version: 1, features, target, standardize: { features: {} } };
    const cols = features.map((f) => numericColumn(table, f));
    const x = table.rows.map((_, i) => cols.map((c) => c[i]!));
    const t = table.columns.indexOf(target);
    const y = model.task === 'classification'
      ? encodeWithClasses(table.rows.map((r) => r.cells[t] ?? ''), model.outputs)
      : numericColumn(table, target);
    const importance = await permutationImportance(rawModelPredictor(model, fitted), x, y, {
      features, repeats: options.repeats ?? 10, seed: options.seed ?? 42, split: 'validation',
      metric: model.task === 'classification' ? 'accuracy' : 'rmse',
    });
    return { modelDir, features, target, task: model.task, rows: x.length, importance };
  } finally {
    model.dispose?.();
  }
}
