/**
 * Hand-built models implementing the model contract (server/src/models/model.ts), for the explainers' analytic
 * tests: a linear model, a tree in scikit-learn's `tree_` layout, and a dense ReLU network in plain numbers; and the
 * example CSVs as rows, for the tests on real model families.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../../server/src/data/random';
import type { DenseLayerWeights, LinearModel, MlpModel, TreeModel, TreeNode, TreeStructure } from '../../../server/src/models/model';

type Rows = readonly (readonly number[])[];

/** n rows of independent uniform features on [−a, a] (Var = a²/3). */
export function uniformRows(n: number, halfWidths: readonly number[], seed: number): number[][] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => halfWidths.map((a) => (2 * r() - 1) * a));
}

export function populationVariance(v: readonly number[]): number {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length;
}

/** f(x) = w·x + b (identity link), one output. */
export function linearModel(w: readonly number[], b = 0): LinearModel {
  return {
    family: 'linear_regression', task: 'regression', nFeatures: w.length, outputs: ['y'],
    linear: { weights: [[...w]], intercepts: [b], link: 'identity' },
    async predict(x: Rows) { return x.map((row) => [row.reduce((s, v, j) => s + w[j]! * v, b)]); },
    async gradient(x: Rows) { return x.map(() => [...w]); },
  };
}

/** Logistic regression: p(class 1) = σ(w·x + b); outputs [p0, p1]. */
export function logisticModel(w: readonly number[], b = 0): LinearModel {
  const p1 = (row: readonly number[]) => 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + w[j]! * v, b)));
  return {
    family: 'logistic_regression', task: 'classification', nFeatures: w.length, outputs: ['0', '1'],
    linear: { weights: [[...w]], intercepts: [b], link: 'logistic' },
    async predict(x: Rows) { return x.map((row) => { const p = p1(row); return [1 - p, p]; }); },
    async gradient(x: Rows, output: number) {
      return x.map((row) => { const p = p1(row); const g = p * (1 - p) * (output === 1 ? 1 : -1); return w.map((wj) => g * wj); });
    },
  };
}

/** The leaf a row reaches: left when x[feature] <= threshold. */
export function leafOf(tree: TreeStructure, row: readonly number[]): number {
  let node = 0;
  for (let n = tree.nodes[0]!; n.left >= 0; n = tree.nodes[node]!) node = row[n.feature]! <= n.threshold ? n.left : n.right;
  return node;
}

export function treeModel(tree: TreeStructure, nFeatures: number, outputs: readonly string[] = ['y']): TreeModel {
  return {
    family: 'decision_tree', task: outputs.length > 1 ? 'classification' : 'regression', nFeatures, outputs, tree,
    async predict(x: Rows) { return x.map((row) => [...tree.nodes[leafOf(tree, row)]!.value]); },
  };
}

/**
 * A random full binary regression tree of the given depth on nFeatures features with thresholds in [−1, 1],
 * leaf values and sample counts, built so that every node's value is the sample-weighted mean of its children.
 */
export function randomTree(depth: number, nFeatures: number, seed: number): TreeStructure {
  const r = seededRandom(seed);
  const nodes: TreeNode[] = [];
  const build = (d: number): number => {
    const id = nodes.length;
    nodes.push({ feature: -1, threshold: -2, left: -1, right: -1, impurity: 0, samples: 0, value: [0] });
    // Leaves may also come early (an uneven tree), but not at the root.
    if (d === depth || (d > 0 && r() < 0.15)) {
      Object.assign(nodes[id]!, { samples: 1 + Math.floor(r() * 30), value: [Math.round((r() * 20 - 10) * 100) / 100] });
      return id;
    }
    const feature = Math.floor(r() * nFeatures);
    const threshold = Math.round((r() * 2 - 1) * 100) / 100;
    const left = build(d + 1);
    const right = build(d + 1);
    const L = nodes[left]!; const R = nodes[right]!;
    const samples = L.samples + R.samples;
    Object.assign(nodes[id]!, { feature, threshold, left, right, samples, value: [(L.samples * L.value[0]! + R.samples * R.value[0]!) / samples] });
    return id;
  };
  build(0);
  return { nodes };
}

function forward(layers: readonly DenseLayerWeights[], row: readonly number[]): number[] {
  let a = [...row];
  for (const layer of layers) {
    const z = layer.bias.map((b, k) => a.reduce((s, v, i) => s + v * layer.kernel[i]![k]!, b));
    a = layer.activation === 'relu' ? z.map((v) => Math.max(0, v)) : z;
  }
  return a;
}

/** Random dense layers: sizes [n_in, h1, …, n_out], ReLU hidden layers and a linear output. */
export function randomDenseLayers(sizes: readonly number[], seed: number): DenseLayerWeights[] {
  const r = seededRandom(seed);
  return sizes.slice(1).map((nOut, l) => ({
    kernel: Array.from({ length: sizes[l]! }, () => Array.from({ length: nOut }, () => (r() * 2 - 1) * 1.2)),
    bias: Array.from({ length: nOut }, () => (r() * 2 - 1) * 0.5),
    activation: l === sizes.length - 2 ? 'linear' : 'relu',
  }));
}

/** A ReLU MLP in plain numbers; the gradient is the exact one of its linear region. */
export function denseMlp(layers: DenseLayerWeights[]): MlpModel {
  const nOut = layers[layers.length - 1]!.bias.length;
  return {
    family: 'mlp', task: 'regression', nFeatures: layers[0]!.kernel.length, outputs: Array.from({ length: nOut }, (_, k) => `y${k}`),
    denseLayers: () => layers,
    async predict(x: Rows) { return x.map((row) => forward(layers, row)); },
    async gradient(x: Rows, output: number) {
      return x.map((row) => {
        // Back-propagate through the active units of this row.
        const acts: number[][] = [];
        let a = [...row];
        for (const layer of layers) {
          const z = layer.bias.map((b, k) => a.reduce((s, v, i) => s + v * layer.kernel[i]![k]!, b));
          acts.push(z);
          a = layer.activation === 'relu' ? z.map((v) => Math.max(0, v)) : z;
        }
        let g: number[] = Array.from({ length: nOut }, (_, k) => (k === output ? 1 : 0));
        for (let l = layers.length - 1; l >= 0; l--) {
          const layer = layers[l]!;
          const gz = layer.activation === 'relu' ? g.map((v, k) => (acts[l]![k]! > 0 ? v : 0)) : g;
          g = layer.kernel.map((rowW) => rowW.reduce((s, wik, k) => s + wik * gz[k]!, 0));
        }
        return g;
      });
    },
  };
}

/** A CSV of examples/data as text cells: its header and rows (the example files hold no quoted fields). */
export function exampleCsv(name: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(join(__dirname, '../../../examples/data', name), 'utf8').trim().split(/\r?\n/);
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Rows [n_samples, n_features] z-scored per column with the population std. */
export function standardizeRows(x: number[][]): number[][] {
  const d = x[0]!.length;
  const m = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / x.length);
  const s = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j]! - m[j]!) ** 2, 0) / x.length));
  return x.map((r) => r.map((v, j) => (v - m[j]!) / s[j]!));
}

export const sum = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0);
