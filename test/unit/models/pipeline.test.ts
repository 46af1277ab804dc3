/** The pipeline trains every family from a spec, writes the model file and classification metrics. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../protocol/protocol';
import { loadFittedModel } from '../../../server/src/models/train';
import { explainLatestRun } from '../../../server/src/pipeline/explainRun';
import { runPipeline } from '../../../server/src/pipeline/runPipeline';
import { selectBackend } from '../../../server/src/worker/backend';
import { root } from './helpers';

describe('pipeline: decision tree, linear SVM, logistic/linear regression and MLP classification from a spec', () => {
  let ws: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    ws = mkdtempSync(join(tmpdir(), 'xai-models-pipeline-'));
    cpSync(join(root, 'examples', 'iris'), join(ws, 'iris'), { recursive: true, filter: (s) => !s.includes('.xai/') });
    cpSync(join(root, 'examples', 'data'), join(ws, 'data'), { recursive: true });
  });

  const run = async (name: string, text: string): Promise<{ runDir: string; report: RunReport }> => {
    const spec = join(ws, 'iris', `${name}.xai.yaml`);
    writeFileSync(spec, text);
    return runPipeline(spec, { backend: 'cpu', runsRoot: join(ws, 'runs') });
  };

  it('examples/iris: tree JSON in the run folder, classification metrics beside the majority class, manifest fields', async () => {
    const { runDir, report } = await runPipeline(join(ws, 'iris', 'iris.xai.yaml'), { backend: 'cpu', runsRoot: join(ws, 'runs') });
    expect(report.task).toBe('classification');
    expect(report.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(report.model.type).toBe('decision_tree');
    const c = report.metrics.classification!;
    expect(c.model.accuracy).toBeGreaterThan(0.9);
    expect(c.baseline.accuracy).toBeLessThan(0.5);
    expect(c.model.confusion.flat().reduce((a, b) => a + b, 0)).toBe(report.data.validationRows);
    expect(report.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.seed).toBe(42);
    expect(report.importance?.metric).toBe('accuracy');
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<th scope="row">balanced accuracy</th>');
    expect(html).toContain('Confusion matrix (rows: true setosa, versicolor, virginica');
    const json = JSON.parse(readFileSync(join(runDir, 'model', 'model.json'), 'utf8')) as { format: string; family: string; features: string[] };
    expect(json).toMatchObject({ format: 'xai-pipelines/model', family: 'decision_tree', features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] });
    const model = await loadFittedModel(join(runDir, 'model'));
    expect(model.outputs).toEqual(report.classes);
    // Explain again from the saved tree alone (the extension's Explain): same importance, same run folder.
    const again = await explainLatestRun(join(ws, 'iris', 'iris.xai.yaml'), { runsRoot: join(ws, 'runs') });
    expect(again.runDir).toBe(runDir);
    expect(again.report.importance?.features).toEqual(report.importance?.features);
  });

  for (const [type, extra] of [['linear_svm', '  C: 0.5'], ['logistic_regression', '  C: 1'], ['mlp', '  hidden_layers: [{ units: 8, activation: relu }]']] as const) {
    it(`${type} on iris (standardized)`, async () => {
      const { runDir, report } = await run(type, `version: 1\nname: iris-${type}\ntask: classification\ndata: { source: ../data/iris.csv, target: species }\n` +
        `preprocessing:\n  - split: { method: random, validation: 0.3, seed: 7 }\n  - standardize: { columns: features }\nmodel:\n  type: ${type}\n${extra}\n` +
        `training: { epochs: 60, learning_rate: 0.02, batch_size: 16, seed: 3, early_stopping: { patience: 20 } }\n`);
      expect(report.model.type).toBe(type);
      expect(report.metrics.classification!.model.accuracy).toBeGreaterThan(0.8);
      expect(existsSync(join(runDir, 'model', 'model.json'))).toBe(true);
      const model = await loadFittedModel(join(runDir, 'model'));
      expect(model.task).toBe('classification');
      expect(model.outputs).toEqual(['setosa', 'versicolor', 'virginica']);
    });
  }

  it('a run repeated with the same seed on the same backend gives the same metrics (MLP with dropout, SVM)', async () => {
    for (const model of ['{ type: mlp, hidden_layers: [{ units: 8, activation: relu }], dropout: 0.2 }', '{ type: linear_svm }']) {
      const text = `version: 1\nname: repeat\ntask: classification\ndata: { source: ../data/wine.csv, target: cultivar }\n` +
        `preprocessing:\n  - split: { method: random, validation: 0.3 }\n  - standardize: { columns: features }\nmodel: ${model}\n` +
        'training: { epochs: 15, batch_size: 16, learning_rate: 0.01, seed: 11 }\n';
      const a = await run('repeat', text);
      const b = await run('repeat', text);
      expect(b.report.runId).not.toBe(a.report.runId);
      expect(b.report.metrics).toEqual(a.report.metrics);
      expect(b.report.history).toEqual(a.report.history);
      expect(b.report.importance?.features).toEqual(a.report.importance?.features);
    }
  });

  it('linear regression on diabetes; a model that does not fit the task is refused with a clear message', async () => {
    const { report } = await run('lin', 'version: 1\nname: diabetes-linear\ntask: regression\ndata: { source: ../data/diabetes.csv, target: progression }\n' +
      'preprocessing:\n  - split: { method: random, validation: 0.2 }\nmodel: { type: linear_regression, alpha: 1 }\ntraining: { seed: 1 }\n');
    expect(report.model.type).toBe('linear_regression');
    expect(report.metrics.model.rmse / report.metrics.baseline.rmse).toBeLessThan(0.85); // beats the mean baseline by 15 %
    await expect(run('bad', 'version: 1\nname: bad\ntask: classification\ndata: { source: ../data/iris.csv, target: species }\nmodel: { type: linear_regression }\ntraining: {}\n'))
      .rejects.toThrow(/linear_regression predicts numbers.*logistic_regression/); // the spec check's message, on its line and column
    // The engine refuses the same on its own (a model file or a caller that skips the spec check).
    const { taskMismatch } = await import('../../../server/src/models/train');
    expect(taskMismatch({ type: 'linear_regression' }, 'classification')).toMatch(/predicts numbers; use logistic_regression/);
    expect(taskMismatch({ type: 'linear_svm' }, 'regression')).toMatch(/predicts classes/);
    expect(taskMismatch({ type: 'decision_tree', criterion: 'gini' }, 'regression')).toMatch(/criterion gini does not fit task regression/);
    expect(taskMismatch({ type: 'decision_tree' }, 'regression')).toBeUndefined();
  });
});

describe('time left of training', () => {
  it('extrapolates the mean epoch time; nothing after the last epoch', async () => {
    const { timeLeft } = await import('../../../server/src/pipeline/runPipeline');
    expect(timeLeft(2000, 10, 100)).toBe(' · about 18 s left');
    expect(timeLeft(60_000, 10, 100)).toBe(' · about 9 min left');
    expect(timeLeft(10, 10, 100)).toBe(' · under 1 s left');
    expect(timeLeft(5000, 100, 100)).toBe('');
  });
});
