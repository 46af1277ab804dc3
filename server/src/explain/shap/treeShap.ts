/**
 * Exact TreeSHAP for one CART tree, the path-dependent algorithm (Lundberg, Erion & Lee 2018, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", Algorithm 2; the same recursion as the `shap`
 * package's tree_shap_recursive). It computes, in O(L·D²) per sample, the Shapley values of the game
 * v(S) = E[f(x) | x_S], where the conditional expectation follows the tree: at a node splitting on a feature
 * outside S, both children are averaged by their training `samples` (cover). Family-specific: reads
 * `TreeModel.tree` and evaluates nothing.
 */
import type { TreeModel, TreeStructure } from '../../models/model';
import { checkMatrix, type Matrix } from '../common';
import { featureNames, type AttributionResult } from '../types';

interface PathElement { feature: number; zero: number; one: number; pweight: number }

function extendPath(path: PathElement[], depth: number, zero: number, one: number, feature: number): void {
  path[depth] = { feature, zero, one, pweight: depth === 0 ? 1 : 0 };
  for (let i = depth - 1; i >= 0; i--) {
    path[i + 1]!.pweight += (one * path[i]!.pweight * (i + 1)) / (depth + 1);
    path[i]!.pweight = (zero * path[i]!.pweight * (depth - i)) / (depth + 1);
  }
}

function unwindPath(path: PathElement[], depth: number, index: number): void {
  const { one, zero } = path[index]!;
  let next = path[depth]!.pweight;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = path[i]!.pweight;
      path[i]!.pweight = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (path[i]!.pweight * zero * (depth - i)) / (depth + 1);
    } else {
      path[i]!.pweight = (path[i]!.pweight * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path[i]!.feature = path[i + 1]!.feature;
    path[i]!.zero = path[i + 1]!.zero;
    path[i]!.one = path[i + 1]!.one;
  }
}

function unwoundPathSum(path: readonly PathElement[], depth: number, index: number): number {
  const { one, zero } = path[index]!;
  let next = path[depth]!.pweight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = path[i]!.pweight - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += path[i]!.pweight / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/** Checks the `tree_` arrays: children in range, leaves marked by −1, positive cover. @throws Error naming the node. */
export function checkTree(tree: TreeStructure, nFeatures: number): void {
  const n = tree.nodes.length;
  if (n === 0) throw new Error('the tree has no nodes');
  tree.nodes.forEach((node, i) => {
    const leaf = node.left < 0;
    if (leaf !== (node.right < 0)) throw new Error(`tree node ${i}: one child is missing (left ${node.left}, right ${node.right})`);
    if (!leaf && (node.left >= n || node.right >= n || node.left <= i || node.right <= i)) throw new Error(`tree node ${i}: children ${node.left}, ${node.right} out of range`);
    if (!leaf && (node.feature < 0 || node.feature >= nFeatures)) throw new Error(`tree node ${i}: split feature ${node.feature} is not one of 0…${nFeatures - 1}`);
    if (!(node.samples > 0)) throw new Error(`tree node ${i}: samples (cover) must be positive, not ${node.samples}`);
  });
}

/** E[f] under the tree's own cover: the samples-weighted mean of the leaf values of one output. */
export function treeExpectedValue(tree: TreeStructure, output: number): number {
  const rec = (i: number): number => {
    const node = tree.nodes[i]!;
    if (node.left < 0) return node.value[output]!;
    const l = tree.nodes[node.left]!; const r = tree.nodes[node.right]!;
    return (l.samples * rec(node.left) + r.samples * rec(node.right)) / (l.samples + r.samples);
  };
  return rec(0);
}

/** Path-dependent TreeSHAP values of one row for one output: [n_features]. */
export function treeShapRow(tree: TreeStructure, row: readonly number[], output: number, nFeatures: number): number[] {
  const phi = new Array<number>(nFeatures).fill(0);
  const recurse = (nodeIndex: number, parentPath: readonly PathElement[], depthIn: number, zero: number, one: number, feature: number): void => {
    let depth = depthIn;
    const path = parentPath.slice(0, depth).map((e) => ({ ...e }));
    extendPath(path, depth, zero, one, feature);
    const node = tree.nodes[nodeIndex]!;
    if (node.left < 0) {
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(path, depth, i);
        const e = path[i]!;
        phi[e.feature]! += w * (e.one - e.zero) * node.value[output]!;
      }
      return;
    }
    const goLeft = row[node.feature]! <= node.threshold;
    const hot = goLeft ? node.left : node.right;
    const cold = goLeft ? node.right : node.left;
    const cover = tree.nodes[node.left]!.samples + tree.nodes[node.right]!.samples;
    const hotZero = tree.nodes[hot]!.samples / cover;
    const coldZero = tree.nodes[cold]!.samples / cover;
    let inZero = 1;
    let inOne = 1;
    // A feature already on the path: undo its earlier split so that each feature appears once.
    let k = 0;
    for (; k <= depth; k++) if (path[k]!.feature === node.feature) break;
    if (k <= depth) {
      inZero = path[k]!.zero;
      inOne = path[k]!.one;
      unwindPath(path, depth, k);
      depth -= 1;
    }
    recurse(hot, path, depth + 1, hotZero * inZero, inOne, node.feature);
    recurse(cold, path, depth + 1, coldZero * inZero, 0, node.feature);
  };
  recurse(0, [], 0, 1, 1, -1);
  return phi;
}

export interface TreeShapOptions { output?: number; features?: readonly string[] }

/**
 * Exact path-dependent TreeSHAP values of x [n_samples, n_features] for one output of a tree.
 * @returns values [n_samples, n_features]; baseValues = the cover-weighted mean leaf value; predictions = the
 *   leaf values reached; gaps = efficiency |E[f] + Σφ − f(x)| (rounding only); evaluations 0.
 * @throws Error on a malformed tree or shapes that disagree.
 */
export function treeShap(model: TreeModel, x: Matrix, options: TreeShapOptions = {}): AttributionResult {
  const d = model.nFeatures;
  const k = options.output ?? 0;
  checkTree(model.tree, d);
  checkMatrix(x, d, 'TreeSHAP');
  if (model.tree.nodes[0]!.value[k] === undefined) throw new Error(`TreeSHAP: the tree has no output ${k}`);
  const base = treeExpectedValue(model.tree, k);
  const values = x.map((row) => treeShapRow(model.tree, row, k, d));
  const predictions = x.map((row) => {
    let i = 0;
    for (let n = model.tree.nodes[0]!; n.left >= 0; n = model.tree.nodes[i]!) i = row[n.feature]! <= n.threshold ? n.left : n.right;
    return model.tree.nodes[i]!.value[k]!;
  });
  const gaps = values.map((phi, i) => Math.abs(base + phi.reduce((s, v) => s + v, 0) - predictions[i]!));
  return {
    method: 'tree_shap', output: k, outputName: model.outputs[k] ?? `output${k}`, features: featureNames(options.features, d),
    values, baseValues: x.map(() => base), predictions, gaps, evaluations: 0, details: { algorithm: 'path-dependent', nodes: model.tree.nodes.length },
  };
}
