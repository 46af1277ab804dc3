/**
 * Saved models as the "Explain Model File" command meets them: a run folder, its `model/` folder, a `model.json`
 * (an MLP's LayersModel or a tree/linear model JSON, ours or trained elsewhere). Finds the run folder and its spec
 * when there are any. File-system only (the language server imports it); explaining is savedModelExplain.ts's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunReport } from '../../../protocol/protocol';
import { LATEST } from './runs';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

export interface SavedModelLocation {
  /** The folder holding the model's `model.json`. */
  model: string;
  /** The run folder when the model is a run's (it holds `report.json`). */
  runDir?: string;
  report?: RunReport;
  /** The run's spec when it still exists and this run is its latest (so `explain` of the spec explains it). */
  specPath?: string;
  /** The run's data file when it still exists. */
  dataPath?: string;
}

function readReport(runDir: string): RunReport | undefined {
  try { return readJsonFile(join(runDir, 'report.json'), MAX_ARTIFACT_JSON_BYTES) as RunReport; } catch { return undefined; }
}

function isLatest(runDir: string): boolean {
  try { return readFileSync(join(dirname(runDir), LATEST), 'utf8').trim() === basename(runDir); } catch { return false; }
}

/**
 * Where a saved model is and what comes with it.
 * @param path absolute path of a run folder, a model folder or a `model.json`.
 * @throws Error when `path` holds no model (the message says what to give instead).
 */
export function locateSavedModel(path: string): SavedModelLocation {
  let model = path;
  let runDir: string | undefined;
  const isDir = existsSync(path) && statSync(path).isDirectory();
  if (isDir && existsSync(join(path, 'report.json')) && existsSync(join(path, 'model', 'model.json'))) {
    runDir = path;
    model = join(path, 'model');
  } else if (isDir) {
    if (!existsSync(join(path, 'model.json'))) throw new Error(`no model.json in ${path}: give a run folder, its model/ folder or a model.json`);
  } else if (!existsSync(path)) {
    throw new Error(`${path} does not exist`);
  } else if (basename(path) === 'model.json') {
    model = dirname(path);
  } else {
    throw new Error(`${path} is not a model: give a run folder, its model/ folder or a model.json`);
  }
  const folder = isDir ? model : dirname(path);
  if (!runDir && existsSync(join(folder, '..', 'report.json'))) runDir = dirname(folder);
  const report = runDir ? readReport(runDir) : undefined;
  const specPath = runDir && report && existsSync(report.spec.path) && isLatest(runDir) ? report.spec.path : undefined;
  const dataPath = report && existsSync(report.data.path) ? report.data.path : undefined;
  return { model, ...(runDir ? { runDir } : {}), ...(report ? { report } : {}), ...(specPath ? { specPath } : {}), ...(dataPath ? { dataPath } : {}) };
}
