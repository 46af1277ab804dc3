import { describe, expect, it } from 'vitest';
import { permutationImportance } from '../../../server/src/explain/permutationImportance';
import { logisticModel, populationVariance, uniformRows } from './helpers';

describe('permutation importance: confidence intervals, groups, any metric', () => {
  const w = [3, -1, 0.5, 0];
  const x = uniformRows(2000, [1, 2, 1, 5], 21);
  const linear = (rows: number[][]): number[] => rows.map((row) => row.reduce((s, v, j) => s + w[j]! * v, 0));
  const y = linear(x);
  const features = ['a', 'b', 'c', 'zero'];

  it('for MSE the expectation 2·Var(Σ_{j∈G} wⱼxⱼ) lies inside each confidence interval (single features and groups)', async () => {
    // Over uniformly random permutations E[(1/n)Σ(xπ(i) − xᵢ)²] = 2·Var_pop(x) exactly, for the data at hand.
    const r = await permutationImportance(linear, x, y, { features, repeats: 30, metric: 'mse', seed: 5, split: 'validation' });
    expect(r.confidenceLevel).toBe(0.95);
    for (const [j, name] of features.entries()) {
      const expected = 2 * w[j]! ** 2 * populationVariance(x.map((row) => row[j]!));
      const got = r.features.find((f) => f.feature === name)!;
      expect(got.ci![0]).toBeLessThanOrEqual(expected);
      expect(got.ci![1]).toBeGreaterThanOrEqual(expected);
      if (expected > 0) expect(got.ci![1] - got.ci![0]).toBeLessThan(0.1 * expected);
    }
    const groups = [{ name: 'ab', columns: ['a', 'b'] }, { name: 'bc', columns: ['c', 'b'] }];
    const g = await permutationImportance(linear, x, y, { features, repeats: 30, metric: 'mse', seed: 6, split: 'validation', groups });
    expect(g.features.map((f) => f.feature)).toEqual(['ab', 'bc']);
    expect(g.evaluations).toBe(2000 * (1 + 2 * 30));
    for (const [k, group] of groups.entries()) {
      const cols = group.columns.map((c) => features.indexOf(c));
      const expected = 2 * populationVariance(x.map((row) => cols.reduce((s, j) => s + w[j]! * row[j]!, 0)));
      const got = g.features[k]!;
      expect(got.columns).toEqual(group.columns);
      expect(got.ci![0]).toBeLessThanOrEqual(expected);
      expect(got.ci![1]).toBeGreaterThanOrEqual(expected);
    }
  });

  it('a correlated pair permuted together: its importance is twice the variance of their joint contribution', async () => {
    const z = uniformRows(2000, [1, 1], 8).map(([u, v]) => [u!, u! + 0.3 * v!]);
    const f = (rows: number[][]) => rows.map((row) => row[0]! + row[1]!);
    const yz = f(z);
    const r = await permutationImportance(f, z, yz, { features: ['u', 'u_noisy'], repeats: 40, metric: 'mse', seed: 2, split: 'train', groups: [{ name: 'both', columns: ['u', 'u_noisy'] }] });
    const expected = 2 * populationVariance(yz);
    expect(r.features[0]!.ci![0]).toBeLessThanOrEqual(expected);
    expect(r.features[0]!.ci![1]).toBeGreaterThanOrEqual(expected);
  });

  it('classification: accuracy drops by 2p(1−p) in expectation for the deciding feature, 0 for the ignored one; log loss too', async () => {
    // p(class 1) = σ(50·x0): a near-hard decision on the sign of x0, with labels exactly that sign.
    const model = logisticModel([50, 0]);
    const xc = uniformRows(1500, [1, 1], 3).map(([a, b]) => [a! + 0.2, b!]);
    const yc = xc.map((row) => (row[0]! > 0 ? 1 : 0));
    const p = yc.reduce((s: number, v) => s + v, 0) / yc.length;
    const r = await permutationImportance(model, xc, yc, { features: ['x0', 'x1'], repeats: 30, metric: 'accuracy', seed: 9, split: 'validation' });
    expect(r.baselineScore).toBe(1);
    const x0 = r.features.find((f) => f.feature === 'x0')!;
    const expected = 2 * p * (1 - p);
    expect(x0.ci![0]).toBeLessThanOrEqual(expected);
    expect(x0.ci![1]).toBeGreaterThanOrEqual(expected);
    const x1 = r.features.find((f) => f.feature === 'x1')!;
    expect(x1.mean).toBe(0);
    expect(x1.ci).toEqual([0, 0]);
    for (const metric of ['log_loss', 'balanced_accuracy'] as const) {
      const m = await permutationImportance(model, xc, yc, { features: ['x0', 'x1'], repeats: 5, metric, seed: 9, split: 'validation' });
      expect(m.features[0]!.feature).toBe('x0');
      expect(m.features[0]!.mean).toBeGreaterThan(0.1);
      expect(m.features[1]!.mean).toBe(0);
    }
  });

  it('r2 is higher-is-better: the importance is the decrease of R², 2wᵢ²Var(xᵢ)/Var(y) in expectation', async () => {
    const r = await permutationImportance(linear, x, y, { features, repeats: 30, metric: 'r2', seed: 4, split: 'validation' });
    const varY = populationVariance(y);
    for (const [j, name] of features.entries()) {
      const expected = 2 * w[j]! ** 2 * populationVariance(x.map((row) => row[j]!)) / varY;
      const got = r.features.find((f) => f.feature === name)!;
      expect(got.ci![0]).toBeLessThanOrEqual(expected + 1e-12);
      expect(got.ci![1]).toBeGreaterThanOrEqual(expected - 1e-12);
    }
  });

  it('refuses unknown group columns and bad confidence levels', async () => {
    const opts = { features, repeats: 3, metric: 'mse' as const, seed: 1, split: 'validation' as const };
    await expect(permutationImportance(linear, x.slice(0, 5), y.slice(0, 5), { ...opts, groups: [{ name: 'g', columns: ['nope'] }] })).rejects.toThrow(/group g names an unknown feature nope/);
    await expect(permutationImportance(linear, x.slice(0, 5), y.slice(0, 5), { ...opts, confidenceLevel: 1 })).rejects.toThrow(/confidenceLevel/);
    await expect(permutationImportance(logisticModel([1, 1]), x.slice(0, 5).map((r) => r.slice(0, 2)), [0, 1, 2, 0, 1], { ...opts, features: ['a', 'b'], metric: 'accuracy' })).rejects.toThrow(/row 2: class index 2/);
  });
});
