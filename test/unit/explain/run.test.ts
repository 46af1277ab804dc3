import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { permutationImportance } from '../../../server/src/explain/permutationImportance';
import { explanationMarkdown } from '../../../server/src/explain/report';
import { runExplanations, type ExplanationMethodStep } from '../../../server/src/explain/run';
import { fitLinearRegression } from '../../../server/src/models/linear';
import { buildMlp, trainMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import { fitDecisionTree } from '../../../server/src/models/tree';
import { selectBackend } from '../../../server/src/worker/backend';

const root = resolve(__dirname, '../../..');

function diabetes() {
  const lines = readFileSync(resolve(root, 'examples/data/diabetes.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const t = header.indexOf('progression');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const raw = rows.map((r) => r.filter((_, j) => j !== t));
  const m = raw[0]!.map((_, j) => raw.reduce((s, r) => s + r[j]!, 0) / raw.length);
  const sd = raw[0]!.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j]! - m[j]!) ** 2, 0) / raw.length));
  const x = raw.map((r) => r.map((v, j) => (v - m[j]!) / sd[j]!));
  const y = rows.map((r) => r[t]!);
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const sy = Math.sqrt(y.reduce((s, v) => s + (v - my) ** 2, 0) / y.length);
  return { features: header.filter((_, j) => j !== t), x, y: y.map((v) => (v - my) / sy) };
}

const all: ExplanationMethodStep[] = [
  { permutation_importance: {} },
  { shap: { samples: 5, background: 8 } },
  { integrated_gradients: { samples: 5 } },
  { sobol: { samples: 256, bootstrap: 20 } },
  { partial_dependence: { top: 2, grid: 5 } },
  { decision_paths: { samples: 2 } },
  { sanity_check: { samples: 10 } },
];

