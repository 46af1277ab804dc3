/**
 * The dense hot path of the model contract (`predictDense` / `gradientDense` on `DenseMatrix`, models/model.ts):
 * every real family gives the same numbers, bit for bit, as its row-array `predict` / `gradient`; the explainers
 * reach the families only through it, in batches; a model that has only `predict` gets the same explanations; and
 * SHAP's efficiency holds to 1e-6 on the regression families and the binary linear SVM (real iris and diabetes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kmeansBackground } from '../../../server/src/explain/background';
import { gradientTimesInput, integratedGradients } from '../../../server/src/explain/gradients';
import { partialDependence } from '../../../server/src/explain/partialDependence';
import { surrogateTree } from '../../../server/src/explain/paths/surrogate';
import { permutationImportance } from '../../../server/src/explain/permutationImportance';
import { kernelShap } from '../../../server/src/explain/shap/kernelShap';
import { linearShap } from '../../../server/src/explain/shap/linearShap';
import { treeShap } from '../../../server/src/explain/shap/treeShap';
import { sobolIndices } from '../../../server/src/explain/sobol';
import { denseFromRows, rowsOfDense, type DenseMatrix } from '../../../server/src/models/denseMatrix';
import { fitLinearRegression, fitLogisticRegression } from '../../../server/src/models/linear';
import { fitLinearSvm } from '../../../server/src/models/linearSvm';
import { buildMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import type { DifferentiableModel, FittedModel } from '../../../server/src/models/model';
import { fitDecisionTree } from '../../../server/src/models/tree';
import { selectBackend } from '../../../server/src/worker/backend';
import { exampleCsv as csv, standardizeRows as standardize, sum } from './helpers';


/** A model seen through a wrapper that records each call: dense calls by rows, and calls made with row arrays. */
function recorded<M extends FittedModel>(model: M): { model: M; dense: number[]; rowArrays: number } {
  const log = { dense: [] as number[], rowArrays: 0 };
  const wrapped = Object.create(model) as M & { predictDense(x: DenseMatrix): Promise<DenseMatrix> };
  wrapped.predict = (x) => { log.rowArrays++; return model.predict(x); };
  wrapped.predictDense = (x) => { log.dense.push(x.rows); return model.predictDense!(x); };
  return { model: wrapped, get dense() { return log.dense; }, get rowArrays() { return log.rowArrays; } };
}

