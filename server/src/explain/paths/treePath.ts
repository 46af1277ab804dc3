/**
 * Decision paths of a CART tree: the nodes a sample visits from the root to its leaf, as scikit-learn's
 * `DecisionTreeClassifier.decision_path` lists them, with what each node tested and predicted. Family-specific:
 * reads `TreeModel.tree` and evaluates nothing.
 */
import type { TreeModel } from '../../models/model';
import { checkMatrix, type Matrix } from '../common';
import { checkTree } from '../shap/treeShap';
import { featureNames } from '../types';

export interface DecisionPathStep {
  /** Node id in the tree's arrays. */
  node: number;
  /** Split feature (index and name), threshold and the sample's value; absent at the leaf. */
  feature?: number;
  featureName?: string;
  threshold?: number;
  value?: number;
  /** 'left' when value <= threshold, 'right' otherwise, 'leaf' at the end. */
  side: 'left' | 'right' | 'leaf';
  /** The node's prediction: class fractions (classification) or mean target (regression), `outputs` order. */
  prediction: number[];
  /** Training samples that reached the node, and its impurity. */
  samples: number;
  impurity: number;
}

export interface TreePathResult {
  method: 'tree_path';
  outputs: string[];
  /** One path per sample, root first. */
  paths: DecisionPathStep[][];
  evaluations: 0;
}

/**
 * Decision path of every row of x [n_samples, n_features].
 * @throws Error on a malformed tree or rows of the wrong width.
 */
export function treeDecisionPaths(model: TreeModel, x: Matrix, options: { features?: readonly string[] } = {}): TreePathResult {
  const d = model.nFeatures;
  checkTree(model.tree, d);
  checkMatrix(x, d, 'decision path');
  const names = featureNames(options.features, d);
  const nodes = model.tree.nodes;
  const paths = x.map((row) => {
    const steps: DecisionPathStep[] = [];
    for (let i = 0; ;) {
      const n = nodes[i]!;
      const common = { node: i, prediction: [...n.value], samples: n.samples, impurity: n.impurity };
      if (n.left < 0) { steps.push({ ...common, side: 'leaf' }); break; }
      const value = row[n.feature]!;
      const side = value <= n.threshold ? 'left' : 'right';
      steps.push({ ...common, feature: n.feature, featureName: names[n.feature]!, threshold: n.threshold, value, side });
      i = side === 'left' ? n.left : n.right;
    }
    return steps;
  });
  return { method: 'tree_path', outputs: [...model.outputs], paths, evaluations: 0 };
}

/** One path as text, e.g. `petal_length = 1.4 ≤ 2.45 → setosa (1.00)`. */
export function formatDecisionPath(path: readonly DecisionPathStep[], outputs: readonly string[], digits = 3): string {
  const parts = path.map((s) => {
    if (s.side === 'leaf') {
      if (outputs.length === 1) return `${outputs[0]} = ${s.prediction[0]!.toPrecision(digits)}`;
      const best = s.prediction.indexOf(Math.max(...s.prediction));
      return `${outputs[best]} (${s.prediction[best]!.toFixed(2)})`;
    }
    return `${s.featureName} = ${s.value!.toPrecision(digits)} ${s.side === 'left' ? '≤' : '>'} ${s.threshold!.toPrecision(digits)}`;
  });
  return parts.join(' → ');
}