describe('explanations as a spec lists them, and the Markdown report', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });
  const { features, x, y } = diabetes();
  const train = { x: x.slice(0, 330) };
  const validation = { x: x.slice(330) };

  it('an MLP gets every method, with progress, evaluations, ReLU paths beside the surrogate, and a report with its caveats', async () => {
    const spec = { type: 'mlp' as const, hidden_layers: [{ units: 8, activation: 'relu' as const }] };
    const net = buildMlp(spec, 10, 1);
    await trainMlp(net, x.slice(0, 330), y.slice(0, 330), { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 30, batch_size: 32, seed: 1 });
    const model = new MlpFitted(net, ['progression']);
    const randomized = new MlpFitted(buildMlp(spec, 10, 99), ['progression']);
    const progress: string[] = [];
    const sections = await runExplanations(all, { model, randomized, features, train, validation, seed: 1, onProgress: (_, m) => progress.push(m) });
    expect(sections.map((s) => s.method)).toEqual(['shap', 'integrated_gradients', 'sobol', 'partial_dependence', 'decision_paths', 'sanity_check']);
    expect(progress[0]).toBe('Explaining: shap');
    expect(progress[progress.length - 1]).toBe('Explanations done');
    for (const s of sections) expect(s.evaluations, s.method).toBeGreaterThan(0);
    const shap = sections[0]!;
    if (shap.method !== 'shap') throw new Error('shap first');
    expect(shap.algorithm).toBe('kernel_shap');
    expect(shap.maxEfficiencyGap).toBeLessThan(1e-6);
    const paths = sections[4]!;
    if (paths.method !== 'decision_paths') throw new Error('paths');
    expect(paths.source).toBe('surrogate');
    expect(paths.relu).toHaveLength(2);
    for (const r of paths.relu!) expect(r.pathTotal + r.biasTotal).toBeCloseTo(r.output, 9);
    const sanity = sections[5]!;
    if (sanity.method !== 'sanity_check') throw new Error('sanity');
    expect(sanity.explainer).toBe('integrated_gradients');
    expect(sanity.flagged).toBe(false);
    const importance = await permutationImportance(model, validation.x, y.slice(330), { features, repeats: 5, metric: 'rmse', seed: 1, split: 'validation' });
    const md = explanationMarkdown({ name: 'diabetes-mlp', task: 'regression', importance, sections });
    if (process.env.SHOW_MD) console.log(md);
    for (const h of ['# Explanation report: diabetes-mlp', '## Which features matter', '## In which direction', '## Decision paths of chosen samples', '## How sure we are', '## Caveats']) expect(md).toContain(h);
    expect(md).toMatch(/The model clearly relies on \*\*(s5|bmi)\*\*/);
    expect(md).toMatch(/A depth-\d tree imitating the model/);
    expect(md).toContain('The inputs are correlated'); // s1 and s2 (|r| ≈ 0.9) on the diabetes data
    model.dispose();
    randomized.dispose();
  });

  it('a tree gets TreeSHAP and its own paths; a linear model exact linear SHAP; methods that do not fit the family say so', async () => {
    const tree = fitDecisionTree(train.x, y.slice(0, 330), ['progression'], { task: 'regression', maxDepth: 3 });
    const t = await runExplanations([{ shap: { samples: 3 } }, { decision_paths: { samples: 2 } }], { model: tree, features, train, validation, seed: 0 });
    expect(t[0]!.method === 'shap' && t[0]!.algorithm).toBe('tree_shap');
    expect(t[1]!.method === 'decision_paths' && t[1]!.source).toBe('tree');
    expect(t[1]!.evaluations).toBe(0);
    await expect(runExplanations([{ integrated_gradients: {} }], { model: tree, features, train, validation, seed: 0 })).rejects.toThrow(/explanation integrated_gradients: the decision_tree model has no gradients/);
    await expect(runExplanations([{ sanity_check: {} }], { model: tree, features, train, validation, seed: 0 })).rejects.toThrow(/explanation sanity_check: needs the same architecture with random weights/);
    const linear = fitLinearRegression(train.x, y.slice(0, 330), 'progression', 1e-2);
    const l = await runExplanations([{ shap: { samples: 3 } }], { model: linear, features, train, validation, seed: 0 });
    expect(l[0]!.method === 'shap' && l[0]!.algorithm).toBe('linear_shap');
    const controller = new AbortController();
    controller.abort();
    await expect(runExplanations([{ shap: {} }], { model: linear, features, train, validation, seed: 0, signal: controller.signal })).rejects.toThrow(/cancelled/);
  });

  it('a classifier\'s attributions explain the class the step names; a binary one defaults to its positive (second) class', async () => {
    const lines = readFileSync(resolve(root, 'examples/data/iris.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    const classes = ['setosa', 'versicolor', 'virginica'];
    const ix = lines.map((l) => l.slice(0, 4).map(Number));
    const iy = lines.map((l) => classes.indexOf(l[4]!));
    const iris = { train: { x: ix }, validation: { x: ix.slice(100) }, features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], seed: 0 };
    const tree = fitDecisionTree(ix, iy, classes, { task: 'classification', maxDepth: 3 });
    const [shap, pd] = await runExplanations([{ shap: { samples: 20, output: 'virginica' } }, { partial_dependence: { features: ['petal_length'], grid: 5, output: 'virginica' } }], { model: tree, ...iris });
    if (shap?.method !== 'shap' || pd?.method !== 'partial_dependence') throw new Error('shap, then partial dependence');
    expect([shap.output, pd.output]).toEqual(['virginica', 'virginica']);
    // TreeSHAP is exact: base value + Σφ is the tree's own P(virginica) of each sample.
    const p = await tree.predict(ix.slice(100, 120));
    shap.values.forEach((phi, i) => expect(shap.baseValue + phi.reduce((a, b) => a + b, 0)).toBeCloseTo(p[i]![2]!, 12));
    // The validation rows 100–119 are virginica but for one: the explained probability is theirs, not setosa's (0).
    expect(shap.predictions.filter((v) => v > 0.5).length).toBeGreaterThan(15);
    // A quoted label with spaces names the class as the encoder and the editor trim it.
    const [spaced] = await runExplanations([{ shap: { samples: 1, output: ' virginica ' } }], { model: tree, ...iris });
    expect(spaced?.method === 'shap' && spaced.output).toBe('virginica');
    await expect(runExplanations([{ shap: { output: 'virginca' } }], { model: tree, ...iris })).rejects.toThrow("explanation shap: the model has no class 'virginca'; its classes: setosa, versicolor, virginica");

    // Binary (setosa or not): without `output`, the second class, as scikit-learn's predict_proba[:, 1].
    const binary = fitDecisionTree(ix, iy.map((c) => (c === 0 ? 1 : 0)), ['other', 'setosa'], { task: 'classification', maxDepth: 2 });
    const [b] = await runExplanations([{ shap: { samples: 3, split: 'train' } }], { model: binary, ...iris });
    expect(b?.method === 'shap' && b.output).toBe('setosa');
    expect(b?.method === 'shap' && b.predictions).toEqual([1, 1, 1]); // iris rows 0–2 are setosa
    const regression = fitDecisionTree(train.x, y.slice(0, 330), ['progression'], { task: 'regression', maxDepth: 2 });
    await expect(runExplanations([{ sobol: { samples: 64, output: 'progression' } }], { model: regression, features, train, validation, seed: 0 }))
      .rejects.toThrow("explanation sobol: output 'progression' names a class, but the model is a regression");
  });

  it('the report names a failed sanity check and a low-fidelity surrogate as caveats', () => {
    const md = explanationMarkdown({
      name: 'r', task: 'regression', sections: [
        { method: 'sanity_check', explainer: 'kernel_shap', meanRankCorrelation: 1, globalRankCorrelation: 1, flagged: true, reasons: ['the attributions are identical for the trained and the randomized model'], evaluations: 10, wallMs: 1 },
        { method: 'decision_paths', source: 'surrogate', outputs: ['y'], rows: [0], paths: [[{ node: 0, side: 'leaf', prediction: [1] }]], text: ['y = 1.00'], evaluations: 5, wallMs: 1, surrogate: { fidelityMetric: 'r2', fidelityHeldOut: 0.42, fidelityTrain: 0.5, depth: 2, leaves: 4 } },
      ],
    });
    expect(md).toContain('- The sanity check failed for kernel shap: the attributions are identical for the trained and the randomized model.');
    expect(md).toContain("- The surrogate tree's fidelity is low (0.420 < 0.8)");
  });
});
