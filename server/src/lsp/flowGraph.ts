/**
 * The `xai/flowGraph` and `xai/latestRun` requests: the spec's pipeline as a graph (from the editor's current
 * text, so the drawing follows typing) and its latest finished run. A decision_tree run's tree (its top levels
 * become nodes) and the count of the run's feedback diagnostics (the loop's edge back to the spec) join the graph.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  FlowGraphRequest, LatestRunRequest,
  type FlowGraphParams, type FlowGraphResult, type LatestRunParams, type LatestRunResult,
} from '../../../protocol/protocol';
import { dataUnits } from '../data/frame/unscale';
import type { SavedDataPipeline } from '../data/frame/recipe';
import type { FittedPreprocessing } from '../data/standardize';
import { DATA_PIPELINE_FILE, PREPROCESSING_FILE, readLatestRun } from '../pipeline/runs';
import { buildFlowGraph, type FlowTree } from '../report/flowGraph';
import { specDataProfile } from '../spec/check';
import { failedRun } from '../spec/latestRun';
import { parseSpec } from '../spec/parse';
import { runFeedback } from '../spec/runFeedback';
import { specPathOf, specText } from './specDocuments';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from '../models/readJsonFile';

/** The latest finished run of the spec at `uri`, or null (no run yet, not a file, unreadable report). */
export async function latestRun(uri: string): Promise<LatestRunResult> {
  const path = specPathOf(uri);
  return path ? readLatestRun(path) : null;
}

/** Trees read from run folders, by the model file's path and mtime (runs are immutable; re-read if rewritten). */
const trees = new Map<string, { mtime: number; tree: FlowTree | null }>();

/**
 * The tree of a decision_tree run (`model/model.json`), or null for other families and unreadable files. Its
 * thresholds are given in the data's units: the run's fitted scaling (`preprocessing.json`, `data-pipeline.json`)
 * undone, as the Decision Path panel shows a sample's tests.
 */
export function runTree(runDir: string): FlowTree | null {
  const path = join(runDir, 'model', 'model.json');
  const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  if (mtime === undefined) return null;
  const hit = trees.get(path);
  if (hit && hit.mtime === mtime) return hit.tree;
  let tree: FlowTree | null = null;
  try {
    const json = readJsonFile(path, MAX_ARTIFACT_JSON_BYTES) as { family?: string; tree?: { nodes?: FlowTree['nodes'] }; features?: string[]; outputs?: string[] };
    if (json.family === 'decision_tree' && json.tree?.nodes) {
      const units = treeDataUnits(runDir);
      const nodes = json.tree.nodes.map((n) => (n.left >= 0 && units[n.feature] ? { ...n, threshold: units[n.feature]!(n.threshold) } : n));
      tree = { nodes, features: json.features ?? [], outputs: json.outputs ?? [] };
    }
  } catch { /* not JSON (an MLP's LayersModel is, but has no tree): no tree */ }
  trees.set(path, { mtime, tree });
  return tree;
}

/** Per feature, the run's model scale → the data's units; [] when the run has no readable preprocessing. */
function treeDataUnits(runDir: string): ((v: number) => number)[] {
  try {
    const fitted = readJsonFile(join(runDir, PREPROCESSING_FILE), MAX_ARTIFACT_JSON_BYTES) as FittedPreprocessing;
    const pipelinePath = join(runDir, DATA_PIPELINE_FILE);
    const saved = statSync(pipelinePath, { throwIfNoEntry: false }) ? readJsonFile(pipelinePath, MAX_ARTIFACT_JSON_BYTES) as SavedDataPipeline : undefined;
    return dataUnits(fitted, saved);
  } catch {
    return []; // thresholds as the model has them
  }
}

export function listenFlowGraph(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onRequest(FlowGraphRequest, async (p: FlowGraphParams): Promise<FlowGraphResult> => {
    const text = specText(documents, p.uri);
    if (text === undefined) return null;
    const run = await latestRun(p.uri);
    const parsed = parseSpec(text);
    const path = specPathOf(p.uri);
    let runtimeDiagnostics: number | undefined;
    const failure = path ? failedRun(path) : undefined;
    if (path && (run || failure)) {
      const profile = specDataProfile(parsed, path);
      const sha = profile && !('error' in profile) ? profile.sha256 : undefined;
      runtimeDiagnostics = runFeedback(parsed, run?.report ?? null, sha, failure).diagnostics.length;
    }
    return buildFlowGraph(parsed, run?.report ?? null, { tree: run ? runTree(run.runDir) : null, runtimeDiagnostics });
  });
  connection.onRequest(LatestRunRequest, (p: LatestRunParams): Promise<LatestRunResult> => latestRun(p.uri));
}
