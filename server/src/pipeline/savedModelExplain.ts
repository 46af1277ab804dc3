/**
 * Explains a saved model without a spec on a CSV (the worker's `explainModel` job) and writes a Markdown summary
 * beside the model. Imports the models (TensorFlow.js): the worker's, never the language server's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunResult } from '../../../protocol/protocol';
import { parseCsv } from '../data/csv';
import { explainModelFile, type ModelFileExplanation } from './explainModelFile';
import { replaceFileAtomic } from './runs';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

/**
 * The target of a model that does not name it (a model.json without its run): the one CSV column that is not
 * among the model's features; undefined when that is not exactly one column (explainModelFile then says so).
 */
function guessTarget(path: string, dataPath: string): string | undefined {
  const modelJson = basename(path) === 'model.json' ? path : join(path, 'model.json');
  if (existsSync(join(dirname(modelJson), '..', 'report.json'))) return undefined;
  try {
    const features = (readJsonFile(modelJson, MAX_ARTIFACT_JSON_BYTES) as { features?: string[] }).features;
    if (!features) return undefined;
    const rest = parseCsv(readFileSync(dataPath, 'utf8'), dataPath).columns.filter((c) => c && !features.includes(c));
    return rest.length === 1 ? rest[0] : undefined;
  } catch {
    return undefined;
  }
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
  const target = options.target ?? guessTarget(path, dataPath);
  const explanation = await explainModelFile(path, dataPath, target ? { target } : {});
  const markdownPath = join(explanation.modelDir, 'explanation.md');
  replaceFileAtomic(markdownPath, explanationMarkdown(explanation, dataPath));
  return { explanation, markdownPath };
}

/** The worker's `explainModel` job: `explainSavedModel` as a result for the client (`markdownPath` set). */
export async function explainModelJob(path: string, dataPath: string, target?: string): Promise<RunResult & { markdownPath: string }> {
  const { markdownPath } = await explainSavedModel(path, dataPath, target ? { target } : {});
  return { ok: true, markdownPath };
}
