import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionModel } from '../../../server/src/explain/common';
import { integratedGradients } from '../../../server/src/explain/gradients';
import { partialDependence } from '../../../server/src/explain/partialDependence';
import { permutationImportance } from '../../../server/src/explain/permutationImportance';
import { sanityCheck } from '../../../server/src/explain/sanityCheck';
import { sampledBackground } from '../../../server/src/explain/background';
import { kernelShap } from '../../../server/src/explain/shap/kernelShap';
import { meanAbsAttribution } from '../../../server/src/explain/shap/globalShap';
import { permutation, seededRandom } from '../../../server/src/data/random';
import { fitLinearRegression } from '../../../server/src/models/linear';
import { buildMlp, trainMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import type { DifferentiableModel } from '../../../server/src/models/model';
import { selectBackend } from '../../../server/src/worker/backend';
import { linearModel, uniformRows } from './helpers';

const root = resolve(__dirname, '../../..');

/** diabetes.csv scaled as scikit-learn's load_diabetes(scaled=True): centered, divided by the root sum of squares. */
function diabetes(): { features: string[]; x: number[][]; y: number[] } {
  const lines = readFileSync(resolve(root, 'examples/data/diabetes.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const t = header.indexOf('progression');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const features = header.filter((_, j) => j !== t);
  const raw = rows.map((r) => r.filter((_, j) => j !== t));
  const means = features.map((_, j) => raw.reduce((s, r) => s + r[j]!, 0) / raw.length);
  const norms = features.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0)));
  return { features, x: raw.map((r) => r.map((v, j) => (v - means[j]!) / norms[j]!)), y: rows.map((r) => r[t]!) };
}

interface DiabetesRef {
  features: string[]; train_indices: number[]; validation_indices: number[]; coef: number[]; intercept: number;
  importances_mean: number[]; importances_std: number[];
}

const pick = <T>(a: readonly T[], idx: readonly number[]): T[] => idx.map((i) => a[i]!);

