/**
 * Trees and linear models as documented JSON files (`model.json` in a run's `model/` folder; MLPs use the
 * TensorFlow.js LayersModel format instead, see `modelFiles.ts`).
 *
 * Format `xai-pipelines/model`, version 1:
 * ```
 * { "format": "xai-pipelines/model", "formatVersion": 1,
 *   "family": "decision_tree" | "linear_svm" | "linear_regression" | "logistic_regression",
 *   "task": "regression" | "classification", "nFeatures": d, "features": [names] (optional),
 *   "outputs": [target name] or [class labels],
 *   "tree": { "nodes": [TreeNode…] }, "params": TreeParams            (decision_tree)
 *   "linear": LinearStructure, "params": {…training settings}          (linear families) }
 * ```
 * TreeNode and LinearStructure are documented in `model.ts`. Numbers are written with JavaScript's shortest
 * round-trip form, so a loaded model predicts bit-for-bit what the saved one did.
 */
import { writeFileDurable } from '../data/durableWrite';
import { LinearFitted } from './linear';
import type { LinearStructure, ModelTask, TreeNode, TreeStructure } from './model';
import { readJsonFile } from './readJsonFile';
import { DecisionTree, type TreeParams } from './tree';

export const MODEL_JSON_FORMAT = 'xai-pipelines/model';
export const MODEL_JSON_VERSION = 1;
/** More inputs than any tabular model here has; the bound keeps hostile files from sizing allocations. */
const MAX_FEATURES = 1_000_000;

export type JsonModel = DecisionTree | LinearFitted;

export interface ModelJson {
  format: typeof MODEL_JSON_FORMAT;
  formatVersion: number;
  family: JsonModel['family'];
  task: ModelTask;
  nFeatures: number;
  features?: string[];
  outputs: string[];
  tree?: TreeStructure;
  linear?: LinearStructure;
  params?: object;
}

/** The JSON object of a tree or linear model; `features` names the inputs when known. */
export function modelToJson(model: JsonModel, features?: readonly string[], params?: object): ModelJson {
  const base: ModelJson = {
    format: MODEL_JSON_FORMAT, formatVersion: MODEL_JSON_VERSION, family: model.family, task: model.task, nFeatures: model.nFeatures,
    ...(features ? { features: [...features] } : {}), outputs: [...model.outputs],
  };
  return model instanceof DecisionTree
    ? { ...base, tree: model.tree, params: model.params }
    : { ...base, linear: model.linear, ...(params ? { params } : {}) };
}

/** Writes the model as JSON to `path` (durably: written, then flushed). */
export function saveModelJson(path: string, model: JsonModel, features?: readonly string[], params?: object): void {
  writeFileDurable(path, `${JSON.stringify(modelToJson(model, features, params), null, 1)}\n`);
}

/**
 * A model from its JSON object.
 * @throws Error saying what is wrong (format, version, family, missing or malformed structure), prefixed by `where`.
 */
