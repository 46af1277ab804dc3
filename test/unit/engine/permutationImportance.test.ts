import { describe, expect, it } from 'vitest';
import { permutationImportance } from '../../../server/src/explain/permutationImportance';
import { seededRandom } from '../../../server/src/data/random';

/** n rows of independent features with the given standard deviations (uniform, so Var = (2a)²/12). */
function uniformRows(n: number, halfWidths: number[], seed: number): number[][] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => halfWidths.map((a) => (2 * r() - 1) * a));
}

function populationVariance(v: number[]): number {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length;
}

describe('permutation importance (Breiman 2001; Fisher, Rudin & Dominici 2019)', () => {
  const w = [3, -1, 0.5, 0];
  const x = uniformRows(3000, [1, 2, 1, 5], 7);
  const linear = (rows: number[][]): number[] => rows.map((row) => row.reduce((s, v, j) => s + w[j]! * v, 0));
  const y = linear(x);
  const features = ['a', 'b', 'c', 'zero'];

  it('for a linear predictor and MSE, the importance of feature i is 2·wᵢ²·Var(xᵢ)', async () => {
    const result = await permutationImportance(linear, x, y, { features, repeats: 20, metric: 'mse', seed: 1, split: 'validation' });
    expect(result.baselineScore).toBe(0);
    for (const [j, name] of features.entries()) {
      const expected = 2 * w[j]! ** 2 * populationVariance(x.map((r) => r[j]!));
      const got = result.features.find((f) => f.feature === name)!;
      if (expected === 0) expect(got.mean).toBe(0);
      // The mean over random permutations equals 2·w²·Var exactly in expectation; 3000 rows × 20 repeats is close.
      else expect(Math.abs(got.mean - expected) / expected).toBeLessThan(0.03);
      expect(got.values).toHaveLength(20);
      expect(got.std).toBeGreaterThanOrEqual(0);
    }
    // Sorted by decreasing importance: a (2·9·1/3 = 6), b (2·1·4/3 ≈ 2.67), c (2·0.25/3 ≈ 0.17), zero.
    expect(result.features.map((f) => f.feature)).toEqual(['a', 'b', 'c', 'zero']);
  });

  it('a feature the model ignores has importance exactly 0 with std 0, for every metric', async () => {
    for (const metric of ['rmse', 'mae', 'mse'] as const) {
      const r = await permutationImportance(linear, x.slice(0, 200), y.slice(0, 200), { features, repeats: 5, metric, seed: 3, split: 'validation' });
      const zero = r.features.find((f) => f.feature === 'zero')!;
      expect(zero.mean).toBe(0);
      expect(zero.std).toBe(0);
    }
  });

  it('evaluates all permutations of a feature in ONE predict call and counts the rows predicted', async () => {
    const calls: number[] = [];
    const counting = (rows: number[][]): number[] => { calls.push(rows.length); return linear(rows); };
    const n = 50;
    const r = await permutationImportance(counting, x.slice(0, n), y.slice(0, n), { features, repeats: 7, metric: 'rmse', seed: 2, split: 'train' });
    expect(calls).toEqual([n, 7 * n, 7 * n, 7 * n, 7 * n]);
    expect(r.evaluations).toBe(n * (1 + 4 * 7));
    expect(r.repeats).toBe(7);
    expect(r.split).toBe('train');
    expect(r.method).toBe('permutation_importance');
  });

  it('repeats from its seed, and a different seed gives different permutations', async () => {
    const opts = { features, repeats: 5, metric: 'rmse' as const, split: 'validation' as const };
    const a = await permutationImportance(linear, x.slice(0, 100), y.slice(0, 100), { ...opts, seed: 11 });
    const b = await permutationImportance(linear, x.slice(0, 100), y.slice(0, 100), { ...opts, seed: 11 });
    const c = await permutationImportance(linear, x.slice(0, 100), y.slice(0, 100), { ...opts, seed: 12 });
    expect(b).toEqual(a);
    expect(c.features[0]!.values).not.toEqual(a.features[0]!.values);
  });

  it('refuses bad input with a clear error', async () => {
    const opts = { features, repeats: 5, metric: 'rmse' as const, seed: 1, split: 'validation' as const };
    await expect(permutationImportance(linear, [], [], opts)).rejects.toThrow(/at least one sample/);
    await expect(permutationImportance(linear, x.slice(0, 3), y.slice(0, 2), opts)).rejects.toThrow(/3 rows of x but 2 target values/);
    await expect(permutationImportance(linear, x.slice(0, 3), y.slice(0, 3), { ...opts, repeats: 1 })).rejects.toThrow(/at least 2 repeats/);
    await expect(permutationImportance(() => [1], x.slice(0, 3), y.slice(0, 3), opts)).rejects.toThrow(/returned 1 predictions for 3 rows/);
  });
});
