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

/**
 * The path of unique features down the tree (the paper's m), one row per recursion level in preallocated typed
 * arrays: level L holds the path of a node at depth L, so traversal allocates nothing.
 */
class PathBuffers {
  readonly feature: Int32Array[];
  readonly zero: Float64Array[];
  readonly one: Float64Array[];
  readonly pweight: Float64Array[];
  constructor(levels: number) {
    const width = levels + 1;
    this.feature = Array.from({ length: levels }, () => new Int32Array(width));
    this.zero = Array.from({ length: levels }, () => new Float64Array(width));
    this.one = Array.from({ length: levels }, () => new Float64Array(width));
    this.pweight = Array.from({ length: levels }, () => new Float64Array(width));
  }
}

function extendPath(f: Int32Array, z: Float64Array, o: Float64Array, w: Float64Array, depth: number, zero: number, one: number, feature: number): void {
  f[depth] = feature; z[depth] = zero; o[depth] = one; w[depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    w[i + 1]! += (one * w[i]! * (i + 1)) / (depth + 1);
    w[i] = (zero * w[i]! * (depth - i)) / (depth + 1);
  }
}

function unwindPath(f: Int32Array, z: Float64Array, o: Float64Array, w: Float64Array, depth: number, index: number): void {
  const one = o[index]!;
  const zero = z[index]!;
  let next = w[depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = w[i]!;
      w[i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (w[i]! * zero * (depth - i)) / (depth + 1);
    } else {
      w[i] = (w[i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) { f[i] = f[i + 1]!; z[i] = z[i + 1]!; o[i] = o[i + 1]!; }
}

function unwoundPathSum(z: Float64Array, o: Float64Array, w: Float64Array, depth: number, index: number): number {
  const one = o[index]!;
  const zero = z[index]!;
  let next = w[depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = w[i]! - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += w[i]! / zero / ((depth - i) / (depth + 1));
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

function treeDepth(tree: TreeStructure): number {
  const rec = (i: number): number => { const n = tree.nodes[i]!; return n.left < 0 ? 0 : 1 + Math.max(rec(n.left), rec(n.right)); };
  return rec(0);
}

/** Path-dependent TreeSHAP values of one row for one output: [n_features]. */
export function treeShapRow(tree: TreeStructure, row: readonly number[], output: number, nFeatures: number, buffers?: PathBuffers): number[] {
  const phi = new Array<number>(nFeatures).fill(0);
  const b = buffers ?? new PathBuffers(treeDepth(tree) + 2);
  const nodes = tree.nodes;
  const recurse = (nodeIndex: number, level: number, depthIn: number, zero: number, one: number, feature: number): void => {
    let depth = depthIn;
    const f = b.feature[level]!; const z = b.zero[level]!; const o = b.one[level]!; const w = b.pweight[level]!;
    if (level > 0) {
      // Copy the parent's path (its first `depth` elements) into this level.
      const pf = b.feature[level - 1]!; const pz = b.zero[level - 1]!; const po = b.one[level - 1]!; const pw = b.pweight[level - 1]!;
      for (let i = 0; i < depth; i++) { f[i] = pf[i]!; z[i] = pz[i]!; o[i] = po[i]!; w[i] = pw[i]!; }
    }
    extendPath(f, z, o, w, depth, zero, one, feature);
    const node = nodes[nodeIndex]!;
    if (node.left < 0) {
      const v = node.value[output]!;
      for (let i = 1; i <= depth; i++) phi[f[i]!]! += unwoundPathSum(z, o, w, depth, i) * (o[i]! - z[i]!) * v;
      return;
    }
    const goLeft = row[node.feature]! <= node.threshold;
    const hot = goLeft ? node.left : node.right;
    const cold = goLeft ? node.right : node.left;
    const cover = nodes[node.left]!.samples + nodes[node.right]!.samples;
    let inZero = 1;
    let inOne = 1;
    // A feature already on the path: undo its earlier split so that each feature appears once.
    let k = 0;
    for (; k <= depth; k++) if (f[k] === node.feature) break;
    if (k <= depth) {
      inZero = z[k]!;
      inOne = o[k]!;
      unwindPath(f, z, o, w, depth, k);
      depth -= 1;
    }
    recurse(hot, level + 1, depth + 1, (nodes[hot]!.samples / cover) * inZero, inOne, node.feature);
    recurse(cold, level + 1, depth + 1, (nodes[cold]!.samples / cover) * inZero, 0, node.feature);
  };
  recurse(0, 0, 0, 1, 1, -1);
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
  const buffers = new PathBuffers(treeDepth(model.tree) + 2);
  const values = x.map((row) => treeShapRow(model.tree, row, k, d, buffers));
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
