import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { permutation, seededRandom } from '../../../server/src/data/random';
import { buildMlp, loadMlp, predictMlp, saveMlp, trainMlp } from '../../../server/src/models/mlp';
import type { TrainingSpec } from '../../../server/src/spec/types';
import { selectBackend } from '../../../server/src/worker/backend';

/** Deterministic inputs in [-1, 1). */
function rows(n: number, f: number, seed: number): number[][] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: f }, () => 2 * r() - 1));
}

/** The same epochs through tfjs's own `model.fit`: same initial weights, same seeded row order per epoch. */
async function fitReference(build: () => ReturnType<typeof buildMlp>, x: number[][], y: number[], t: TrainingSpec, nClasses?: number, classWeight?: number[]): Promise<number[]> {
  const net = build();
  const optimizer = t.optimizer === 'sgd' ? tf.train.sgd(t.learning_rate) : tf.train.adam(t.learning_rate);
  net.compile({ optimizer, loss: nClasses ? 'categoricalCrossentropy' : t.loss === 'mae' ? 'meanAbsoluteError' : 'meanSquaredError' });
  const random = seededRandom(t.seed);
  const losses: number[] = [];
  for (let e = 0; e < t.epochs; e++) {
    const order = permutation(x.length, random);
    const xs = tf.tensor2d(order.map((i) => x[i]!));
    const ys = nClasses ? tf.cast(tf.oneHot(tf.tensor1d(order.map((i) => y[i]!), 'int32'), nClasses), 'float32') : tf.tensor2d(order.map((i) => [y[i]!]));
    const h = await net.fit(xs, ys, { epochs: 1, batchSize: t.batch_size, shuffle: false, verbose: 0, classWeight: classWeight ? Object.fromEntries(classWeight.map((w, k) => [k, w])) : undefined });
    losses.push(Number(h.history.loss![0]));
    tf.dispose([xs, ys]);
  }
  net.dispose();
  optimizer.dispose();
  return losses;
}

