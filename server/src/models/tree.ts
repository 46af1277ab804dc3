/**
 * CART decision trees (Breiman, Friedman, Olshen & Stone 1984, *Classification and Regression Trees*), laid out
 * as scikit-learn's `tree_` so that explainers and tests can read them the same way: node 0 is the root, a
 * sample goes LEFT when `x[feature] <= threshold`, leaves have `feature = -1`.
 *
 * What matches scikit-learn's `DecisionTreeClassifier/Regressor` (1.2, `splitter="best"`, `max_features=None`):
 * - thresholds at the midpoint of two consecutive distinct sorted values (values closer than 1e-7 are one value);
 * - criteria gini, entropy (log base 2) and squared_error, compared through the same "proxy" improvements;
 * - a node is a leaf when depth = max_depth, n < min_samples_split, n < 2·min_samples_leaf, or it is pure;
 * - depth-first growth with pre-order node ids; with `maxLeafNodes`, best-first growth (largest weighted impurity
 *   decrease first, children numbered when their parent is split);
 * - minimal cost-complexity pruning: the weakest link (smallest effective α) is pruned while its α <= ccpAlpha.
 *
 * TIE-BREAK (documented, deterministic): features are scanned in their column order and a candidate split
 * replaces the best one only when its improvement is STRICTLY larger, so among equally good splits the LOWEST
 * feature index wins, and within a feature the lowest threshold. scikit-learn scans features in an order drawn
 * from `random_state`, so its winner among ties depends on the seed; ours is what scikit-learn does whenever the
 * drawn order happens to be the column order. On iris (columns sepal_length, sepal_width, petal_length,
 * petal_width) the root candidates `petal_length <= 2.45` and `petal_width <= 0.8` separate setosa equally
 * well; we take `petal_length <= 2.45` (index 2 < 3).
 *
 * Efficiency: every feature is sorted once (presort); each node owns the same slice [start, end) of every
 * feature's sorted index array, and a split partitions those slices stably, so a level costs O(n · n_features)
 * and no sort happens after the first (Mehta, Agrawal & Rissanen 1996, SLIQ).
 */
import type { DenseMatrix } from './denseMatrix';
import type { ModelTask, TreeModel, TreeNode, TreeStructure } from './model';

export type TreeCriterion = 'gini' | 'entropy' | 'squared_error';

export interface TreeOptions {
  task: ModelTask;
  /** Default gini (classification) or squared_error (regression). */
  criterion?: TreeCriterion;
  /** Maximum depth (root = 0); default unlimited. */
  maxDepth?: number;
  /** A node with fewer samples is not split; default 2. */
  minSamplesSplit?: number;
  /** Each child keeps at least this many samples; default 1. */
  minSamplesLeaf?: number;
  /** Grow best-first up to this many leaves; default unlimited (depth-first). */
  maxLeafNodes?: number;
  /** Cost-complexity pruning parameter α >= 0 (impurity units per leaf); default 0 (no pruning). */
  ccpAlpha?: number;
}

/** Settings after defaults, as saved in the model file. */
export interface TreeParams {
  criterion: TreeCriterion;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxLeafNodes: number | null;
  ccpAlpha: number;
}

const FEATURE_THRESHOLD = 1e-7; // scikit-learn: values closer than this are not split apart
const EPSILON = 2.220446049250313e-16; // float64 machine epsilon: a node this pure is a leaf

interface Split { feature: number; pos: number; threshold: number; improvementProxy: number }

/** Per-node statistics and the criterion's arithmetic over them. */
class Criterion {
  readonly nClasses: number;
  constructor(readonly kind: TreeCriterion, readonly task: ModelTask, nClasses: number) {
    this.nClasses = task === 'classification' ? nClasses : 0;
  }

  /** Impurity from class counts [n_classes] (classification) or [sum, sum of squares] (regression) over n. */
  impurity(stats: Float64Array, n: number): number {
    if (this.task === 'regression') {
      const mean = stats[0]! / n;
      return stats[1]! / n - mean * mean;
    }
    if (this.kind === 'entropy') {
      let e = 0;
      for (let k = 0; k < this.nClasses; k++) {
        const c = stats[k]!;
        if (c > 0) { const p = c / n; e -= p * Math.log(p); }
      }
      return e / Math.LN2;
    }
    let sq = 0;
    for (let k = 0; k < this.nClasses; k++) sq += stats[k]! * stats[k]!;
    return 1 - sq / (n * n);
  }

