import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmeansBackground } from '../../../server/src/explain/background';
import { integratedGradients } from '../../../server/src/explain/gradients';
import { randomTwin } from '../../../server/src/explain/randomTwin';
import { sanityCheck } from '../../../server/src/explain/sanityCheck';
import { kernelShap } from '../../../server/src/explain/shap/kernelShap';
import { treeShap } from '../../../server/src/explain/shap/treeShap';
import { fitLinearRegression, fitLogisticRegression } from '../../../server/src/models/linear';
import type { DifferentiableModel, FittedModel, TreeModel } from '../../../server/src/models/model';
import { fitDecisionTree } from '../../../server/src/models/tree';

const root = resolve(__dirname, '../../..');

function table(name: string, target: string): { x: number[][]; y: string[] } {
  const lines = readFileSync(resolve(root, 'examples/data', name), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const t = header.indexOf(target);
  const rows = lines.slice(1).map((l) => l.split(','));
  const raw = rows.map((r) => r.filter((_, j) => j !== t).map(Number));
  const m = raw[0]!.map((_, j) => raw.reduce((s, r) => s + r[j]!, 0) / raw.length);
  const sd = raw[0]!.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j]! - m[j]!) ** 2, 0) / raw.length));
  return { x: raw.map((r) => r.map((v, j) => (v - m[j]!) / sd[j]!)), y: rows.map((r) => r[t]!) };
}

describe('random-weight twins for the sanity check (Adebayo et al. 2018)', () => {
  it('a linear model keeps its shape and link with new weights; IG on diabetes ridge passes the sanity check', async () => {
    const { x, y } = table('diabetes.csv', 'progression');
    const model = fitLinearRegression(x, y.map(Number), 'progression', 1);
    const twin = randomTwin(model, x, 3)! as DifferentiableModel & { linear: typeof model.linear };
    expect(twin.family).toBe('linear_regression');
    expect(twin.linear.link).toBe('identity');
    expect(twin.linear.weights[0]).toHaveLength(10);
    expect(twin.linear.weights[0]).not.toEqual(model.linear.weights[0]);
    const ig = async (m: FittedModel, rows: readonly (readonly number[])[]) => (await integratedGradients(m as DifferentiableModel, rows, { steps: 4 })).values;
    const r = await sanityCheck(ig, model, twin, x.slice(0, 40));
    expect(r.flagged, r.reasons.join('; ')).toBe(false);
    const iris = table('iris.csv', 'species');
    const classes = [...new Set(iris.y)];
    const logistic = fitLogisticRegression(iris.x, iris.y.map((c) => classes.indexOf(c)), classes);
    const lt = randomTwin(logistic, iris.x, 1)!;
    expect((await lt.predict(iris.x.slice(0, 3))).every((p) => Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-12)).toBe(true);
  });

  it('a tree keeps nodes, children and cover with random splits and shuffled leaves; Kernel SHAP on it passes the sanity check', async () => {
    const { x, y } = table('iris.csv', 'species');
    const classes = [...new Set(y)];
    const tree = fitDecisionTree(x, y.map((c) => classes.indexOf(c)), classes, { task: 'classification', maxDepth: 3 });
    const twin = randomTwin(tree, x, 5)! as TreeModel;
    expect(twin.tree.nodes.map((n) => [n.left, n.right, n.samples])).toEqual(tree.tree.nodes.map((n) => [n.left, n.right, n.samples]));
    expect(twin.tree.nodes.map((n) => n.feature)).not.toEqual(tree.tree.nodes.map((n) => n.feature));
    // Still a consistent tree: TreeSHAP's efficiency holds on it.
    treeShap(twin, x.slice(0, 20), { output: 0 }).gaps!.forEach((g) => expect(g).toBeLessThan(1e-12));
    const background = kmeansBackground(x, 8, 0);
    const shap = async (m: FittedModel, rows: readonly (readonly number[])[]) => (await kernelShap(m, rows, { background, output: 2 })).values;
    const r = await sanityCheck(shap, tree, twin, x.slice(50, 150).filter((_, i) => i % 5 === 0));
    expect(r.flagged, r.reasons.join('; ')).toBe(false);
  });
});
