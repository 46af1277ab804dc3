import { describe, expect, it } from 'vitest';
import { kmeansBackground, sampledBackground } from '../../../server/src/explain/background';
import { kernelShap } from '../../../server/src/explain/shap/kernelShap';
import { linearShap } from '../../../server/src/explain/shap/linearShap';
import { treeShap } from '../../../server/src/explain/shap/treeShap';
import type { FittedModel, TreeStructure } from '../../../server/src/models/model';
import { denseMlp, linearModel, logisticModel, randomDenseLayers, randomTree, treeModel, uniformRows } from './helpers';

function factorial(n: number): number { let r = 1; for (let i = 2; i <= n; i++) r *= i; return r; }

/** Brute-force Shapley values of a set function v over M players (every subset, the classic formula). */
function shapley(m: number, v: (s: boolean[]) => number): number[] {
  const phi = new Array<number>(m).fill(0);
  for (let bits = 0; bits < 2 ** m; bits++) {
    const s = Array.from({ length: m }, (_, j) => ((bits >> j) & 1) === 1);
    const size = s.filter(Boolean).length;
    const vs = v(s);
    for (let i = 0; i < m; i++) {
      if (s[i]) continue;
      const w = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i]! += w * (v(s.map((b, j) => b || j === i)) - vs);
    }
  }
  return phi;
}

/** The tree's path-dependent conditional expectation E[f | x_S]: unknown features average children by cover. */
function treeConditional(tree: TreeStructure, row: readonly number[], s: readonly boolean[]): number {
  const rec = (i: number): number => {
    const n = tree.nodes[i]!;
    if (n.left < 0) return n.value[0]!;
    if (s[n.feature]) return rec(row[n.feature]! <= n.threshold ? n.left : n.right);
    const l = tree.nodes[n.left]!; const r = tree.nodes[n.right]!;
    return (l.samples * rec(n.left) + r.samples * rec(n.right)) / (l.samples + r.samples);
  };
  return rec(0);
}

const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);

