import { beforeAll, describe, expect, it } from 'vitest';
import { splitRows } from '../../../server/src/data/split';
import { fitScaler } from '../../../server/src/data/standardize';
import { classificationMetrics, meanBaseline, rmse } from '../../../server/src/models/metrics';
import { balancedClassWeights, buildMlp, scheduledRate, trainMlp } from '../../../server/src/models/mlp';
import { MlpFitted } from '../../../server/src/models/mlpModel';
import type { TrainingSpec } from '../../../server/src/spec/types';
import { selectBackend } from '../../../server/src/worker/backend';
import { loadClassification, loadCsv } from './helpers';

/** z-scores of train and validation with the training rows' mean and std. */
function standardize(train: number[][], val: number[][]): [number[][], number[][]] {
  const s = train[0]!.map((_, j) => fitScaler(train.map((r) => r[j]!)));
  const z = (x: number[][]) => x.map((r) => r.map((v, j) => (v - s[j]!.mean) / s[j]!.std));
  return [z(train), z(val)];
}

describe('MLP: regression on diabetes, classification, early stopping, class weights (cpu backend)', () => {
  beforeAll(async () => { expect(await selectBackend('cpu')).toBe('cpu'); });

  it('beats the training-mean baseline on diabetes.csv (validation RMSE, random 20 % split)', async () => {
    const d = loadCsv('diabetes.csv', 'progression');
    const y = d.labels.map(Number);
    const { indices } = splitRows(y.length, { method: 'random', validation: 0.2 }, 42);
    const [xt, xv] = standardize(indices.train.map((i) => d.x[i]!), indices.validation.map((i) => d.x[i]!));
    const yt = indices.train.map((i) => y[i]!);
    const yv = indices.validation.map((i) => y[i]!);
    const ys = fitScaler(yt);
    const training: TrainingSpec = { optimizer: 'adam', learning_rate: 0.005, loss: 'mse', epochs: 200, batch_size: 32, seed: 42 };
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 16, activation: 'relu' }] }, 10, 42, { l2: 1e-3, dropout: 0.1 });
    const history = await trainMlp(net, xt, yt.map((v) => (v - ys.mean) / ys.std), training, {
      validation: { x: xv, y: yv.map((v) => (v - ys.mean) / ys.std) }, earlyStopping: { patience: 20 },
    });
    const model = new MlpFitted(net, ['progression']);
    const pred = model.predictSync(xv).map((r) => r[0]! * ys.std + ys.mean);
    const ours = rmse(yv, pred);
    const baseline = rmse(yv, meanBaseline(yt, yv.length));
    console.log(`diabetes: MLP val RMSE ${ours.toFixed(2)} vs training mean ${baseline.toFixed(2)} after ${history.length} epochs`);
    expect(ours).toBeLessThan(0.85 * baseline);
    model.dispose();
  });

  it('multiclass (softmax) on iris and binary on breast_cancer: accuracy well above the majority class', async () => {
    for (const [file, target, min] of [['iris.csv', 'species', 0.85], ['breast_cancer.csv', 'diagnosis', 0.93]] as const) {
      const d = loadClassification(file, target);
      const { indices } = splitRows(d.y.length, { method: 'random', validation: 0.25 }, 1);
      const [xt, xv] = standardize(indices.train.map((i) => d.x[i]!), indices.validation.map((i) => d.x[i]!));
      const yt = indices.train.map((i) => d.y[i]!);
      const yv = indices.validation.map((i) => d.y[i]!);
      const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 16, activation: 'relu' }] }, d.features.length, 7, { nClasses: d.classes.length });
      await trainMlp(net, xt, yt, { optimizer: 'sgd', learning_rate: 0.05, loss: 'mse', epochs: 60, batch_size: 16, seed: 7 }, {
        nClasses: d.classes.length, momentum: 0.9, schedule: { kind: 'step', every: 20, factor: 0.5 }, classWeight: balancedClassWeights(yt, d.classes.length),
      });
      const model = new MlpFitted(net, d.classes);
      expect(model.task).toBe('classification');
      const p = model.predictSync(xv);
      expect(p.every((r) => r.length === d.classes.length && Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-5)).toBe(true);
      const m = classificationMetrics(yv, p, d.classes);
      expect(m.accuracy, file).toBeGreaterThan(min);
      expect(m.rocAuc!).toBeGreaterThan(0.95);
      // Contract: gradients of a class probability by tf.grad match finite differences; dense layers read back.
      const g = await model.gradient(xv.slice(0, 2), 0);
      const h = 1e-2;
      const up = xv[0]!.map((v, j) => (j === 1 ? v + h : v));
      const dn = xv[0]!.map((v, j) => (j === 1 ? v - h : v));
      const fd = (model.predictSync([up])[0]![0]! - model.predictSync([dn])[0]![0]!) / (2 * h);
      expect(g[0]![1]!).toBeCloseTo(fd, 2);
      const layers = model.denseLayers();
      expect(layers.map((l) => l.activation)).toEqual(['relu', 'softmax']);
      expect(layers[1]!.kernel).toHaveLength(16);
      model.dispose();
    }
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best epoch\'s weights', async () => {
    // Tiny noisy data with a large network: the validation loss turns up soon.
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const y = x.map(([a], i) => a! + ((i * 7) % 5) / 5 - 0.4);
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }] }, 2, 3);
    const records: number[] = [];
    const history = await trainMlp(net, x.slice(0, 30), y.slice(0, 30), { optimizer: 'adam', learning_rate: 0.02, loss: 'mse', epochs: 400, batch_size: 8, seed: 3 }, {
      validation: { x: x.slice(30), y: y.slice(30) }, earlyStopping: { patience: 15 }, onEpoch: (r) => { records.push(r.valLoss!); },
    });
    expect(history.length).toBeLessThan(400);
    const bestEpoch = records.indexOf(Math.min(...records)) + 1;
    expect(history.length).toBe(bestEpoch + 15);
    const model = new MlpFitted(net, ['y']);
    const p = model.predictSync(x.slice(30)).map((r) => r[0]!);
    const mse = p.reduce((s, v, i) => s + (v - y[30 + i]!) ** 2, 0) / p.length;
    expect(mse).toBeCloseTo(Math.min(...records), 4);
    model.dispose();
  });

  it('learning-rate schedules and balanced class weights', () => {
    expect(scheduledRate(0.1, { kind: 'step', every: 10, factor: 0.5 }, 21)).toBeCloseTo(0.025, 15);
    expect(scheduledRate(0.1, { kind: 'exponential', rate: 0.9 }, 3)).toBeCloseTo(0.081, 15);
    expect(scheduledRate(0.1, undefined, 50)).toBe(0.1);
    expect(balancedClassWeights([0, 0, 0, 1], 2)).toEqual([4 / 6, 2]);
    expect(() => buildMlp({ type: 'mlp', hidden_layers: [{ units: 2, activation: 'relu' }] }, 2, 1, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
  });
});
