/**
 * A global surrogate: a shallow CART tree fitted to a model's PREDICTIONS (not to the target), so that any
 * model (an MLP, an SVM) gets readable decision paths, with the surrogate's fidelity to the model measured on
 * held-out rows: R² for regression, agreement (fraction of equal predicted classes) for classification
 * (Craven & Shavlik 1996, "Extracting Tree-Structured Representations of Trained Networks"; Molnar,
 * "Interpretable Machine Learning", §8.6).
 */
import { permutation, seededRandom } from '../../data/random';
import { r2 } from '../../models/metrics';
import type { FittedModel } from '../../models/model';
import { fitDecisionTree, type DecisionTree } from '../../models/tree';
import { checkMatrix, CountingModel, type Matrix } from '../common';

export interface SurrogateOptions {
  /** Depth of the surrogate tree (default 3). */
  maxDepth?: number;
  minSamplesLeaf?: number;
  /** Fraction of the rows held out to measure fidelity (default 0.25). */
  heldOut?: number;
  seed?: number;
  /** Regression: the output the surrogate imitates (default 0). */
  output?: number;
}

export interface SurrogateResult {
  method: 'surrogate_tree';
  /** The fitted surrogate (its decision paths come from `treeDecisionPaths`). */
  tree: DecisionTree;
  /** 'r2' (regression) or 'agreement' (classification). */
  fidelityMetric: 'r2' | 'agreement';
  fidelityTrain: number;
  fidelityHeldOut: number;
  trainRows: number;
  heldOutRows: number;
  depth: number;
  leaves: number;
  evaluations: number;
}

const argmax = (row: readonly number[]): number => row.reduce((b, v, k) => (v > row[b]! ? k : b), 0);

/**
 * Fits a depth-limited tree to the model's predictions on x [n_samples, n_features] (one batched predict).
 * @throws Error for fewer than 4 rows or a held-out fraction outside (0, 1).
 */
export async function surrogateTree(model: FittedModel, x: Matrix, options: SurrogateOptions = {}): Promise<SurrogateResult> {
  checkMatrix(x, model.nFeatures, 'surrogate');
  if (x.length < 4) throw new Error(`surrogate: needs at least 4 rows, not ${x.length}`);
  const frac = options.heldOut ?? 0.25;
  if (!(frac > 0 && frac < 1)) throw new Error(`surrogate: heldOut must be in (0, 1), not ${frac}`);
  const counter = new CountingModel(model);
  const predictions = await counter.predict(x);
  const order = permutation(x.length, seededRandom(options.seed ?? 0));
  const nTest = Math.max(1, Math.round(x.length * frac));
  const test = order.slice(0, nTest);
  const train = order.slice(nTest);
  const classification = model.task === 'classification';
  const target = classification ? predictions.map(argmax) : predictions.map((p) => p[options.output ?? 0]!);
  const pick = <T>(a: readonly T[], idx: readonly number[]): T[] => idx.map((i) => a[i]!);
  const tree = fitDecisionTree(pick(x, train), pick(target, train), classification ? [...model.outputs] : [model.outputs[options.output ?? 0] ?? 'y'], {
    task: model.task, maxDepth: options.maxDepth ?? 3, minSamplesLeaf: options.minSamplesLeaf ?? 1,
  });
  const fidelity = (idx: readonly number[]): number => {
    const s = tree.predictSync(pick(x, idx));
    if (classification) return s.filter((p, i) => argmax(p) === target[idx[i]!]).length / idx.length;
    return r2(pick(target, idx), s.map((p) => p[0]!));
  };
  return {
    method: 'surrogate_tree', tree, fidelityMetric: classification ? 'agreement' : 'r2',
    fidelityTrain: fidelity(train), fidelityHeldOut: fidelity(test), trainRows: train.length, heldOutRows: test.length,
    depth: tree.depth(), leaves: tree.leafCount(), evaluations: counter.evaluations,
  };
}
