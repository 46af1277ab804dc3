/**
 * Saved models as the "Explain Model File" command meets them: a run folder, its `model/` folder, a `model.json`
 * (an MLP's LayersModel or a tree/linear model JSON, ours or trained elsewhere). Finds the run folder and
 * its spec when there are any, and explains a model without a spec on a CSV, writing a Markdown summary beside it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunReport, RunResult } from '../../../protocol/protocol';
import { explainModelFile, type ModelFileExplanation } from './explainModelFile';
import { LATEST, replaceFileAtomic } from './runs';

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
  try { return JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport; } catch { return undefined; }
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

/** The Markdown summary of a saved model's explanation: features by decreasing permutation importance. */
export function explanationMarkdown(e: ModelFileExplanation, dataPath: string): string {
  const metric = e.importance.metric;
  const rows = e.importance.features.map((f) => `| ${f.feature.replace(/\|/g, '\\|')} | ${f.mean.toPrecision(4)} | ${f.std.toPrecision(3)} |`);
  return [
    `# Explanation of ${e.modelDir}`, '',
    `Data: ${dataPath} (${e.rows} rows) · target: ${e.target} · task: ${e.task}`, '',
    `Permutation importance: increase of the ${metric} loss when a feature is shuffled (${e.importance.repeats} repeats; baseline ${metric} ${e.importance.baselineScore.toPrecision(4)}).`, '',
    '| feature | mean | std |', '| --- | ---: | ---: |', ...rows, '',
  ].join('\n');
}

/**
 * Explains a saved model without a spec on the CSV at `dataPath` (see `explainModelFile`) and writes
 * `explanation.md` beside the model (atomically).
 * @returns the explanation and the Markdown file's path.
 * @throws as `explainModelFile`, and Error when the Markdown file cannot be written.
 */
export async function explainSavedModel(path: string, dataPath: string, options: { target?: string } = {}): Promise<{ explanation: ModelFileExplanation; markdownPath: string }> {
  const explanation = await explainModelFile(path, dataPath, options);
  const markdownPath = join(explanation.modelDir, 'explanation.md');
  replaceFileAtomic(markdownPath, explanationMarkdown(explanation, dataPath));
  return { explanation, markdownPath };
}

/** The worker's `explainModel` job: `explainSavedModel` as a result for the client (`markdownPath` set). */
export async function explainModelJob(path: string, dataPath: string, target?: string): Promise<RunResult & { markdownPath: string }> {
  const { markdownPath } = await explainSavedModel(path, dataPath, target ? { target } : {});
  return { ok: true, markdownPath };
}
