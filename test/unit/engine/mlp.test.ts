import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../server/src/data/random';
import { buildMlp, loadMlp, parameterCount, predictMlp, saveMlp, trainMlp } from '../../../server/src/models/mlp';
import type { TrainingSpec } from '../../../server/src/spec/types';
import { selectBackend } from '../../../server/src/worker/backend';

const spec = { type: 'mlp' as const, hidden_layers: [{ units: 8, activation: 'relu' as const }, { units: 4, activation: 'tanh' as const }] };
const training: TrainingSpec = { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 30, batch_size: 8, seed: 3 };
// y = 2a − b + 0.5 on a small grid
const x = Array.from({ length: 40 }, (_, i) => [(i % 8) / 4 - 1, Math.floor(i / 8) / 2 - 1]);
const y = x.map(([a, b]) => 2 * a! - b! + 0.5);

describe('MLP through the TensorFlow.js layers API (cpu backend)', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });

  it('has the spec\'s layers, a linear output and (2·8+8)+(8·4+4)+(4+1) parameters', () => {
    const model = buildMlp(spec, 2, 1);
    expect(parameterCount(model)).toBe(24 + 36 + 5);
    expect(model.layers.map((l) => (l.getConfig() as { activation: string }).activation)).toEqual(['relu', 'tanh', 'linear']);
    model.dispose();
  });

  it('learns, reports every epoch, and repeats exactly from its seed', async () => {
    const run = async () => {
      const model = buildMlp(spec, 2, training.seed);
      const epochs: number[] = [];
      const history = await trainMlp(model, x, y, training, { validation: { x: x.slice(0, 5), y: y.slice(0, 5) }, onEpoch: (r) => { epochs.push(r.epoch); } });
      const p = predictMlp(model, x);
      model.dispose();
      return { history, p, epochs };
    };
    const a = await run();
    const b = await run();
    expect(a.epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(a.history[29]!.loss).toBeLessThan(a.history[0]!.loss / 5);
    expect(a.history.every((h) => Number.isFinite(h.valLoss))).toBe(true);
    expect(b.history).toEqual(a.history);
    expect(b.p).toEqual(a.p);
  });

  it('saves in LayersModel format (model.json + weights.bin) and loads back with equal predictions', async () => {
    const model = buildMlp(spec, 2, 5);
    await trainMlp(model, x, y, { ...training, epochs: 3 });
    const before = predictMlp(model, x);
    const dir = join(mkdtempSync(join(tmpdir(), 'xai-mlp-')), 'model');
    await saveMlp(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { format: string; modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown[] }[] };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['./weights.bin']);
    expect(json.weightsManifest[0]!.weights).toHaveLength(6); // 3 kernels + 3 biases
    expect(readFileSync(join(dir, 'weights.bin')).byteLength).toBe(65 * 4); // float32
    const loaded = await loadMlp(dir);
    expect(predictMlp(loaded, x)).toEqual(before);
    model.dispose();
    loaded.dispose();
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    await expect(loadMlp(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing.*model\.json: ENOENT/);
  });

  it('stops with a clear error when training diverges', async () => {
    const model = buildMlp(spec, 2, 1);
    const wild = y.map((v) => v * 1e30);
    await expect(trainMlp(model, x, wild, { ...training, optimizer: 'sgd', learning_rate: 1e6, epochs: 50 }))
      .rejects.toThrow(/training diverged at epoch \d+: the loss is (NaN|Infinity); lower training\.learning_rate \(now 1000000\)/);
    model.dispose();
  });

  it('stops with a clear error when the last step leaves the weights or the outputs non-finite (its loss, taken before the step, was finite)', async () => {
    // Inputs of 1e8, not standardized: one SGD step at rate 1 from a finite loss overflows the weights.
    const r = seededRandom(1);
    const big = Array.from({ length: 16 }, () => [1e8 * r(), 1e8 * r()]);
    const messages: string[] = [];
    for (const backend of ['wasm', 'cpu'] as const) { // cpu last: this suite's backend
      expect(await selectBackend(backend)).toBe(backend);
      const model = buildMlp({ type: 'mlp', hidden_layers: [{ units: 4, activation: 'linear' }] }, 2, 1);
      messages.push(await trainMlp(model, big, big.map(([a, b]) => a! + b!), { optimizer: 'sgd', learning_rate: 1, loss: 'mse', epochs: 1, batch_size: 16, seed: 1 }).then(() => 'trained', (e: Error) => e.message));
      model.dispose();
    }
    // The weights stay finite; the outputs overflow.
    for (const message of messages) expect(message).toMatch(/training diverged at epoch 1: the model's outputs on the training rows are no longer finite \(the loss is (Infinity|NaN)\); lower training\.learning_rate \(now 1\)/);
    // A rate of 1e37 (more than a spec allows) sends the weights themselves past float32's range.
    const model = buildMlp({ type: 'mlp', hidden_layers: [] }, 2, 1);
    await expect(trainMlp(model, x.map(([a, b]) => [100 * a!, 100 * b!]), y, { optimizer: 'sgd', learning_rate: 1e37, loss: 'mse', epochs: 1, batch_size: 64, seed: 1 }))
      .rejects.toThrow(/training diverged at epoch 1: the weights are no longer finite after its last step \(its loss was [0-9.e+]+\)/);
    model.dispose();
  });
});