  /**
   * scikit-learn's proxy of the impurity decrease (larger is better, same order as the true decrease):
   * −n_r·imp_r − n_l·imp_l for gini/entropy, sum_l²/n_l + sum_r²/n_r for squared error.
   */
  proxy(left: Float64Array, nl: number, right: Float64Array, nr: number): number {
    if (this.task === 'regression') return (left[0]! * left[0]!) / nl + (right[0]! * right[0]!) / nr;
    return -nr * this.impurity(right, nr) - nl * this.impurity(left, nl);
  }

  get width(): number { return this.task === 'regression' ? 2 : this.nClasses; }
}

/** The growing tree: flat arrays of the presorted features and the nodes made so far. */
class Builder {
  readonly n: number;
  readonly d: number;
  /** Column-major features: cols[f][i]. */
  readonly cols: Float64Array[];
  /** order[f] holds sample indices; each node owns the same slice of all of them, sorted by feature f. */
  readonly order: Int32Array[];
  readonly goesLeft: Uint8Array;
  readonly buffer: Int32Array;
  readonly nodes: TreeNode[] = [];
  readonly crit: Criterion;

  constructor(x: readonly (readonly number[])[], readonly y: ArrayLike<number>, readonly params: TreeParams, readonly task: ModelTask, readonly nClasses: number) {
    this.n = x.length;
    this.d = x[0]!.length;
    this.cols = Array.from({ length: this.d }, (_, f) => Float64Array.from(x, (row) => row[f]!));
    this.order = this.cols.map((col) => {
      const idx = Int32Array.from({ length: this.n }, (_, i) => i);
      return idx.sort((a, b) => col[a]! - col[b]! || a - b);
    });
    this.goesLeft = new Uint8Array(this.n);
    this.buffer = new Int32Array(this.n);
    this.crit = new Criterion(params.criterion, task, nClasses);
  }

  stats(start: number, end: number): Float64Array {
    const s = new Float64Array(this.crit.width);
    const idx = this.order[0]!;
    for (let p = start; p < end; p++) {
      const v = this.y[idx[p]!]!;
      this.accumulate(s, v);
    }
    return s;
  }

  /** Adds one sample's target to node statistics: [sum, sum of squares] or class counts. */
  accumulate(stats: Float64Array, v: number): void {
    if (this.task === 'regression') { stats[0] = stats[0]! + v; stats[1] = stats[1]! + v * v; } else stats[v] = stats[v]! + 1;
  }

  value(stats: Float64Array, n: number): number[] {
    return this.task === 'regression' ? [stats[0]! / n] : Array.from(stats, (c) => c / n);
  }

  /** The best split of the node's slice, or undefined when no split keeps min_samples_leaf on both sides. */
  bestSplit(start: number, end: number, total: Float64Array): Split | undefined {
    const { minSamplesLeaf } = this.params;
    const n = end - start;
    const w = this.crit.width;
    let best: Split | undefined;
    const left = new Float64Array(w);
    const right = new Float64Array(w);
    for (let f = 0; f < this.d; f++) {
      const col = this.cols[f]!;
      const idx = this.order[f]!;
      if (col[idx[end - 1]!]! <= col[idx[start]!]! + FEATURE_THRESHOLD) continue; // constant here
      left.fill(0);
      for (let p = start + 1; p < end; p++) {
        const i = idx[p - 1]!;
        const v = this.y[i]!;
        this.accumulate(left, v);
        const nl = p - start;
        const nr = n - nl;
        if (nl < minSamplesLeaf) continue;
        if (nr < minSamplesLeaf) break;
        const a = col[i]!;
        const b = col[idx[p]!]!;
        if (b <= a + FEATURE_THRESHOLD) continue;
        for (let k = 0; k < w; k++) right[k] = total[k]! - left[k]!;
        const proxy = this.crit.proxy(left, nl, right, nr);
        if (best === undefined || proxy > best.improvementProxy) {
          let threshold = a / 2 + b / 2;
          if (threshold === b || !Number.isFinite(threshold)) threshold = a; // rounding: keep b on the right
          best = { feature: f, pos: p, threshold, improvementProxy: proxy };
        }
      }
    }
    return best;
  }

  /** Partitions every feature's slice stably by the split: left samples first. */
  partition(start: number, end: number, split: Split): void {
    const col = this.cols[split.feature]!;
    const ref = this.order[split.feature]!;
    for (let p = start; p < end; p++) { const i = ref[p]!; this.goesLeft[i] = col[i]! <= split.threshold ? 1 : 0; }
    for (let f = 0; f < this.d; f++) {
      if (f === split.feature) continue; // already ordered: left part is a prefix
      const idx = this.order[f]!;
      let l = start;
      let r = 0;
      for (let p = start; p < end; p++) {
        const i = idx[p]!;
        if (this.goesLeft[i]) idx[l++] = i; else this.buffer[r++] = i;
      }
      idx.set(this.buffer.subarray(0, r), l);
    }
  }