describe.each(['wasm', 'cpu'] as const)('MLP training loop (MlpTrainer) on the %s backend', (backend) => {
  it('gives the loss trajectory of model.fit: regression with L2, softmax classification with class weights, sigmoid layers with MAE and SGD', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const x = rows(300, 4, 11);
    const t: TrainingSpec = { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 6, batch_size: 64, seed: 5 };
    const spec = { type: 'mlp' as const, hidden_layers: [{ units: 16, activation: 'relu' as const }, { units: 8, activation: 'tanh' as const }] };
    // Regression: y = sin(2·x0) + x1·x2, L2 on the kernels.
    const y = x.map((r) => Math.sin(2 * r[0]!) + r[1]! * r[2]!);
    const ours = (await trainMlp(buildMlp(spec, 4, 3, { l2: 1e-3 }), x, y, t)).map((r) => r.loss);
    const ref = await fitReference(() => buildMlp(spec, 4, 3, { l2: 1e-3 }), x, y, t);
    ours.forEach((l, i) => expect(l).toBeCloseTo(ref[i]!, 4));
    expect(ours[5]!).toBeLessThan(0.5 * ours[0]!);
    // Three classes by the sign pattern of x0 and x1, the rare class weighted up.
    const c = x.map((r) => (r[0]! > 0.5 ? 2 : r[1]! > 0 ? 1 : 0));
    const w = [1, 1.5, 3];
    const oursC = (await trainMlp(buildMlp(spec, 4, 3, { nClasses: 3 }), x, c, t, { nClasses: 3, classWeight: w })).map((r) => r.loss);
    const refC = await fitReference(() => buildMlp(spec, 4, 3, { nClasses: 3 }), x, c, t, 3, w);
    oursC.forEach((l, i) => expect(l).toBeCloseTo(refC[i]!, 4));
    // Sigmoid and linear hidden layers and the mean absolute error, by plain SGD: its steps are proportional to the
    // gradient (Adam's and RMSprop's are not), so a gradient off by a factor shows in the losses.
    const other = { type: 'mlp' as const, hidden_layers: [{ units: 12, activation: 'sigmoid' as const }, { units: 6, activation: 'linear' as const }] };
    const tm: TrainingSpec = { optimizer: 'sgd', learning_rate: 0.2, loss: 'mae', epochs: 6, batch_size: 50, seed: 8 };
    const oursM = (await trainMlp(buildMlp(other, 4, 6), x, y, tm)).map((r) => r.loss);
    const refM = await fitReference(() => buildMlp(other, 4, 6), x, y, tm);
    oursM.forEach((l, i) => expect(l).toBeCloseTo(refM[i]!, 4));
    expect(oursM[5]!).toBeLessThan(0.9 * oursM[0]!);
  });

  it('fits y = 2x + 1 to 1e-3 (linear network), and a seeded run with dropout repeats exactly, leaving no tensors behind', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const tensorsBefore = tf.memory().numTensors;
    const x = Array.from({ length: 64 }, (_, i) => [i / 32 - 1]);
    const y = x.map(([v]) => 2 * v! + 1);
    const line = buildMlp({ type: 'mlp', hidden_layers: [] }, 1, 1);
    const history = await trainMlp(line, x, y, { optimizer: 'sgd', learning_rate: 0.1, loss: 'mse', epochs: 200, batch_size: 16, seed: 1 });
    const finalLoss = history.at(-1)!.loss;
    expect(finalLoss).toBeLessThan(1e-6);
    const [w, b] = line.getWeights().map((t) => t.dataSync()[0]!);
    expect(Math.abs(w! - 2)).toBeLessThan(1e-3);
    expect(Math.abs(b! - 1)).toBeLessThan(1e-3);
    line.dispose();

    const xr = rows(200, 3, 2);
    const yr = xr.map((r) => r[0]! - r[1]! * r[2]!);
    const spec = { type: 'mlp' as const, hidden_layers: [{ units: 12, activation: 'relu' as const }, { units: 12, activation: 'sigmoid' as const }], dropout: 0.2 };
    const t: TrainingSpec = { optimizer: 'rmsprop', learning_rate: 0.01, loss: 'mae', epochs: 5, batch_size: 32, seed: 9 };
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const net = buildMlp(spec, 3, 4);
      const h = await trainMlp(net, xr, yr, t, { validation: { x: xr.slice(0, 40), y: yr.slice(0, 40) } });
      runs.push({ losses: h.map((r) => [r.loss, r.valLoss]), weights: net.getWeights().map((v) => Array.from(v.dataSync())), pred: predictMlp(net, xr.slice(0, 5)) });
      net.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    // Training holds forward tensors, a flat parameter copy and optimizer slots: all freed by now.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Also after training one model twice, with momentum: each training compiles the model with tfjs's optimizer of
    // the spec (model.json's training config); the earlier one and tfjs's momentum scalar are freed too.
    const twice = buildMlp({ type: 'mlp', hidden_layers: [{ units: 4, activation: 'relu' }] }, 3, 5);
    for (let k = 0; k < 2; k++) await trainMlp(twice, xr, yr, { optimizer: 'sgd', learning_rate: 0.01, loss: 'mse', epochs: 2, batch_size: 64, seed: k }, { momentum: 0.9 });
    twice.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('saves a LayersModel whose reload predicts exactly what the trained network predicted', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const x = rows(120, 5, 3);
    const y = x.map((r) => r[0]! * 2 - r[4]!);
    const net = buildMlp({ type: 'mlp', hidden_layers: [{ units: 10, activation: 'relu' }] }, 5, 2);
    await trainMlp(net, x, y, { optimizer: 'sgd', learning_rate: 0.05, loss: 'mse', epochs: 3, batch_size: 16, seed: 2 }, { momentum: 0.9, schedule: { kind: 'step', every: 1, factor: 0.5 } });
    const dir = mkdtempSync(join(tmpdir(), 'xai-mlp-train-'));
    try {
      await saveMlp(net, dir);
      const loaded = await loadMlp(dir);
      expect(predictMlp(loaded, x)).toEqual(predictMlp(net, x));
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      net.dispose();
    }
  });
});
