/**
 * The "same architecture with random weights" of a fitted model, for the model-parameter randomization sanity
 * check (Adebayo et al. 2018, §3.1): a linear model keeps its shape and link with Gaussian weights of the
 * trained weights' scale; a tree keeps its shape (nodes, children, cover) with a random split feature and a
 * threshold drawn from the training values of that feature at every split, and its leaf values shuffled among
 * the leaves (node values recomputed as cover-weighted means). MLPs are rebuilt untrained by the pipeline.
 */
import { seededRandom } from '../data/random';
import { LinearFitted } from '../models/linear';
import type { FittedModel, TreeModel, TreeNode } from '../models/model';
import { DecisionTree } from '../models/tree';
import { checkMatrix, type Matrix } from './common';

function gaussian(random: () => number): number {
  // Box–Muller.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A random-weight twin of a linear model or a tree, or undefined for other families.
 * @param trainX [n_samples, n_features] training rows (model scale), for the random trees' thresholds.
 */
export function randomTwin(model: FittedModel, trainX: Matrix, seed: number): FittedModel | undefined {
  const random = seededRandom(seed);
  if ('linear' in model && model.linear && model.family !== 'decision_tree' && model.family !== 'mlp') {
    const l = (model as FittedModel & { linear: LinearFitted['linear'] }).linear;
    const all = l.weights.flat();
    const scale = Math.sqrt(all.reduce((s, w) => s + w * w, 0) / all.length) || 1;
    const weights = l.weights.map((row) => row.map(() => scale * gaussian(random)));
    return new LinearFitted(model.family as LinearFitted['family'], model.task, [...model.outputs], { ...l, weights, intercepts: [...l.intercepts] });
  }
  if (model.family === 'decision_tree' && 'tree' in model) {
    const tree = (model as TreeModel).tree;
    checkMatrix(trainX, model.nFeatures, 'random twin');
    const nodes: TreeNode[] = tree.nodes.map((n) => ({ ...n, value: [...n.value] }));
    const leaves = nodes.map((n, i) => [n, i] as const).filter(([n]) => n.left < 0).map(([, i]) => i);
    const values = leaves.map((i) => nodes[i]!.value);
    for (let i = values.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [values[i], values[j]] = [values[j]!, values[i]!]; }
    leaves.forEach((i, k) => { nodes[i]!.value = values[k]!; });
    nodes.forEach((n) => {
      if (n.left < 0) return;
      n.feature = Math.floor(random() * model.nFeatures);
      n.threshold = trainX[Math.floor(random() * trainX.length)]![n.feature]!;
    });
    // Children come after their parent: recompute internal values bottom-up.
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i]!;
      if (n.left < 0) continue;
      const L = nodes[n.left]!; const R = nodes[n.right]!;
      n.value = L.value.map((v, k) => (L.samples * v + R.samples * R.value[k]!) / (L.samples + R.samples));
    }
    const params = (model as Partial<DecisionTree>).params ?? { criterion: 'gini', maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxLeafNodes: null, ccpAlpha: 0 };
    return new DecisionTree(model.task, model.nFeatures, [...model.outputs], { nodes }, params);
  }
  return undefined;
}