  isLeafNode(n: number, depth: number, impurity: number): boolean {
    const { maxDepth, minSamplesSplit, minSamplesLeaf } = this.params;
    return (maxDepth !== null && depth >= maxDepth) || n < minSamplesSplit || n < 2 * minSamplesLeaf || impurity <= EPSILON;
  }

  addNode(stats: Float64Array, n: number, impurity: number): number {
    this.nodes.push({ feature: -1, threshold: -2, left: -1, right: -1, impurity, samples: n, value: this.value(stats, n) });
    return this.nodes.length - 1;
  }

  /** Depth-first growth: pre-order ids, left subtree first (scikit-learn's DepthFirstTreeBuilder). */
  growDepthFirst(): void {
    const stack: { start: number; end: number; depth: number; parent: number; isLeft: boolean }[] = [{ start: 0, end: this.n, depth: 0, parent: -1, isLeft: false }];
    while (stack.length) {
      const { start, end, depth, parent, isLeft } = stack.pop()!;
      const n = end - start;
      const stats = this.stats(start, end);
      const impurity = this.crit.impurity(stats, n);
      const id = this.addNode(stats, n, impurity);
      if (parent >= 0) this.nodes[parent]![isLeft ? 'left' : 'right'] = id;
      if (this.isLeafNode(n, depth, impurity)) continue;
      const split = this.bestSplit(start, end, stats);
      if (!split) continue;
      this.partition(start, end, split);
      Object.assign(this.nodes[id]!, { feature: split.feature, threshold: split.threshold });
      stack.push({ start: split.pos, end, depth: depth + 1, parent: id, isLeft: false });
      stack.push({ start, end: split.pos, depth: depth + 1, parent: id, isLeft: true });
    }
  }

  /** Best-first growth up to maxLeafNodes leaves (scikit-learn's BestFirstTreeBuilder). */
  growBestFirst(maxLeafNodes: number): void {
    interface Candidate { id: number; start: number; end: number; depth: number; split?: Split; improvement: number }
    const make = (start: number, end: number, depth: number): Candidate => {
      const n = end - start;
      const stats = this.stats(start, end);
      const impurity = this.crit.impurity(stats, n);
      const id = this.addNode(stats, n, impurity);
      if (this.isLeafNode(n, depth, impurity)) return { id, start, end, depth, improvement: -Infinity };
      const split = this.bestSplit(start, end, stats);
      if (!split) return { id, start, end, depth, improvement: -Infinity };
      const idx = this.order[split.feature]!;
      const ls = new Float64Array(this.crit.width);
      for (let p = start; p < split.pos; p++) { this.accumulate(ls, this.y[idx[p]!]!); }
      const rs = stats.map((s, k) => s - ls[k]!);
      const nl = split.pos - start;
      const nr = n - nl;
      // Weighted impurity decrease: (n_t / N)·(imp − n_l/n_t·imp_l − n_r/n_t·imp_r).
      const improvement = (n / this.n) * (impurity - (nr / n) * this.crit.impurity(rs, nr) - (nl / n) * this.crit.impurity(ls, nl));
      return { id, start, end, depth, split, improvement };
    };
    const frontier: Candidate[] = [make(0, this.n, 0)];
    let splitsLeft = maxLeafNodes - 1;
    while (frontier.length) {
      // Largest improvement first; among equals the earliest node (stable, deterministic).
      let bi = 0;
      for (let i = 1; i < frontier.length; i++) if (frontier[i]!.improvement > frontier[bi]!.improvement) bi = i;
      const c = frontier.splice(bi, 1)[0]!;
      if (!c.split || splitsLeft <= 0) continue;
      splitsLeft--;
      this.partition(c.start, c.end, c.split);
      Object.assign(this.nodes[c.id]!, { feature: c.split.feature, threshold: c.split.threshold });
      const l = make(c.start, c.split.pos, c.depth + 1);
      const r = make(c.split.pos, c.end, c.depth + 1);
      this.nodes[c.id]!.left = l.id;
      this.nodes[c.id]!.right = r.id;
      frontier.push(l, r);
    }
  }
}

/**
 * Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3): R(t) = (n_t / N)·impurity(t); the effective α of
 * an internal node is (R(t) − R(T_t)) / (|leaves(T_t)| − 1); the weakest link is pruned while its α <= ccpAlpha.
 * @returns a new node array renumbered in pre-order.
 */