describe('SHAP (Lundberg & Lee 2017; Lundberg, Erion & Lee 2018)', () => {
  const w = [2, -3, 0.5, 0, 1.5];
  const data = uniformRows(400, [1, 2, 1, 3, 0.5], 4);
  const explain = uniformRows(6, [1, 2, 1, 3, 0.5], 5);

  it('linear SHAP is wᵢ(xᵢ − E[xᵢ]) exactly, with efficiency', () => {
    const model = linearModel(w, 0.7);
    const r = linearShap(model, explain, { background: data });
    const means = w.map((_, j) => sum(data.map((row) => row[j]!)) / data.length);
    r.values.forEach((phi, i) => phi.forEach((v, j) => expect(Math.abs(v - w[j]! * (explain[i]![j]! - means[j]!))).toBeLessThan(1e-12)));
    r.gaps!.forEach((g) => expect(g).toBeLessThan(1e-12));
    expect(r.evaluations).toBe(0);
  });

  it('Kernel SHAP of a linear model equals wᵢ(xᵢ − E_bg[xᵢ]) to 1e-6, exact and sampled coalitions alike', async () => {
    const model = linearModel(w, 0.7);
    const background = sampledBackground(data, 50, 1);
    const r = await kernelShap(model, explain, { background });
    expect(r.details.exact).toBe(true);
    expect(r.details.coalitions).toBe(2 ** 5 - 2);
    const means = w.map((_, j) => sum(background.rows.map((row) => row[j]!)) / background.rows.length);
    r.values.forEach((phi, i) => phi.forEach((v, j) => expect(Math.abs(v - w[j]! * (explain[i]![j]! - means[j]!))).toBeLessThan(1e-6)));
    // 12 features: 4094 proper coalitions > a budget of 300, so they are sampled.
    const w12 = Array.from({ length: 12 }, (_, j) => (j % 3) - 1 + j / 10);
    const x12 = uniformRows(100, new Array(12).fill(1), 9);
    const bg12 = kmeansBackground(x12, 10, 2);
    const s = await kernelShap(linearModel(w12), x12.slice(0, 3), { background: bg12, coalitions: 300, seed: 3 });
    expect(s.details.exact).toBe(false);
    const m12 = w12.map((_, j) => sum(bg12.rows.map((row, b) => row[j]! * bg12.weights[b]!)));
    s.values.forEach((phi, i) => phi.forEach((v, j) => expect(Math.abs(v - w12[j]! * (x12[i]![j]! - m12[j]!))).toBeLessThan(1e-6)));
  });

  it('exact Kernel SHAP equals brute-force Shapley values of v(S) = E_bg[f(x_S, X_S̄)] for a ReLU network', async () => {
    const model = denseMlp(randomDenseLayers([4, 8, 6, 1], 7));
    const x = uniformRows(80, [1, 1, 1, 1], 8);
    const background = kmeansBackground(x, 8, 3);
    const rows = x.slice(0, 3);
    const r = await kernelShap(model, rows, { background });
    for (const [i, xi] of rows.entries()) {
      const cache = new Map<string, number>();
      const all: number[][] = [];
      for (let bits = 0; bits < 16; bits++) for (const b of background.rows) all.push(b.map((v, j) => (((bits >> j) & 1) ? xi[j]! : v)));
      const f = (await model.predict(all)).map((o) => o[0]!);
      for (let bits = 0; bits < 16; bits++) cache.set(String(bits), sum(background.weights.map((wb, b) => wb * f[bits * background.rows.length + b]!)));
      const expected = shapley(4, (s) => cache.get(String(s.reduce((acc, on, j) => acc + (on ? 2 ** j : 0), 0)))!);
      expected.forEach((e, j) => expect(Math.abs(r.values[i]![j]! - e)).toBeLessThan(1e-9));
    }
  });

  it('efficiency E[f] + Σφ = f(x) to 1e-6 for every model family (linear, logistic, tree, MLP), in few batched calls', async () => {
    const models: [string, FittedModel, number][] = [
      ['linear', linearModel(w, 1), 0],
      ['logistic', logisticModel([1, -2, 0.5, 0.3, 2]), 1],
      ['tree', treeModel(randomTree(4, 5, 11), 5), 0],
      ['mlp', denseMlp(randomDenseLayers([5, 10, 1], 3)), 0],
    ];
    for (const [name, model, output] of models) {
      const calls: number[] = [];
      const counted: FittedModel = { ...model, predict: (x) => { calls.push(x.length); return model.predict(x); } };
      const bg = kmeansBackground(data, 12, 1);
      const r = await kernelShap(counted, explain, { background: bg, output });
      for (const [i, phi] of r.values.entries()) expect(Math.abs(r.baseValues[i]! + sum(phi) - r.predictions[i]!), name).toBeLessThan(1e-6);
      // Background, samples, then all coalitions of all samples in one call.
      expect(calls, name).toEqual([bg.rows.length, explain.length, explain.length * 30 * bg.rows.length]);
      expect(r.evaluations).toBe(bg.rows.length + explain.length * (1 + 30 * bg.rows.length));
    }
  });

  it('TreeSHAP equals brute-force Shapley values of the tree’s conditional expectations on trees of depth 1 to 4', () => {
    for (let depth = 1; depth <= 4; depth++) {
      for (let seed = 1; seed <= 5; seed++) {
        const nFeatures = 3 + (seed % 3);
        const tree = randomTree(depth, nFeatures, seed * 10 + depth);
        const model = treeModel(tree, nFeatures);
        const rows = uniformRows(8, new Array(nFeatures).fill(1.2), seed);
        const r = treeShap(model, rows);
        for (const [i, row] of rows.entries()) {
          const expected = shapley(nFeatures, (s) => treeConditional(tree, row, s));
          expected.forEach((e, j) => expect(Math.abs(r.values[i]![j]! - e), `depth ${depth} seed ${seed}`).toBeLessThan(1e-9));
          expect(r.gaps![i]!).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('k-means background recovers well-separated clusters with their weights', () => {
    const pts = [...uniformRows(30, [0.1, 0.1], 1).map(([a, b]) => [a! + 5, b!]), ...uniformRows(10, [0.1, 0.1], 2).map(([a, b]) => [a!, b! - 5])];
    const bg = kmeansBackground(pts, 2, 4);
    const order = bg.rows.map((r, i) => [r[0]!, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    expect(bg.weights[order[0]!]).toBeCloseTo(0.25, 12);
    expect(bg.weights[order[1]!]).toBeCloseTo(0.75, 12);
    expect(Math.abs(bg.rows[order[1]!]![0]! - 5)).toBeLessThan(0.1);
  });

  it('refuses malformed input with clear errors', async () => {
    const model = linearModel(w);
    await expect(kernelShap(model, [[1, 2]], { background: sampledBackground(data, 5, 1) })).rejects.toThrow(/row 0 has 2 values, expected 5/);
    await expect(kernelShap(model, explain, { background: { rows: data.slice(0, 2), weights: [0.5, 0.4] } })).rejects.toThrow(/sum to 0.9/);
    const bad: TreeStructure = { nodes: [{ feature: 0, threshold: 0, left: 1, right: -1, impurity: 0, samples: 2, value: [0] }] };
    expect(() => treeShap(treeModel(bad, 5), explain)).toThrow(/tree node 0: one child is missing/);
    expect(() => linearShap(model, explain, {})).toThrow(/needs background data or feature means/);
  });
});
