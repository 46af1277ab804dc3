import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientTimesInput, integratedGradients, quadratureRule, saliency } from '../../../server/src/explain/gradients';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { readSpec } from '../../../server/src/pipeline/specInput';
import { transformFeatures, transformTarget } from '../../../server/src/data/standardize';
import { buildMlp, trainMlp } from '../../../server/src/models/mlp';
import type { DifferentiableModel } from '../../../server/src/models/model';
import { selectBackend } from '../../../server/src/worker/backend';
import { denseMlp, linearModel, logisticModel, randomDenseLayers, uniformRows } from './helpers';
import { MlpFitted } from '../../../server/src/models/mlpModel';

const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);

describe('integrated gradients (Sundararajan, Taly & Yan 2017), gradient × input, saliency', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });
  const w = [1.5, -2, 0.25, 3];
  const x = uniformRows(10, [1, 2, 3, 1], 1);

  it('quadrature rules integrate polynomials: trapezoid exactly for degree 1, Gauss–Legendre for degree 2m − 1', () => {
    const t = quadratureRule('trapezoid', 7);
    expect(Math.abs(sum(t.nodes.map((a, k) => t.weights[k]! * (3 * a + 1))) - 2.5)).toBeLessThan(1e-14);
    const g = quadratureRule('gauss_legendre', 5);
    // ∫₀¹ a⁹ da = 0.1, degree 9 = 2·5 − 1.
    expect(Math.abs(sum(g.nodes.map((a, k) => g.weights[k]! * a ** 9)) - 0.1)).toBeLessThan(1e-14);
    expect(Math.abs(sum(g.weights) - 1)).toBeLessThan(1e-14);
  });

  it('for a linear model IG equals wᵢ(xᵢ − x′ᵢ) to 1e-5 for zero, mean and given baselines and both rules', async () => {
    const model = linearModel(w, 0.3);
    const data = uniformRows(200, [1, 1, 1, 1], 2);
    const means = w.map((_, j) => sum(data.map((r) => r[j]!)) / data.length);
    const given = [0.5, -1, 2, 0];
    for (const [baseline, ref] of [['zero', [0, 0, 0, 0]], ['mean', means], [given, given]] as const) {
      for (const quadrature of ['trapezoid', 'gauss_legendre'] as const) {
        const r = await integratedGradients(model, x, { baseline, data, quadrature, steps: 8 });
        r.values.forEach((phi, i) => phi.forEach((v, j) => expect(Math.abs(v - w[j]! * (x[i]![j]! - ref[j]!))).toBeLessThan(1e-5)));
        r.gaps!.forEach((g) => expect(g).toBeLessThan(1e-9));
      }
    }
  });

  it('completeness: Gauss–Legendre beats the trapezoid on a smooth (logistic) model; gaps shrink with steps', async () => {
    const model = logisticModel([2, -1, 1, 0.5], 0.2);
    const xs = x.map((r) => r.map((v) => v * 1.5));
    const gl = await integratedGradients(model, xs, { quadrature: 'gauss_legendre', steps: 16, output: 1 });
    const tr = await integratedGradients(model, xs, { quadrature: 'trapezoid', steps: 16, output: 1 });
    const tr64 = await integratedGradients(model, xs, { quadrature: 'trapezoid', steps: 64, output: 1 });
    expect(Math.max(...gl.gaps!)).toBeLessThan(1e-8);
    expect(Math.max(...tr64.gaps!)).toBeLessThan(Math.max(...tr.gaps!) / 10);
    expect(gl.evaluations).toBe(xs.length * 16 + xs.length + 1);
  });

  it('gradient × input equals IG from zero for a linear model; saliency is |w|', async () => {
    const model = linearModel(w, 0.3);
    const gx = await gradientTimesInput(model, x);
    gx.values.forEach((phi, i) => phi.forEach((v, j) => expect(v).toBeCloseTo(w[j]! * x[i]![j]!, 12)));
    const s = await saliency(model, x);
    s.values.forEach((phi) => phi.forEach((v, j) => expect(v).toBe(Math.abs(w[j]!))));
  });

  it('asks for all path points of all samples in one gradient call', async () => {
    const base = denseMlp(randomDenseLayers([4, 6, 1], 2));
    const calls: number[] = [];
    const model: DifferentiableModel = { ...base, gradient: (rows, o) => { calls.push(rows.length); return base.gradient(rows, o); } };
    const r = await integratedGradients(model, x, { steps: 20 });
    expect(calls).toEqual([x.length * 21]);
    expect(r.details.completenessGap).toBeLessThan(0.05);
  });

  it('on the stock example’s trained MLP the completeness gap is under 1 % at the default steps', async () => {
    const specPath = resolve(__dirname, '../../../examples/stock-price/stock-price.xai.yaml');
    const { spec } = readSpec(specPath);
    const data = prepareData(spec, specPath);
    const nf = data.fitted.features.length;
    const net = buildMlp(spec.model, nf, spec.training.seed);
    await trainMlp(net, transformFeatures(data.fitted, data.train.x), transformTarget(data.fitted, data.train.y, data.train.x), spec.training);
    const model = new MlpFitted(net, ['y']);
    const xv = transformFeatures(data.fitted, data.validation.x);
    for (const baseline of ['zero', 'mean'] as const) {
      const r = await integratedGradients(model, xv, { baseline, data: transformFeatures(data.fitted, data.train.x) });
      expect(r.details.points).toBe(51);
      // Σ|gap| / Σ|f(x) − f(x′)| over the validation rows (measured 0.63 %; the worst single row is ~6 %, where
      // the path crosses ReLU kinks between points).
      expect(r.details.completenessGap, baseline).toBeLessThan(0.01);
      expect(Math.max(...r.gaps!)).toBeLessThan(0.05);
    }
    net.dispose();
  });

  it('refuses a bad baseline and bad steps', async () => {
    const model = linearModel(w);
    await expect(integratedGradients(model, x, { baseline: 'mean' })).rejects.toThrow(/needs `data`/);
    await expect(integratedGradients(model, x, { baseline: [1, 2] })).rejects.toThrow(/4 finite numbers/);
    await expect(integratedGradients(model, x, { steps: 0 })).rejects.toThrow(/positive integer/);
  });
});