export function pruneCostComplexity(nodes: readonly TreeNode[], ccpAlpha: number): TreeNode[] {
  if (ccpAlpha <= 0 || nodes.length <= 1) return nodes.map((n) => ({ ...n, value: [...n.value] }));
  const total = nodes[0]!.samples;
  const isLeaf = nodes.map((n) => n.left < 0);
  const r = nodes.map((n) => (n.samples / total) * n.impurity);
  const parent = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((n, i) => { if (n.left >= 0) { parent[n.left] = i; parent[n.right] = i; } });
  for (;;) {
    // Subtree leaf counts and leaf risks, children before parents (ids are not ordered in best-first trees).
    const leaves = new Float64Array(nodes.length);
    const risk = new Float64Array(nodes.length);
    const post: number[] = [];
    const stack = [0];
    while (stack.length) { const i = stack.pop()!; post.push(i); if (!isLeaf[i]) stack.push(nodes[i]!.left, nodes[i]!.right); }
    for (let k = post.length - 1; k >= 0; k--) {
      const i = post[k]!;
      if (isLeaf[i]) { leaves[i] = 1; risk[i] = r[i]!; } else {
        const { left, right } = nodes[i]!;
        leaves[i] = leaves[left]! + leaves[right]!;
        risk[i] = risk[left]! + risk[right]!;
      }
    }
    let weakest = -1;
    let alpha = Infinity;
    for (const i of post) {
      if (isLeaf[i]) continue;
      const a = (r[i]! - risk[i]!) / (leaves[i]! - 1);
      if (a < alpha) { alpha = a; weakest = i; }
    }
    if (weakest < 0 || alpha > ccpAlpha) break;
    isLeaf[weakest] = true;
  }
  const out: TreeNode[] = [];
  const visit = (i: number): number => {
    const n = nodes[i]!;
    const id = out.length;
    out.push({ ...n, value: [...n.value] });
    if (isLeaf[i]) Object.assign(out[id]!, { feature: -1, threshold: -2, left: -1, right: -1 });
    else { out[id]!.left = visit(n.left); out[id]!.right = visit(n.right); }
    return id;
  };
  visit(0);
  return out;
}

/**
 * Fits a CART tree.
 * @param x [n_samples, n_features] finite numbers.
 * @param y [n_samples]: class indices 0 … n_classes−1 (classification) or target values (regression).
 * @param nClasses number of classes (classification; ignored for regression).
 * @throws Error on empty data, ragged rows, non-finite values, bad class indices or bad options.
 */
export function fitTreeStructure(x: readonly (readonly number[])[], y: readonly number[], options: TreeOptions, nClasses = 0): { structure: TreeStructure; params: TreeParams } {
  const params = resolveParams(options);
  if (x.length === 0) throw new Error('decision tree: no training rows');
  if (y.length !== x.length) throw new Error(`decision tree: ${x.length} rows but ${y.length} targets`);
  const d = x[0]!.length;
  if (d === 0) throw new Error('decision tree: no features');
  x.forEach((row, i) => {
    if (row.length !== d) throw new Error(`decision tree: row ${i} has ${row.length} values, expected ${d}`);
    row.forEach((v, j) => { if (!Number.isFinite(v)) throw new Error(`decision tree: row ${i}, feature ${j} is ${v}, not a finite number`); });
  });
  y.forEach((v, i) => {
    if (options.task === 'classification' ? !(Number.isInteger(v) && v >= 0 && v < nClasses) : !Number.isFinite(v)) {
      throw new Error(`decision tree: target of row ${i} is ${v}, ${options.task === 'classification' ? `not a class index in 0 … ${nClasses - 1}` : 'not a finite number'}`);
    }
  });
  const b = new Builder(x, options.task === 'classification' ? Int32Array.from(y) : Float64Array.from(y), params, options.task, nClasses);
  if (params.maxLeafNodes !== null) b.growBestFirst(params.maxLeafNodes); else b.growDepthFirst();
  const nodes = params.ccpAlpha > 0 ? pruneCostComplexity(b.nodes, params.ccpAlpha) : b.nodes;
  return { structure: { nodes }, params };
}

