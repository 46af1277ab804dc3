/**
 * Must-show 2: a saved model reloaded in a FRESH Node process predicts exactly what it predicted at training
 * time, for every model family. The loader is the engine's own code, bundled with esbuild and run by `node`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitLinearRegression, fitLogisticRegression } from '../../../server/src/models/linear';
import { fitLinearSvm } from '../../../server/src/models/linearSvm';
import { buildMlp, saveMlp, trainMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import { saveModelJson } from '../../../server/src/models/modelJson';
import { fitDecisionTree } from '../../../server/src/models/tree';
import { selectBackend } from '../../../server/src/worker/backend';
import { loadClassification, root } from './helpers';

const LOADER = `
import { readFileSync } from 'node:fs';
import { loadModelJson } from './server/src/models/modelJson';
import { loadMlp } from './server/src/models/mlp';
import { MlpFitted } from './server/src/models/mlpModel';
import { selectBackend } from './server/src/worker/backend';
const [kind, path, xPath] = process.argv.slice(2);
const x = JSON.parse(readFileSync(xPath, 'utf8'));
(async () => {
  let p;
  if (kind === 'mlp') {
    await selectBackend('cpu');
    const m = new MlpFitted(await loadMlp(path), JSON.parse(readFileSync(path + '/outputs.json', 'utf8')));
    p = await m.predict(x);
  } else p = await loadModelJson(path).predict(x);
  process.stdout.write(JSON.stringify({ pid: process.pid, p }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('save → load in a fresh process gives identical predictions (every family)', () => {
  let dir: string;
  let loader: string;
  const iris = loadClassification('iris.csv', 'species');
  const z = iris.x.map((r) => r.map((v) => v / 4));
  const xPath = (): string => join(dir, 'x.json');
  const fresh = (kind: string, path: string): number[][] => {
    const r = spawnSync(process.execPath, [loader, kind, path, xPath()], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { pid: number; p: number[][] };
    expect(out.pid).not.toBe(process.pid);
    return out.p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xai-fresh-'));
    loader = join(dir, 'loader.cjs');
    await esbuild.build({ stdin: { contents: LOADER, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: loader, logLevel: 'error' });
    writeFileSync(xPath(), JSON.stringify(z));
    expect(await selectBackend('cpu')).toBe('cpu');
  });

  it('decision tree, linear SVM, logistic and linear regression (model JSON)', () => {
    const models = {
      tree: fitDecisionTree(z, iris.y, iris.classes, { task: 'classification', criterion: 'entropy', maxDepth: 4 }),
      svm: fitLinearSvm(z, iris.y, iris.classes, { C: 0.5 }),
      logistic: fitLogisticRegression(z, iris.y, iris.classes),
      linear: fitLinearRegression(z.map((r) => r.slice(0, 3)), z.map((r) => r[3]!), 'petal_width', 0.1),
    };
    for (const [name, m] of Object.entries(models)) {
      const path = join(dir, `${name}.json`);
      saveModelJson(path, m, name === 'linear' ? iris.features.slice(0, 3) : iris.features);
      const json = JSON.parse(readFileSync(path, 'utf8')) as { format: string; formatVersion: number; family: string };
      expect(json).toMatchObject({ format: 'xai-pipelines/model', formatVersion: 1, family: m.family });
      const x = name === 'linear' ? z.map((r) => r.slice(0, 3)) : z;
      if (name === 'linear') writeFileSync(xPath(), JSON.stringify(x));
      expect(fresh('json', path), name).toEqual(m.predictSync(x));
      writeFileSync(xPath(), JSON.stringify(z));
    }
  });

  it('MLP (LayersModel folder) with dropout and a softmax head, on the same backend', async () => {
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 8, activation: 'tanh' }] }, 4, 9, { nClasses: 3, dropout: 0.2 });
    await trainMlp(net, z, iris.y, { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 5, batch_size: 16, seed: 9 }, { nClasses: 3 });
    const model = new MlpFitted(net, iris.classes);
    const path = join(dir, 'mlp');
    await saveMlp(net, path);
    writeFileSync(join(path, 'outputs.json'), JSON.stringify(iris.classes));
    expect(fresh('mlp', path)).toEqual(model.predictSync(z));
    model.dispose();
  });
});

describe('model JSON: malformed files get a clear error naming the file and the problem', () => {
  it('rejects a wrong format, a future version, a broken node and an MLP family', async () => {
    const { modelFromJson, loadModelJson } = await import('../../../server/src/models/modelJson');
    const ok = { format: 'xai-pipelines/model', formatVersion: 1, family: 'decision_tree', task: 'classification', nFeatures: 1, outputs: ['a', 'b'],
      tree: { nodes: [{ feature: 0, threshold: 0.5, left: 1, right: 2, impurity: 0.5, samples: 2, value: [0.5, 0.5] },
        { feature: -1, threshold: -2, left: -1, right: -1, impurity: 0, samples: 1, value: [1, 0] },
        { feature: -1, threshold: -2, left: -1, right: -1, impurity: 0, samples: 1, value: [0, 1] }] } };
    expect(await modelFromJson(ok).predict([[0], [1]])).toEqual([[1, 0], [0, 1]]);
    expect(() => modelFromJson({ ...ok, format: 'other' }, 'm.json')).toThrow(/m\.json: format is "other"/);
    expect(() => modelFromJson({ ...ok, formatVersion: 2 })).toThrow(/formatVersion 2 is not supported/);
    expect(() => modelFromJson({ ...ok, tree: { nodes: [{ ...ok.tree.nodes[0], left: 7 }] } })).toThrow(/tree node 0 is malformed/);
    expect(() => modelFromJson({ ...ok, family: 'mlp' })).toThrow(/LayersModel folder/);
    expect(() => loadModelJson('/nonexistent/model.json')).toThrow(/cannot read \/nonexistent\/model\.json/);
  });
});
