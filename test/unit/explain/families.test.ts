/**
 * The explainers on the real model families of server/src/models (CART tree, linear and logistic regression,
 * linear SVM with Platt probabilities, TensorFlow.js MLP), fitted on the real iris and diabetes data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kmeansBackground } from '../../../server/src/explain/background';
import { integratedGradients } from '../../../server/src/explain/gradients';
import { kernelShap } from '../../../server/src/explain/shap/kernelShap';
import { linearShap } from '../../../server/src/explain/shap/linearShap';
import { treeShap } from '../../../server/src/explain/shap/treeShap';
import { fitLinearRegression, fitLogisticRegression } from '../../../server/src/models/linear';
import { fitLinearSvm } from '../../../server/src/models/linearSvm';
import { buildMlp, trainMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import type { FittedModel, TreeStructure } from '../../../server/src/models/model';
import { fitDecisionTree } from '../../../server/src/models/tree';
import { selectBackend } from '../../../server/src/worker/backend';
import { exampleCsv as csv, standardizeRows as standardize, sum } from './helpers';

function factorial(n: number): number { let r = 1; for (let i = 2; i <= n; i++) r *= i; return r; }

function bruteTreeShap(tree: TreeStructure, row: readonly number[], m: number, k: number): number[] {
  const v = (s: readonly boolean[]): number => {
    const rec = (i: number): number => {
      const n = tree.nodes[i]!;
      if (n.left < 0) return n.value[k]!;
      if (s[n.feature]) return rec(row[n.feature]! <= n.threshold ? n.left : n.right);
      const l = tree.nodes[n.left]!; const r = tree.nodes[n.right]!;
      return (l.samples * rec(n.left) + r.samples * rec(n.right)) / (l.samples + r.samples);
    };
    return rec(0);
  };
  const phi = new Array<number>(m).fill(0);
  for (let bits = 0; bits < 2 ** m; bits++) {
    const s = Array.from({ length: m }, (_, j) => ((bits >> j) & 1) === 1);
    const size = s.filter(Boolean).length;
    for (let i = 0; i < m; i++) if (!s[i]) phi[i]! += (factorial(size) * factorial(m - size - 1)) / factorial(m) * (v(s.map((b, j) => b || j === i)) - v(s));
  }
  return phi;
}

describe('explainers on the real model families', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });
  const iris = csv('iris.csv');
  const classes = [...new Set(iris.rows.map((r) => r[4]!))];
  const xi = standardize(iris.rows.map((r) => r.slice(0, 4).map(Number)));
  const yi = iris.rows.map((r) => classes.indexOf(r[4]!));
  const explainRows = [0, 60, 120, 75, 140].map((i) => xi[i]!);

  it('Kernel SHAP efficiency E[f] + Σφ = f(x) to 1e-6 for every family and every output (iris)', async () => {
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 8, activation: 'relu' }] }, 4, 1, { nClasses: 3 });
    const mlp = new MlpFitted(net, classes, 'classification');
    const models: [string, FittedModel][] = [
      ['decision_tree', fitDecisionTree(xi, yi, classes, { task: 'classification', maxDepth: 4 })],
      ['logistic_regression', fitLogisticRegression(xi, yi, classes)],
      ['linear_svm', fitLinearSvm(xi, yi, classes)],
      ['mlp', mlp],
    ];
    const background = kmeansBackground(xi, 10, 0);
    for (const [name, model] of models) {
      for (let k = 0; k < 3; k++) {
        const r = await kernelShap(model, explainRows, { background, output: k });
        expect(r.details.exact).toBe(true);
        r.values.forEach((phi, i) => expect(Math.abs(r.baseValues[i]! + sum(phi) - r.predictions[i]!), `${name} output ${k}`).toBeLessThan(1e-6));
      }
    }
    mlp.dispose();
  });

  it('TreeSHAP on a CART tree fitted to iris (depth ≤ 4) equals brute-force Shapley values for every class', () => {
    const tree = fitDecisionTree(xi, yi, classes, { task: 'classification', maxDepth: 4 });
    expect(tree.depth()).toBeLessThanOrEqual(4);
    for (let k = 0; k < 3; k++) {
      const r = treeShap(tree, xi, { output: k });
      xi.forEach((row, i) => {
        const expected = bruteTreeShap(tree.tree, row, 4, k);
        expected.forEach((e, j) => expect(Math.abs(r.values[i]![j]! - e)).toBeLessThan(1e-12));
        expect(r.gaps![i]!).toBeLessThan(1e-12);
      });
    }
  });

  it('diabetes linear regression: linear SHAP = Kernel SHAP = wᵢ(xᵢ − E[xᵢ]) and IG = wᵢ(xᵢ − x′ᵢ), to 1e-5', async () => {
    const dia = csv('diabetes.csv');
    const t = dia.header.indexOf('progression');
    const x = standardize(dia.rows.map((r) => r.filter((_, j) => j !== t).map(Number)));
    const y = dia.rows.map((r) => Number(r[t]));
    const model = fitLinearRegression(x, y, 'progression', 1e-2);
    const w = model.linear.weights[0]!;
    const rows = x.slice(0, 4);
    const background = kmeansBackground(x, 20, 1);
    const means = w.map((_, j) => sum(background.rows.map((r, b) => r[j]! * background.weights[b]!)));
    const lin = linearShap(model, rows, { means });
    const ker = await kernelShap(model, rows, { background });
    const ig = await integratedGradients(model, rows, { baseline: means });
    rows.forEach((row, i) => row.forEach((v, j) => {
      const expected = w[j]! * (v - means[j]!);
      expect(Math.abs(lin.values[i]![j]! - expected)).toBeLessThan(1e-9);
      expect(Math.abs(ker.values[i]![j]! - expected)).toBeLessThan(1e-5);
      expect(Math.abs(ig.values[i]![j]! - expected)).toBeLessThan(1e-5);
    }));
    expect(ker.details.exact).toBe(true);
    expect(ker.details.coalitions).toBe(2 ** 10 - 2);
  });

  it('the MLP regression head: IG completeness under 1 % and Kernel SHAP efficiency on diabetes', async () => {
    const dia = csv('diabetes.csv');
    const t = dia.header.indexOf('progression');
    const x = standardize(dia.rows.map((r) => r.filter((_, j) => j !== t).map(Number)));
    const y = dia.rows.map((r) => Number(r[t]));
    const my = sum(y) / y.length;
    const sy = Math.sqrt(sum(y.map((v) => (v - my) ** 2)) / y.length);
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 12, activation: 'relu' }] }, 10, 2);
    await trainMlp(net, x, y.map((v) => (v - my) / sy), { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 30, batch_size: 32, seed: 2 });
    const mlp = new MlpFitted(net, ['progression']);
    const ig = await integratedGradients(mlp, x.slice(0, 40), { steps: 100 });
    expect(ig.details.completenessGap).toBeLessThan(0.01);
    const ker = await kernelShap(mlp, x.slice(0, 3), { background: kmeansBackground(x, 8, 0) });
    ker.values.forEach((phi, i) => expect(Math.abs(ker.baseValues[i]! + sum(phi) - ker.predictions[i]!)).toBeLessThan(1e-6));
    mlp.dispose();
  });
});
