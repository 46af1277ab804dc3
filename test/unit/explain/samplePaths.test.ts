/**
 * Decision paths of one sample from a real run's saved artifacts (what `xai/decisionPath` answers): the iris tree's
 * path against scikit-learn's reference, a penguins MLP read without TensorFlow.js (its float64 outputs beside
 * TensorFlow.js's own), and a linear model's surrogate path with its fidelity.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionPath, loadRunSamples } from '../../../server/src/lsp/decisionPath';
import { runTree } from '../../../server/src/lsp/flowGraph';
import { loadFittedModel } from '../../../server/src/models/train';
import { readLatestRun } from '../../../server/src/pipeline/runs';
import { runPipeline } from '../../../server/src/pipeline/runPipeline';
import { selectBackend } from '../../../server/src/worker/backend';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '../../..');
const SKLEARN = JSON.parse(readFileSync(join(root, 'test/fixtures/sklearn/models.json'), 'utf8')) as {
  trees: { file: string; settings: { options: { maxDepth?: number }; runs: { root: { feature: string; threshold: number } }[] }[] }[];
};
const IRIS = readFileSync(join(root, 'examples/data/iris.csv'), 'utf8').trim().split(/\r?\n/);

let ws: string;
beforeAll(async () => {
  expect(await selectBackend('cpu')).toBe('cpu');
  ws = mkdtempSync(join(tmpdir(), 'xai-sample-paths-'));
  for (const name of ['iris', 'penguins', 'diabetes', 'data']) {
    cpSync(join(root, 'examples', name), join(ws, name), { recursive: true, filter: (s) => !s.includes('/.xai') });
  }
  // iris once more with its features standardized for the tree: what people read must not change.
  writeFileSync(join(ws, 'iris', 'scaled.xai.yaml'), readFileSync(join(ws, 'iris', 'iris.xai.yaml'), 'utf8')
    .replace('name: iris', 'name: iris-scaled').replace('      seed: 7\n', '      seed: 7\n  - standardize:\n      columns: features\n'));
  for (const spec of ['iris/iris', 'iris/scaled', 'penguins/penguins', 'diabetes/diabetes']) await runPipeline(join(ws, `${spec}.xai.yaml`), { backend: 'cpu' });
}, 120_000);

describe('decision path of one sample from the saved run', () => {
  it('iris row 0 (5.1, 3.5, 1.4, 0.2): petal_length 1.4 <= 2.45 → leaf setosa, as scikit-learn splits the root', async () => {
    const uri = pathToFileURL(join(ws, 'iris', 'iris.xai.yaml')).href;
    const r = await decisionPath({ uri, selector: { by: 'row', row: 0 } });
    expect(r.message).toBeUndefined();
    const s = r.sample!;
    expect(IRIS[1]).toBe('5.1,3.5,1.4,0.2,setosa');
    expect(s.features.map((f) => f.raw)).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(s.line).toBe(2);
    expect(s.path.kind).toBe('tree');
    const [rootStep, leaf] = s.path.steps;
    expect(s.path.steps).toHaveLength(2);
    expect(rootStep).toMatchObject({ node: 0, feature: 'petal_length', value: 1.4, side: 'left' });
    // scikit-learn's depth-3 gini tree on iris, split on petal_length at the root (its float32 threshold).
    const reference = SKLEARN.trees.find((t) => t.file === 'iris.csv')!.settings.find((x) => x.options.maxDepth === 3)!.runs
      .map((run) => run.root).find((rt) => rt.feature === 'petal_length')!;
    expect(rootStep!.threshold).toBeCloseTo(reference.threshold, 6);
    expect(leaf).toMatchObject({ side: 'leaf', prediction: [1, 0, 0], predicted: 'setosa (1)' });
    expect(s.actual).toBe('setosa');
    // TreeSHAP of P(setosa): base + Σφ = the leaf's probability, and petal_length carries it.
    expect(s.attribution.method).toBe('tree_shap');
    const sum = s.attribution.base + s.attribution.values.reduce((a, v) => a + v.value, 0);
    expect(sum).toBeCloseTo(1, 12);
    const top = [...s.attribution.values].sort((a, b) => Math.abs(b.value) - Math.abs(a.value))[0]!;
    expect(top.feature).toBe('petal_length');
  });

  it('iris with standardized features: the tree\'s tests read in the CSV\'s units, in the panel and on the flowchart', async () => {
    const spec = join(ws, 'iris', 'scaled.xai.yaml');
    const r = await decisionPath({ uri: pathToFileURL(spec).href, selector: { by: 'row', row: 0 } });
    const [rootStep] = r.sample!.path.steps;
    // The same root split as unscaled (CART does not care for a per-feature scale), told in centimetres.
    expect(rootStep).toMatchObject({ feature: 'petal_length', value: 1.4, side: 'left' });
    expect(rootStep!.threshold).toBeCloseTo(2.45, 9);
    expect(r.sample!.features.find((f) => f.name === 'petal_length')).toMatchObject({ raw: 1.4 });
    expect(r.sample!.features.find((f) => f.name === 'petal_length')!.value).toBeLessThan(0);
    const tree = runTree((await readLatestRun(spec))!.runDir)!;
    expect(tree.features[tree.nodes[0]!.feature]).toBe('petal_length');
    expect(tree.nodes[0]!.threshold).toBeCloseTo(2.45, 9);
    // Unscaled iris, for comparison: its run's tree is read as it is.
    const plain = runTree((await readLatestRun(join(ws, 'iris', 'iris.xai.yaml')))!.runDir)!;
    expect(plain.nodes[0]!.threshold).toBeCloseTo(2.45, 6);
  });

  it('iris: worst-predicted validation rows first; a filter on the class label; clear errors', async () => {
    const uri = pathToFileURL(join(ws, 'iris', 'iris.xai.yaml')).href;
    const worst = await decisionPath({ uri, selector: { by: 'worst', rank: 0 } });
    expect(worst.ok).toBe(true);
    const losses = worst.candidates!.map((c) => c.loss);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    expect(worst.candidates!.every((c) => c.split === 'validation')).toBe(true);
    expect(worst.sample!.row).toBe(worst.candidates![0]!.row);
    expect(worst.sample!.actual).not.toBe(worst.sample!.predicted.split(' ')[0]);
    const virginica = await decisionPath({ uri, selector: { by: 'filter', column: 'species', op: '=', value: 'virginica', pick: 1 } });
    expect(virginica.candidates).toHaveLength(50);
    expect(virginica.sample!.row).toBe(101);
    const wide = await decisionPath({ uri, selector: { by: 'filter', column: 'petal_width', op: '>', value: '2.4' } });
    expect(wide.candidates!.map((c) => c.row)).toEqual([100, 109, 144]);
    expect((await decisionPath({ uri, selector: { by: 'row', row: 150 } })).message).toBe('row 150 does not exist: the run has 150 samples (0–149)');
    expect((await decisionPath({ uri, selector: { by: 'filter', column: 'petal', op: '=', value: '1' } })).message).toMatch(/no column 'petal'/);
  });

  it('penguins MLP: weights read without TensorFlow.js predict as TensorFlow.js does; ReLU paths add up to the logit', async () => {
    const spec = join(ws, 'penguins', 'penguins.xai.yaml');
    const samples = await loadRunSamples(spec);
    const ours = await samples.allPredictions();
    const tf = await loadFittedModel(join((await readLatestRun(spec))!.runDir, 'model'));
    const theirs = await tf.predict(samples.set.x);
    tf.dispose?.();
    let worst = 0;
    ours.forEach((row, i) => row.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - theirs[i]![k]!)); }));
    expect(worst).toBeLessThan(1e-5);
    const s = await samples.explain(0);
    // The first CSV row (Adelie, Torgersen, 39.1, 18.7, 181, 3750, MALE), standardized for the model, shows in the
    // data's units; the one-hot indicators as 0 and 1.
    expect(s.line).toBe(2);
    const raw = Object.fromEntries(s.features.map((f) => [f.name, f.raw]));
    expect(raw).toMatchObject({ 'Beak Length (mm)': 39.1, 'Beak Depth (mm)': 18.7, 'Flipper Length (mm)': 181, 'Body Mass (g)': 3750 });
    expect(Object.entries(raw).filter(([n]) => n.startsWith('Island=')).map(([n, v]) => `${n}:${v}`).sort())
      .toEqual(['Island=Biscoe:0', 'Island=Dream:0', 'Island=Torgersen:1']);
    expect(s.features.find((f) => f.name === 'Beak Length (mm)')!.value).not.toBeCloseTo(39.1, 0);
    // The surrogate path's tests are in those units too: each step's value is the sample's raw value.
    for (const st of s.path.steps.filter((x) => x.feature !== undefined)) expect(st.value).toBe(raw[st.feature!]);
    // The panel's filter compares those units too.
    const uri = pathToFileURL(spec).href;
    const found = await decisionPath({ uri, selector: { by: 'filter', column: 'Body Mass (g)', op: '=', value: '3750' } });
    expect(found.sample!.features.find((f) => f.name === 'Body Mass (g)')!.raw).toBe(3750);
    expect(s.path.kind).toBe('surrogate');
    expect(s.path.fidelity!.metric).toBe('agreement');
    expect(s.path.fidelity!.heldOut).toBeGreaterThan(0.8);
    expect(s.relu!.layers).toHaveLength(1);
    expect(s.relu!.layers[0]!.units).toBe(8);
    expect(s.relu!.pathTotal + s.relu!.biasTotal).toBeCloseTo(s.relu!.output, 9);
    const attributed = s.attribution.base + s.attribution.values.reduce((a, v) => a + v.value, 0);
    expect(attributed).toBeCloseTo(s.relu!.output, 9);
    expect(s.relu!.topPaths[0]!.units[1]).toBeOneOf(s.relu!.layers[0]!.active);
  });

  it('diabetes linear model: surrogate path with R² fidelity, linear SHAP adds up to the prediction', async () => {
    const uri = pathToFileURL(join(ws, 'diabetes', 'diabetes.xai.yaml')).href;
    const r = await decisionPath({ uri, selector: { by: 'worst', rank: 2 } });
    const s = r.sample!;
    expect(s.path.kind).toBe('surrogate');
    expect(s.path.fidelity!.metric).toBe('r2');
    expect(s.path.steps.at(-1)!.side).toBe('leaf');
    expect(s.path.steps.length).toBeLessThanOrEqual(4);
    const sum = s.attribution.base + s.attribution.values.reduce((a, v) => a + v.value, 0);
    // `predicted` is printed with 4 significant digits.
    expect(Math.abs(sum / Number(s.predicted) - 1)).toBeLessThan(5e-4);
    expect(s.loss).toBe(r.candidates![2]!.loss);
  });
});
