import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionModel } from '../../../server/src/explain/common';
import { formatDecisionPath, treeDecisionPaths } from '../../../server/src/explain/paths/treePath';
import { reluPaths } from '../../../server/src/explain/paths/reluPaths';
import { surrogateTree } from '../../../server/src/explain/paths/surrogate';
import type { TreeStructure } from '../../../server/src/models/model';
import { buildMlp } from '../../../server/src/models/mlp';
import { selectBackend } from '../../../server/src/worker/backend';
import { denseMlp, logisticModel, randomDenseLayers, treeModel, uniformRows } from './helpers';
import { MlpFitted } from '../../../server/src/models/mlpModel';

const root = resolve(__dirname, '../../..');

interface SklearnTree {
  features: string[];
  classes: string[];
  tree: { children_left: number[]; children_right: number[]; feature: number[]; threshold: number[]; impurity: number[]; n_node_samples: number[]; value: number[][] };
  paths: number[][];
  leaves: number[];
  predict_proba: number[][];
}

describe('decision paths', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });

  it('iris: the tree rebuilt from scikit-learn\'s tree_ arrays gives decision_path node for node for all 150 samples', () => {
    const ref = JSON.parse(readFileSync(resolve(root, 'test/fixtures/sklearn/explain_iris_tree.json'), 'utf8')) as SklearnTree;
    const t = ref.tree;
    const tree: TreeStructure = {
      nodes: t.children_left.map((left, i) => ({
        feature: t.feature[i]! < 0 ? -1 : t.feature[i]!, threshold: t.threshold[i]!, left, right: t.children_right[i]!,
        impurity: t.impurity[i]!, samples: t.n_node_samples[i]!, value: t.value[i]!,
      })),
    };
    const lines = readFileSync(resolve(root, 'examples/data/iris.csv'), 'utf8').trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(ref.features);
    const x = lines.slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
    expect(x).toHaveLength(150);
    const r = treeDecisionPaths(treeModel(tree, 4, ref.classes), x, { features: ref.features });
    expect(r.evaluations).toBe(0);
    r.paths.forEach((path, i) => {
      expect(path.map((s) => s.node), `sample ${i}`).toEqual(ref.paths[i]);
      const leaf = path[path.length - 1]!;
      expect(leaf.node).toBe(ref.leaves[i]);
      expect(leaf.side).toBe('leaf');
      leaf.prediction.forEach((p, k) => expect(p).toBeCloseTo(ref.predict_proba[i]![k]!, 12));
      // Each step took the side its value says, and names the feature and threshold of its node.
      path.slice(0, -1).forEach((s, j) => {
        expect(s.value).toBe(x[i]![s.feature!]);
        expect(s.side).toBe(s.value! <= s.threshold! ? 'left' : 'right');
        expect(path[j + 1]!.node).toBe(s.side === 'left' ? t.children_left[s.node] : t.children_right[s.node]);
        expect(s.featureName).toBe(ref.features[t.feature[s.node]!]);
        expect(s.samples).toBe(t.n_node_samples[s.node]);
      });
    });
    expect(formatDecisionPath(r.paths[0]!, ref.classes)).toBe('petal_width = 0.200 ≤ 0.800 → setosa (1.00)');
  });

  it('ReLU network: paths + bias terms add up to the output to 1e-5; the local linear model is the gradient', async () => {
    const layers = randomDenseLayers([5, 8, 6, 2], 13);
    const model = denseMlp(layers);
    const x = uniformRows(20, [1, 1, 1, 1, 1], 6);
    for (const output of [0, 1]) {
      const r = await reluPaths(model, x, { output, top: Infinity });
      const grads = await model.gradient(x, output);
      r.samples.forEach((s, i) => {
        expect(Math.abs(s.pathTotal + s.biasTotal - s.output)).toBeLessThan(1e-9);
        expect(Math.abs(s.output - s.modelOutput)).toBeLessThan(1e-9);
        expect(s.pathCount).toBe(5 * 8 * 6);
        // With every path kept, the listed paths sum to the path total.
        expect(Math.abs(s.topPaths.reduce((a, p) => a + p.contribution, 0) - s.pathTotal)).toBeLessThan(1e-9);
        expect(Math.abs(x[i]!.reduce((a, v, j) => a + v * s.localWeights[j]!, s.localBias) - s.output)).toBeLessThan(1e-9);
        s.localWeights.forEach((wj, j) => expect(wj).toBeCloseTo(grads[i]![j]!, 12));
        expect(s.pattern.map((p) => p.length)).toEqual([8, 6]);
      });
    }
    const top3 = await reluPaths(model, x.slice(0, 1), { top: 3 });
    const all = await reluPaths(model, x.slice(0, 1), { top: Infinity });
    expect(top3.samples[0]!.topPaths).toEqual(all.samples[0]!.topPaths.slice(0, 3));
  });

  it('ReLU paths of a real TensorFlow.js network add up to its own float32 prediction to 1e-5', async () => {
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 12, activation: 'relu' }, { units: 6, activation: 'relu' }] }, 10, 5);
    const model = new MlpFitted(net, ['y']);
    const x = uniformRows(30, new Array(10).fill(1.5), 2);
    const r = await reluPaths(model, x, { top: 5, features: Array.from({ length: 10 }, (_, j) => `lag_${j + 1}`) });
    expect(r.evaluations).toBe(30);
    r.samples.forEach((s) => {
      expect(Math.abs(s.pathTotal + s.biasTotal - s.modelOutput)).toBeLessThan(1e-5);
      expect(s.topPaths).toHaveLength(5);
      expect(s.topPaths[0]!.feature).toMatch(/^lag_/);
    });
    net.dispose();
    const tanh = denseMlp(randomDenseLayers([2, 3, 1], 1).map((l, i) => (i === 0 ? { ...l, activation: 'tanh' as const } : l)));
    await expect(reluPaths(tanh, [[0, 0]])).rejects.toThrow(/hidden layer 0 has activation tanh/);
  });

  it('surrogate tree: fidelity 1 for a tree-shaped model, high agreement for a logistic classifier, lower for a wavy function', async () => {
    const x = uniformRows(600, [1, 1, 1], 4);
    const step = functionModel((rows) => rows.map((r) => (r[0]! > 0.1 ? (r[1]! > -0.3 ? 3 : 1) : -2)), 3);
    const s = await surrogateTree(step, x, { maxDepth: 2, seed: 1 });
    expect(s.fidelityMetric).toBe('r2');
    expect(s.fidelityHeldOut).toBeCloseTo(1, 12);
    expect(s.evaluations).toBe(600);
    expect(s.heldOutRows).toBe(150);
    const paths = treeDecisionPaths(s.tree, x.slice(0, 1));
    expect(paths.paths[0]![0]!.feature).toBe(0);
    const logit = await surrogateTree(logisticModel([3, -2, 0]), x, { maxDepth: 4, seed: 2 });
    expect(logit.fidelityMetric).toBe('agreement');
    expect(logit.fidelityHeldOut).toBeGreaterThan(0.85);
    const wavy = await surrogateTree(functionModel((rows) => rows.map((r) => Math.sin(6 * r[0]!) + Math.cos(5 * r[1]!)), 3), x, { maxDepth: 2, seed: 3 });
    expect(wavy.fidelityHeldOut).toBeLessThan(0.8);
    expect(wavy.depth).toBeLessThanOrEqual(2);
  });
});