describe('global explanations: partial dependence, mean |SHAP|, sanity check, diabetes', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });

  it('partial dependence of an additive model is its component plus a constant; ICE curves of a linear model are parallel', async () => {
    const g = (v: number) => Math.sin(2 * v);
    const model = functionModel((rows) => rows.map((r) => g(r[0]!) + r[1]! ** 2 - r[2]!), 3);
    const x = uniformRows(300, [1, 1, 1], 5);
    const calls: number[] = [];
    const counted = { ...model, predict: (rows: readonly (readonly number[])[]) => { calls.push(rows.length); return model.predict(rows); } };
    const r = await partialDependence(counted, x, { features: [0, 'f2'], gridSize: 11 });
    expect(calls).toEqual([300 * 11, 300 * 11]);
    expect(r.evaluations).toBe(2 * 300 * 11);
    const c0 = r.curves[0]!;
    const rest = x.reduce((s, row) => s + row[1]! ** 2 - row[2]!, 0) / x.length;
    c0.grid.forEach((v, k) => expect(c0.average[k]!).toBeCloseTo(g(v) + rest, 12));
    const c2 = r.curves[1]!;
    // Linear in f2 with slope −1, every ICE curve too.
    for (let k = 1; k < c2.grid.length; k++) {
      expect((c2.average[k]! - c2.average[k - 1]!) / (c2.grid[k]! - c2.grid[k - 1]!)).toBeCloseTo(-1, 10);
      c2.ice!.forEach((curve) => expect(curve[k]! - curve[k - 1]!).toBeCloseTo(-(c2.grid[k]! - c2.grid[k - 1]!), 10));
    }
    const binary = await partialDependence(linearModel([2, 0]), x.map((row) => [row[0]! > 0 ? 1 : 0, row[1]!]), { features: [0], ice: false });
    expect(binary.curves[0]!.grid).toEqual([0, 1]);
    expect(binary.curves[0]!.range).toBeCloseTo(2, 12);
    expect(binary.curves[0]!.ice).toBeUndefined();
    await expect(partialDependence(model, x, { features: ['nope'] })).rejects.toThrow(/unknown feature nope/);
  });

  it('mean |SHAP| ranks the features of a linear model by |wᵢ|·E|xᵢ − E xᵢ|, with the mean sign', async () => {
    const w = [0.5, -3, 1];
    const x = uniformRows(200, [1, 1, 1], 3);
    const r = await kernelShap(linearModel(w), x.slice(0, 60), { background: sampledBackground(x, 40, 1), features: ['a', 'b', 'c'] });
    const ranking = meanAbsAttribution(r);
    expect(ranking.map((f) => f.feature)).toEqual(['b', 'c', 'a']);
    expect(ranking[0]!.meanAbs).toBeGreaterThan(1);
  });

  it('diabetes, scikit-learn\'s split: Ridge(α = 1e-2) coefficients match, permutation importance matches sklearn\'s and ranks s5, bmi, bp, sex first', async () => {
    const ref = JSON.parse(readFileSync(resolve(root, 'test/fixtures/sklearn/explain_diabetes.json'), 'utf8')) as DiabetesRef;
    const { features, x, y } = diabetes();
    expect(features).toEqual(ref.features);
    const model = fitLinearRegression(pick(x, ref.train_indices), pick(y, ref.train_indices), 'progression', 1e-2);
    model.linear.weights[0]!.forEach((wj, j) => expect(Math.abs(wj - ref.coef[j]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(ref.coef[j]!))));
    const r = await permutationImportance(model, pick(x, ref.validation_indices), pick(y, ref.validation_indices), { features, repeats: 30, metric: 'r2', seed: 0, split: 'validation' });
    expect(r.features.slice(0, 4).map((f) => f.feature)).toEqual(['s5', 'bmi', 'bp', 'sex']);
    for (const f of r.features) {
      const j = features.indexOf(f.feature);
      // Two estimates of the same expectation from different permutations: within 3 standard errors of their difference.
      const se = Math.sqrt(2 / 30) * Math.max(f.std, ref.importances_std[j]!);
      expect(Math.abs(f.mean - ref.importances_mean[j]!), f.feature).toBeLessThan(3 * se + 1e-3);
    }
  });

  it('diabetes, 20 random 75/25 splits of our own: s5 and bmi always lead, bp stays in the top 5 (the exact top 4 is split-dependent)', async () => {
    // Measured: the published order s5 > bmi > bp > sex holds on scikit-learn's split (test above); on other
    // random splits s1 (correlated with s2, large opposite coefficients) enters the top 4 in 17 of these 20.
    const { features, x, y } = diabetes();
    let s1InTop4 = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const order = permutation(x.length, seededRandom(seed));
      const nVal = Math.round(x.length * 0.25);
      const val = order.slice(0, nVal);
      const train = order.slice(nVal);
      const model = fitLinearRegression(pick(x, train), pick(y, train), 'progression', 1e-2);
      const r = await permutationImportance(model, pick(x, val), pick(y, val), { features, repeats: 30, metric: 'r2', seed: 1, split: 'validation' });
      const names = r.features.map((f) => f.feature);
      expect(new Set(names.slice(0, 2)), `split ${seed}`).toEqual(new Set(['s5', 'bmi']));
      expect(names.slice(0, 5), `split ${seed}`).toContain('bp');
      if (names.slice(0, 4).includes('s1')) s1InTop4++;
    }
    expect(s1InTop4).toBe(17);
  });

  it('sanity check (Adebayo et al. 2018): passes integrated gradients on a trained diabetes MLP, flags a constant explainer', async () => {
    const { x, y } = diabetes();
    const order = permutation(x.length, seededRandom(7));
    const train = order.slice(111);
    const val = order.slice(0, 111);
    // Standardize features and target on the training rows (model scale).
    const mx = x[0]!.map((_, j) => train.reduce((s, i) => s + x[i]![j]!, 0) / train.length);
    const sx = x[0]!.map((_, j) => Math.sqrt(train.reduce((s, i) => s + (x[i]![j]! - mx[j]!) ** 2, 0) / train.length));
    const z = x.map((r) => r.map((v, j) => (v - mx[j]!) / sx[j]!));
    const my = train.reduce((s, i) => s + y[i]!, 0) / train.length;
    const sy = Math.sqrt(train.reduce((s, i) => s + (y[i]! - my) ** 2, 0) / train.length);
    const spec = { type: 'mlp' as const, hidden_layers: [{ units: 16, activation: 'relu' as const }] };
    const net = buildMlp(spec, 10, 3);
    await trainMlp(net, pick(z, train), pick(y, train).map((v) => (v - my) / sy), { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 60, batch_size: 32, seed: 3 });
    const trained = new MlpFitted(net, ['progression']);
    const random = new MlpFitted(buildMlp(spec, 10, 103), ['progression']);
    const ig = async (m: unknown, rows: readonly (readonly number[])[]) => (await integratedGradients(m as DifferentiableModel, rows, { steps: 20 })).values;
    const xs = pick(z, val).slice(0, 60);
    const ok = await sanityCheck(ig, trained, random, xs);
    expect(ok.flagged, ok.reasons.join('; ')).toBe(false);
    expect(ok.meanRankCorrelation).toBeLessThan(0.7);
    const constant = () => xs.map(() => [5, 4, 3, 2, 1, 0, 1, 2, 3, 4]);
    const bad = await sanityCheck(constant, trained, random, xs);
    expect(bad.flagged).toBe(true);
    expect(bad.reasons.join('; ')).toMatch(/identical for the trained and the randomized model.*do not depend on the sample/);
    expect(bad.meanRankCorrelation).toBe(1);
    trained.dispose();
    random.dispose();
  });
});