function resolveParams(o: TreeOptions): TreeParams {
  const criterion = o.criterion ?? (o.task === 'regression' ? 'squared_error' : 'gini');
  if ((o.task === 'regression') !== (criterion === 'squared_error')) throw new Error(`decision tree: criterion ${criterion} does not fit a ${o.task} task`);
  const int = (name: string, v: number | undefined, min: number): number | null => {
    if (v === undefined) return null;
    if (!Number.isInteger(v) || v < min) throw new Error(`decision tree: ${name} must be an integer >= ${min}, not ${v}`);
    return v;
  };
  const ccpAlpha = o.ccpAlpha ?? 0;
  if (!(ccpAlpha >= 0)) throw new Error(`decision tree: ccp_alpha must be >= 0, not ${ccpAlpha}`);
  return {
    criterion, maxDepth: int('max_depth', o.maxDepth, 1), minSamplesSplit: int('min_samples_split', o.minSamplesSplit, 2) ?? 2,
    minSamplesLeaf: int('min_samples_leaf', o.minSamplesLeaf, 1) ?? 1, maxLeafNodes: int('max_leaf_nodes', o.maxLeafNodes, 2), ccpAlpha,
  };
}

/** The leaf each row reaches: x [n_samples, n_features] → node ids [n_samples]. */
export function applyTree(tree: TreeStructure, x: readonly (readonly number[])[]): number[] {
  return x.map((row) => {
    let i = 0;
    for (let node = tree.nodes[0]!; node.left >= 0; node = tree.nodes[i]!) i = row[node.feature]! <= node.threshold ? node.left : node.right;
    return i;
  });
}

/** A fitted tree: `predict` gives class fractions of the reached leaf (classification) or its mean (regression). */
export class DecisionTree implements TreeModel {
  readonly family = 'decision_tree' as const;
  constructor(
    readonly task: ModelTask, readonly nFeatures: number, readonly outputs: readonly string[],
    readonly tree: TreeStructure, readonly params: TreeParams,
  ) {}

  async predict(x: readonly (readonly number[])[]): Promise<number[][]> { return this.predictSync(x); }

  /** Synchronous `predict`: x [n_samples, n_features] → [n_samples, n_outputs]. */
  predictSync(x: readonly (readonly number[])[]): number[][] {
    x.forEach((row, i) => { if (row.length !== this.nFeatures) throw new Error(`decision tree: row ${i} has ${row.length} values, expected ${this.nFeatures}`); });
    return applyTree(this.tree, x).map((leaf) => [...this.tree.nodes[leaf]!.value]);
  }

  async predictDense(x: DenseMatrix): Promise<DenseMatrix> { return this.predictDenseSync(x); }

  /**
   * `predict` on a dense matrix: x [n_samples, n_features] → [n_samples, n_outputs], each row the value of the
   * leaf it reaches. The nodes are read into flat typed arrays once per call, so the descent touches no objects.
   * @throws Error when x has another number of columns.
   */
  predictDenseSync(x: DenseMatrix): DenseMatrix {
    const d = this.nFeatures;
    if (x.cols !== d) throw new Error(`decision tree: x has ${x.cols} features per row, expected ${d}`);
    const nodes = this.tree.nodes;
    const K = nodes[0]!.value.length; // every node holds one value per output
    const feature = Int32Array.from(nodes, (n) => n.feature);
    const threshold = Float64Array.from(nodes, (n) => n.threshold);
    const left = Int32Array.from(nodes, (n) => n.left);
    const right = Int32Array.from(nodes, (n) => n.right);
    const value = new Float64Array(nodes.length * K);
    nodes.forEach((n, i) => { for (let k = 0; k < K; k++) value[i * K + k] = n.value[k]!; });
    const xd = x.data;
    const out = new Float64Array(x.rows * K);
    for (let r = 0; r < x.rows; r++) {
      const o = r * d;
      let i = 0;
      while (left[i]! >= 0) i = xd[o + feature[i]!]! <= threshold[i]! ? left[i]! : right[i]!;
      for (let k = 0; k < K; k++) out[r * K + k] = value[i * K + k]!;
    }
    return { data: out, rows: x.rows, cols: K };
  }

  /** Depth of the tree (a lone root has depth 0). */
  depth(): number {
    const depthOf = (i: number): number => { const n = this.tree.nodes[i]!; return n.left < 0 ? 0 : 1 + Math.max(depthOf(n.left), depthOf(n.right)); };
    return depthOf(0);
  }

  leafCount(): number { return this.tree.nodes.filter((n) => n.left < 0).length; }
}

/**
 * Fits a decision tree and wraps it as a `TreeModel`.
 * @param outputs classification: the class labels (y holds their indices); regression: [target name].
 */
export function fitDecisionTree(x: readonly (readonly number[])[], y: readonly number[], outputs: readonly string[], options: TreeOptions): DecisionTree {
  const { structure, params } = fitTreeStructure(x, y, options, outputs.length);
  return new DecisionTree(options.task, x[0]!.length, [...outputs], structure, params);
}
