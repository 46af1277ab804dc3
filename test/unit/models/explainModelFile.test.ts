/** `xai explain MODEL --data CSV`: a saved model explained on a CSV without its spec. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMlp, saveMlp, trainMlp } from '../../../server/src/models/mlp';
import { explainModelFile } from '../../../server/src/pipeline/explainModelFile';
import { runPipeline } from '../../../server/src/pipeline/runPipeline';
import { selectBackend } from '../../../server/src/worker/backend';
import { loadCsv, root } from './helpers';

describe('explain a model file on a CSV', () => {
  let ws: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    ws = mkdtempSync(join(tmpdir(), 'xai-explain-model-'));
    cpSync(join(root, 'examples', 'iris'), join(ws, 'iris'), { recursive: true, filter: (s) => !s.includes('.xai/') });
    cpSync(join(root, 'examples', 'data'), join(ws, 'data'), { recursive: true });
  });

  it('a run folder (tree): its report names target and classes; petal features dominate', async () => {
    const { runDir } = await runPipeline(join(ws, 'iris', 'iris.xai.yaml'), { backend: 'cpu', runsRoot: join(ws, 'runs') });
    const csv = join(ws, 'data', 'iris.csv');
    for (const path of [runDir, join(runDir, 'model'), join(runDir, 'model', 'model.json')]) {
      const r = await explainModelFile(path, csv);
      expect(r).toMatchObject({ task: 'classification', target: 'species', rows: 150 });
      expect(r.importance.metric).toBe('accuracy');
      expect(r.importance.features.slice(0, 2).map((f) => f.feature).sort()).toEqual(['petal_length', 'petal_width']);
    }
    await expect(explainModelFile(runDir, join(ws, 'data', 'wine.csv'))).rejects.toThrow(/no target column 'species'/);
  });

  it('a LayersModel trained elsewhere (no metadata, no run folder): CSV columns are its inputs, --target names y', async () => {
    const d = loadCsv('diabetes.csv', 'progression');
    const y = d.labels.map(Number);
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 8, activation: 'relu' }] }, 10, 1);
    const scale = d.x[0]!.map((_, j) => Math.max(...d.x.map((r) => Math.abs(r[j]!))));
    // "Elsewhere": a network trained on the raw columns (divided by their max inside the data we give it).
    const csv = join(ws, 'diabetes-scaled.csv');
    writeFileSync(csv, `${[...d.features, 'progression'].join(',')}\n${d.x.map((r, i) => [...r.map((v, j) => v / scale[j]!), y[i]].join(',')).join('\n')}\n`);
    await trainMlp(net, d.x.map((r) => r.map((v, j) => v / scale[j]!)), y.map((v) => v / 100), { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 5, batch_size: 32, seed: 1 });
    const dir = join(ws, 'elsewhere');
    mkdirSync(dir);
    await saveMlp(net, dir);
    const r = await explainModelFile(join(dir, 'model.json'), csv, { target: 'progression', repeats: 3 });
    expect(r).toMatchObject({ task: 'regression', target: 'progression', features: d.features, rows: 442 });
    expect(r.importance.metric).toBe('rmse');
    await expect(explainModelFile(dir, csv)).rejects.toThrow(/does not name its target: pass --target/);
    net.dispose();
  });
});
