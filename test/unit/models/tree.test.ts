import { describe, expect, it } from 'vitest';
import { applyTree, fitDecisionTree, type TreeOptions } from '../../../server/src/models/tree';
import { accuracyOf, loadClassification, loadCsv, reference } from './helpers';

interface RefRun { randomState: number; trainAccuracy: number; nodeCount: number; leaves: number; depth: number; root: { feature: string; threshold: number; impurity: number } }
interface RefCase { file: string; target: string; settings: { options: Omit<TreeOptions, 'task'>; runs: RefRun[] }[] }

describe('CART decision tree against scikit-learn DecisionTreeClassifier (test/fixtures/sklearn/models.json)', () => {
  for (const c of reference.trees as RefCase[]) {
    const data = loadClassification(c.file, c.target);
    for (const s of c.settings) {
      it(`${c.file} ${JSON.stringify(s.options)}: same training accuracy, node count, leaves and depth`, () => {
        const tree = fitDecisionTree(data.x, data.y, data.classes, { task: 'classification', ...s.options });
        // scikit-learn's figures do not depend on random_state here (ties only change WHICH feature, see below).
        const accs = new Set(s.runs.map((r) => r.trainAccuracy));
        expect(accs.size).toBe(1);
        const ref = s.runs[0]!;
        expect(accuracyOf(tree.predictSync(data.x), data.y)).toBe(ref.trainAccuracy);
        expect(tree.tree.nodes.length).toBe(ref.nodeCount);
        expect(tree.leafCount()).toBe(ref.leaves);
        expect(tree.depth()).toBe(ref.depth);
        const root = tree.tree.nodes[0]!;
        expect(root.impurity).toBeCloseTo(ref.root.impurity, 12);
        // Root split: scikit-learn's runs whose drawn feature order agrees with ours give the same root.
        const ours = { feature: data.features[root.feature], threshold: root.threshold };
        const same = s.runs.filter((r) => r.root.feature === ours.feature);
        expect(same.length).toBeGreaterThan(0);
        expect(ours.threshold).toBeCloseTo(same[0]!.root.threshold, 5); // scikit-learn thresholds come from float32 values
      });
    }
  }

  it('iris root: petal_length <= 2.45 and petal_width <= 0.8 tie; the lowest feature index (petal_length) is taken', () => {
    const iris = (reference.trees as RefCase[]).find((c) => c.file === 'iris.csv')!;
    const roots = new Set(iris.settings[0]!.runs.map((r) => `${r.root.feature} <= ${r.root.threshold.toFixed(2)}`));
    expect([...roots].sort()).toEqual(['petal_length <= 2.45', 'petal_width <= 0.80']); // scikit-learn: seed-dependent
    const data = loadClassification('iris.csv', 'species');
    const tree = fitDecisionTree(data.x, data.y, data.classes, { task: 'classification', maxDepth: 3 });
    const root = tree.tree.nodes[0]!;
    expect(data.features[root.feature]).toBe('petal_length');
    expect(root.threshold).toBeCloseTo(2.45, 12);
    const left = tree.tree.nodes[root.left]!;
    expect(left.samples).toBe(50);
    expect(left.value).toEqual([1, 0, 0]); // setosa alone
    expect(left.feature).toBe(-1);
    expect(tree.tree.nodes[root.right]!.value).toEqual([0, 0.5, 0.5]);
    // The tie really is exact: reordering the columns puts petal_width first and it wins instead.
    const swapped = data.x.map((r) => [r[3]!, r[2]!, r[1]!, r[0]!]);
    const t2 = fitDecisionTree(swapped, data.y, data.classes, { task: 'classification', maxDepth: 3 });
    expect(t2.tree.nodes[0]!.feature).toBe(0);
    expect(t2.tree.nodes[0]!.threshold).toBeCloseTo(0.8, 12);
  });

  it('regression (squared error) on diabetes: same training MSE, node count and root as DecisionTreeRegressor', () => {
    const ref = reference.regression;
    const d = loadCsv('diabetes.csv', 'progression');
    const y = d.labels.map(Number);
    const tree = fitDecisionTree(d.x, y, ['progression'], { task: 'regression', ...ref.tree.options });
    const p = tree.predictSync(d.x).map((r) => r[0]!);
    const mse = p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / y.length;
    expect(mse).toBeCloseTo(ref.tree.trainMse, 6);
    expect(tree.tree.nodes.length).toBe(ref.tree.nodeCount);
    expect(d.features[tree.tree.nodes[0]!.feature]).toBe(ref.tree.root.feature);
    expect(tree.tree.nodes[0]!.threshold).toBeCloseTo(ref.tree.root.threshold, 5);
  });

  it('node structure: samples add up, leaves have feature −1, values are class fractions, apply reaches leaves', () => {
    const data = loadClassification('wine.csv', 'cultivar');
    const tree = fitDecisionTree(data.x, data.y, data.classes, { task: 'classification', criterion: 'entropy', maxDepth: 4 });
    for (const n of tree.tree.nodes) {
      expect(n.value.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (n.left < 0) { expect(n.feature).toBe(-1); expect(n.right).toBe(-1); } else {
        expect(tree.tree.nodes[n.left]!.samples + tree.tree.nodes[n.right]!.samples).toBe(n.samples);
      }
    }
    const leaves = applyTree(tree.tree, data.x);
    expect(leaves.every((i) => tree.tree.nodes[i]!.left === -1)).toBe(true);
  });

  it('bad input gets a clear error', () => {
    expect(() => fitDecisionTree([], [], ['a', 'b'], { task: 'classification' })).toThrow(/no training rows/);
    expect(() => fitDecisionTree([[1], [NaN]], [0, 1], ['a', 'b'], { task: 'classification' })).toThrow(/row 1, feature 0 is NaN/);
    expect(() => fitDecisionTree([[1], [2]], [0, 2], ['a', 'b'], { task: 'classification' })).toThrow(/row 1 is 2, not a class index/);
    expect(() => fitDecisionTree([[1], [2]], [0, 1], ['a', 'b'], { task: 'classification', maxDepth: 0 })).toThrow(/max_depth must be an integer >= 1/);
    expect(() => fitDecisionTree([[1], [2]], [0, 1], ['a', 'b'], { task: 'classification', criterion: 'squared_error' })).toThrow(/does not fit a classification/);
  });

  it('fits 100 000 rows × 10 features (presorted; no timing asserted)', () => {
    let s = 7;
    const rnd = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    const x = Array.from({ length: 100_000 }, () => Array.from({ length: 10 }, rnd));
    const y = x.map((r) => (r[0]! + 0.5 * r[1]! > 0.75 ? 1 : 0));
    const tree = fitDecisionTree(x, y, ['0', '1'], { task: 'classification', maxDepth: 8 });
    expect(accuracyOf(tree.predictSync(x.slice(0, 5000)), y.slice(0, 5000))).toBeGreaterThan(0.98);
  });
});
