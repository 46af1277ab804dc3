/** The flowchart of a tree spec names the family instead of dense layers, and shows accuracy after a run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../protocol/protocol';
import { buildFlowGraph } from '../../../server/src/report/flowGraph';
import { parseSpec } from '../../../server/src/spec/parse';
import { root } from './helpers';

describe('flow graph of the model families', () => {
  const text = readFileSync(join(root, 'examples', 'iris', 'iris.xai.yaml'), 'utf8');

  it('examples/iris: one CART node with its criterion and depth; no Dense layers', () => {
    const g = buildFlowGraph(parseSpec(text));
    const labels = g.nodes.filter((n) => n.kind === 'layer').map((n) => n.label);
    expect(labels).toEqual(['Input · features', 'CART tree · gini · depth ≤ 3']); // the feature count needs the CSV profile
    expect(g.nodes.find((n) => n.kind === 'model')?.label).toBe('decision_tree');
  });

  it('linear families and a classification report: accuracy beside the baseline on the output', () => {
    const svm = buildFlowGraph(parseSpec(text.replace(/model:[\s\S]*?training:/, 'model:\n  type: linear_svm\n  C: 0.5\n\ntraining:')));
    expect(svm.nodes.find((n) => n.id === 'n_layer_out')?.label).toBe('linear SVM · squared hinge · C 0.5');
    const metrics = { accuracy: 0.9, balancedAccuracy: 0.9, precision: 0.9, recall: 0.9, f1: 0.9, rocAuc: 0.95, logLoss: 0.3, confusion: [[1]], classes: ['a'] };
    const report = {
      reportVersion: 1, runId: 'r', createdAt: '', spec: { name: 'iris', path: '', sha256: '' }, data: { path: '', sha256: '', rows: 150, trainRows: 105, validationRows: 45 },
      task: 'classification', target: 'species', features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], classes: ['a'], backend: 'cpu', seed: 42,
      model: { type: 'decision_tree', layers: [], parameters: 9 },
      metrics: { split: 'validation', model: { rmse: 0.2, mae: 0.1, r2: 0.5 }, baseline: { name: 'majority class (a)', rmse: 0.5, mae: 0.4, r2: 0 },
        classification: { model: metrics, baseline: { ...metrics, accuracy: 0.3, name: 'majority class (a)' } } },
      history: [], steps: [], timings: { loadMs: 0, preprocessMs: 0, trainMs: 0, explainMs: 0, totalMs: 0 },
      versions: { xaiPipelines: '0', tfjs: '0', node: '0' }, artifacts: { model: 'model/model.json', preprocessing: 'p', report: 'r', html: 'h' },
    } as RunReport;
    const g = buildFlowGraph(parseSpec(text), report);
    expect(g.nodes.find((n) => n.kind === 'output')?.detail).toMatch(/^accuracy 0\.9\d* \(baseline 0\.3\d*\)$/);
    expect(g.nodes.find((n) => n.id === 'n_layer_out')?.label).toBe('CART tree · gini · depth ≤ 3');
  });
});