export function modelFromJson(json: unknown, where = 'model JSON'): JsonModel {
  const j = json as Partial<ModelJson> | null;
  const fail = (why: string): never => { throw new Error(`${where}: ${why}`); };
  if (typeof j !== 'object' || j === null) return fail('not a JSON object');
  if (j.format !== MODEL_JSON_FORMAT) return fail(`format is ${JSON.stringify(j.format)}, expected "${MODEL_JSON_FORMAT}"`);
  if (j.formatVersion !== MODEL_JSON_VERSION) return fail(`formatVersion ${String(j.formatVersion)} is not supported (this build reads ${MODEL_JSON_VERSION})`);
  if (j.task !== 'regression' && j.task !== 'classification') return fail(`task ${JSON.stringify(j.task)} is unknown`);
  if (!Array.isArray(j.outputs) || j.outputs.length === 0) return fail('outputs missing');
  if (!Number.isInteger(j.nFeatures) || j.nFeatures! < 1) return fail('nFeatures missing');
  // Explainers allocate per feature: an absurd count is refused here rather than exhausting memory there.
  if (j.nFeatures! > MAX_FEATURES) return fail(`nFeatures ${j.nFeatures} is more than ${MAX_FEATURES}`);
  if (j.features !== undefined && (!Array.isArray(j.features) || j.features.length !== j.nFeatures || !j.features.every((f) => typeof f === 'string'))) {
    return fail(`features must name the ${j.nFeatures} inputs`);
  }
  if (!j.outputs.every((o) => typeof o === 'string')) return fail('outputs must be names');
  if (j.family === 'decision_tree') {
    const nodes = j.tree?.nodes;
    if (!Array.isArray(nodes) || nodes.length === 0) return fail('tree.nodes missing');
    const valueLength = j.task === 'regression' ? 1 : j.outputs.length;
    nodes.forEach((n: TreeNode, i) => {
      // Children come after their parent (CART numbers nodes as it grows them): no cycles, no shared subtrees.
      const ok = n && typeof n === 'object' && Number.isInteger(n.feature) && typeof n.threshold === 'number' && Number.isInteger(n.left) && Number.isInteger(n.right) &&
        n.left < nodes.length && n.right < nodes.length && n.feature < j.nFeatures! &&
        (n.left < 0 ? n.right < 0 : n.left > i && n.right > i && n.left !== n.right && n.feature >= 0 && !Number.isNaN(n.threshold)) &&
        Array.isArray(n.value) && n.value.length === valueLength && n.value.every(Number.isFinite) &&
        Number.isFinite(n.samples) && n.samples >= 0 && Number.isFinite(n.impurity);
      if (!ok) fail(`tree node ${i} is malformed (feature, threshold, children after the node, ${valueLength} finite value(s), samples and impurity are required)`);
    });
    return new DecisionTree(j.task, j.nFeatures!, j.outputs, { nodes }, j.params as TreeParams);
  }
  if (j.family === 'linear_svm' || j.family === 'linear_regression' || j.family === 'logistic_regression') {
    const l = j.linear;
    if (!l || !Array.isArray(l.weights) || !Array.isArray(l.intercepts) || l.weights.length !== l.intercepts.length || l.weights.length === 0) return fail('linear.weights/intercepts missing');
    if (l.weights.some((w) => !Array.isArray(w) || w.length !== j.nFeatures || !w.every(Number.isFinite))) return fail(`every weight row must have nFeatures = ${j.nFeatures} finite numbers`);
    if (!l.intercepts.every(Number.isFinite)) return fail('the intercepts must be finite numbers');
    if (!['identity', 'logistic', 'softmax', 'platt'].includes(l.link)) return fail(`link ${JSON.stringify(l.link)} is unknown`);
    if (l.link === 'platt' && (!Array.isArray(l.platt) || l.platt.length !== l.weights.length || !l.platt.every((p) => p && Number.isFinite(p.a) && Number.isFinite(p.b)))) return fail('link platt needs one {a, b} of finite numbers per weight row');
    // The link decides how many outputs the scores give; they must be the outputs the file names.
    const K = l.weights.length;
    const given = l.link === 'identity' ? K : l.link === 'logistic' ? (K === 1 ? 2 : -1) : l.link === 'platt' && K === 1 ? 2 : K;
    if ((j.task === 'regression') !== (l.link === 'identity')) return fail(`link ${l.link} does not fit a ${j.task} model`);
    if (given !== j.outputs.length) return fail(`${K} weight row(s) with link ${l.link} give ${given < 0 ? 'no valid' : given} output(s), but outputs names ${j.outputs.length}`);
    return new LinearFitted(j.family, j.task, j.outputs, l);
  }
  return fail(`family ${JSON.stringify(j.family)} is not stored as JSON (an MLP is a LayersModel folder)`);
}

/** A tree or linear model's JSON is kilobytes to a few megabytes; larger files are refused unread. */
const MAX_MODEL_JSON_BYTES = 256 * 2 ** 20;

/**
 * Reads a model saved by `saveModelJson`.
 * @throws Error naming the file when it is unreadable, too large, not JSON (with line and column) or malformed.
 */
export function loadModelJson(path: string): JsonModel {
  return modelFromJson(readJsonFile(path, MAX_MODEL_JSON_BYTES), path);
}