describe('the dense model contract (predictDense, gradientDense)', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });
  const iris = csv('iris.csv');
  const classes = [...new Set(iris.rows.map((r) => r[4]!))];
  const xi = standardize(iris.rows.map((r) => r.slice(0, 4).map(Number)));
  const yi = iris.rows.map((r) => classes.indexOf(r[4]!));
  const virginica = yi.map((c) => (c === 2 ? 1 : 0));
  const dia = csv('diabetes.csv');
  const t = dia.header.indexOf('progression');
  const features = dia.header.filter((_, j) => j !== t);
  const xd = standardize(dia.rows.map((r) => r.filter((_, j) => j !== t).map(Number)));
  const yd = dia.rows.map((r) => Number(r[t]));

  it('every family: predictDense and gradientDense give the bits of predict and gradient (150 and 442 rows, not multiples of 4)', async () => {
    const mlpC = new MlpFitted(buildMlp({ type: 'mlp', hidden_layers: [{ units: 8, activation: 'relu' }] }, 4, 1, { nClasses: 3 }), classes, 'classification');
    const mlpR = new MlpFitted(buildMlp({ type: 'mlp', hidden_layers: [{ units: 12, activation: 'relu' }, { units: 6, activation: 'relu' }] }, 10, 2), ['progression']);
    const cases: [string, FittedModel, number[][]][] = [
      ['linear_regression', fitLinearRegression(xd, yd, 'progression', 1e-2), xd],
      ['logistic_regression (softmax)', fitLogisticRegression(xi, yi, classes), xi],
      ['logistic_regression (binary)', fitLogisticRegression(xi, virginica, ['other', 'virginica']), xi],
      ['linear_svm (one-vs-rest, Platt)', fitLinearSvm(xi, yi, classes), xi],
      ['linear_svm (binary, Platt)', fitLinearSvm(xi, virginica, ['other', 'virginica']), xi],
      ['decision_tree (classifier)', fitDecisionTree(xi, yi, classes, { task: 'classification', maxDepth: 4 }), xi],
      ['decision_tree (regressor)', fitDecisionTree(xd, yd, ['progression'], { task: 'regression', maxDepth: 5 }), xd],
      ['mlp (softmax)', mlpC, xi],
      ['mlp (regression)', mlpR, xd],
    ];
    for (const [name, model, x] of cases) {
      expect(model.predictDense, name).toBeDefined();
      const dense = denseFromRows(x, model.nFeatures, name);
      const out = await model.predictDense!(dense);
      expect([out.rows, out.cols], name).toEqual([x.length, model.outputs.length]);
      // toEqual compares numbers with Object.is: equal bits (0 and −0 differ).
      expect(rowsOfDense(out), name).toEqual(await model.predict(x));
      const diff = model as DifferentiableModel;
      if (diff.gradientDense) {
        for (let o = 0; o < model.outputs.length; o++) expect(rowsOfDense(await diff.gradientDense(dense, o)), `${name} gradient ${o}`).toEqual(await diff.gradient(x, o));
      }
      await expect(model.predictDense!({ data: new Float64Array(6), rows: 2, cols: 3 }), name).rejects.toThrow(/3 features per row, expected/);
    }
    mlpC.dispose();
    mlpR.dispose();
  });

  it('the explainers reach a family only through predictDense, in batches (counted call by call)', async () => {
    const linear = fitLinearRegression(xd, yd, 'progression', 1e-2);
    const n = xd.length;
    const pi = recorded(linear);
    await permutationImportance(pi.model, xd, yd, { features, repeats: 5, metric: 'rmse', seed: 0, split: 'validation' });
    // The unpermuted rows, then all 5 repeats of each of the 10 features in one call.
    expect(pi.dense).toEqual([n, ...new Array(10).fill(5 * n)]);
    const ks = recorded(linear);
    const background = kmeansBackground(xd, 10, 0);
    await kernelShap(ks.model, xd.slice(0, 3), { background });
    expect(ks.dense).toEqual([10, 3, 3 * 1022 * 10]);
    const sobol = recorded(linear);
    await sobolIndices(sobol.model, { inputs: { kind: 'empirical', data: xd }, samples: 256, bootstrap: 0 });
    expect(sobol.dense).toEqual([256 * 12]);
    const pd = recorded(linear);
    const curves = await partialDependence(pd.model, xd, { features: [0, 2], gridSize: 5 });
    expect(pd.dense).toEqual(curves.curves.map((c) => n * c.grid.length));
    const sur = recorded(linear);
    await surrogateTree(sur.model, xd, { maxDepth: 2 });
    expect(sur.dense).toEqual([n]);
    for (const r of [pi, ks, sobol, pd, sur]) expect(r.rowArrays).toBe(0);

    const mlp = new MlpFitted(buildMlp({ type: 'mlp', hidden_layers: [{ units: 6, activation: 'relu' }] }, 10, 4), ['progression']);
    const grads: number[] = [];
    const g = Object.create(mlp) as MlpFitted;
    g.gradientDense = (x, o) => { grads.push(x.rows); return mlp.gradientDense(x, o); };
    g.gradient = () => { throw new Error('row-array gradient called'); };
    await integratedGradients(g, xd.slice(0, 7), { steps: 10 });
    await gradientTimesInput(g, xd);
    expect(grads).toEqual([7 * 11, n]);
    mlp.dispose();
  });

  it('a model with only predict (rows) gets the same explanations as the family through predictDense', async () => {
    const linear = fitLinearRegression(xd, yd, 'progression', 1e-2);
    const rowsOnly: FittedModel = { family: linear.family, task: linear.task, nFeatures: linear.nFeatures, outputs: linear.outputs, predict: (x) => linear.predict(x) };
    const options = { features, repeats: 4, metric: 'r2' as const, seed: 3, split: 'validation' as const, groups: [{ name: 's', columns: ['s1', 's2', 's3'] }, { name: 'bmi', columns: ['bmi'] }] };
    expect(await permutationImportance(rowsOnly, xd, yd, options)).toEqual(await permutationImportance(linear, xd, yd, options));
    const background = kmeansBackground(xd, 8, 1);
    expect(await kernelShap(rowsOnly, xd.slice(0, 2), { background, coalitions: 200 })).toEqual(await kernelShap(linear, xd.slice(0, 2), { background, coalitions: 200 }));
    const tree = fitDecisionTree(xi, yi, classes, { task: 'classification', maxDepth: 3 });
    const treeRows: FittedModel = { family: tree.family, task: tree.task, nFeatures: tree.nFeatures, outputs: tree.outputs, predict: (x) => tree.predict(x) };
    const acc = { features: ['a', 'b', 'c', 'd'], repeats: 3, metric: 'balanced_accuracy' as const, seed: 1, split: 'train' as const };
    expect(await permutationImportance(treeRows, xi, yi, acc)).toEqual(await permutationImportance(tree, xi, yi, acc));
  });

  it('SHAP efficiency E[f] + Σφ = f(x) to 1e-6 on linear regression, regression tree, MLP regression and the binary linear SVM', async () => {
    const mlp = new MlpFitted(buildMlp({ type: 'mlp', hidden_layers: [{ units: 12, activation: 'relu' }] }, 10, 5), ['progression']);
    const linear = fitLinearRegression(xd, yd, 'progression', 1e-2);
    const tree = fitDecisionTree(xd, yd, ['progression'], { task: 'regression', maxDepth: 4 });
    const background = kmeansBackground(xd, 10, 0);
    const rows = [0, 100, 200, 300].map((i) => xd[i]!);
    const models: [string, FittedModel, number[][], typeof background, number][] = [
      ['linear_regression', linear, rows, background, 0],
      ['decision_tree (regressor)', tree, rows, background, 0],
      ['mlp (regression)', mlp, rows, background, 0],
      ['linear_svm (binary)', fitLinearSvm(xi, virginica, ['other', 'virginica']), [0, 60, 120, 140].map((i) => xi[i]!), kmeansBackground(xi, 10, 0), 1],
    ];
    for (const [name, model, x, bg, output] of models) {
      const r = await kernelShap(model, x, { background: bg, output });
      expect(r.details.exact, name).toBe(true);
      r.values.forEach((phi, i) => expect(Math.abs(r.baseValues[i]! + sum(phi) - r.predictions[i]!), name).toBeLessThan(1e-6));
    }
    // The exact family-specific values add up too: linear SHAP on the linear score, TreeSHAP on the tree's cover.
    const lin = linearShap(linear, xd, { background: xd });
    const ts = treeShap(tree, xd);
    for (const r of [lin, ts]) r.values.forEach((phi, i) => expect(Math.abs(r.baseValues[i]! + sum(phi) - r.predictions[i]!), r.method).toBeLessThan(1e-6));
    mlp.dispose();
  });
});
