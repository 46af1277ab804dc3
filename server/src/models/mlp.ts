/**
 * The multilayer perceptron of a spec, through the TensorFlow.js layers API: dense hidden layers with the
 * spec's activations and one linear output unit (regression), trained by minibatch gradient descent.
 *
 * Repeatability: kernels use seeded Glorot-uniform initializers (biases start at zero) and the rows are shuffled
 * every epoch by our seeded generator (tfjs's own shuffle draws from Math.random), so a run repeats exactly on
 * the same backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EpochRecord } from '../../../protocol/protocol';
import { permutation, seededRandom } from '../data/random';
import type { MlpModelSpec, TrainingSpec } from '../spec/types';
import { fileLoadHandler, fileSaveHandler } from './modelFiles';

/**
 * Builds (uncompiled) the MLP for `nFeatures` inputs: Dense(units, activation) per hidden layer, then Dense(1,
 * linear). Layer i's kernel is initialized with Glorot uniform seeded by `seed + i`.
 */
export function buildMlp(spec: MlpModelSpec, nFeatures: number, seed: number): tfl.Sequential {
  const model = tfl.sequential({ name: 'mlp' });
  const layers = [...spec.hidden_layers, { units: 1, activation: spec.output_activation ?? 'linear' }];
  layers.forEach((layer, i) => {
    model.add(tfl.layers.dense({
      units: layer.units,
      activation: layer.activation,
      inputShape: i === 0 ? [nFeatures] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }),
      biasInitializer: 'zeros',
      name: i < spec.hidden_layers.length ? `hidden_${i + 1}` : 'output',
    }));
  });
  return model;
}

function optimizerOf(training: TrainingSpec): tf.Optimizer {
  switch (training.optimizer) {
    case 'adam': return tf.train.adam(training.learning_rate);
    case 'sgd': return tf.train.sgd(training.learning_rate);
    case 'rmsprop': return tf.train.rmsprop(training.learning_rate);
  }
}

/** Number of trainable parameters (weights and biases). */
export function parameterCount(model: tfl.LayersModel): number {
  return model.countParams();
}

export interface TrainOptions {
  /** Called after each epoch with its mean training loss and validation loss (model scale). */
  onEpoch?(record: EpochRecord, epochs: number): void | Promise<void>;
  /** Validation data in model scale: x [n_val, n_features], y [n_val]. */
  validation?: { x: number[][]; y: number[] };
}

/**
 * Compiles and trains the model on x [n_samples, n_features] → y [n_samples] (model scale) with the spec's
 * optimizer, learning rate, loss (mse or mae), epochs, batch size and seed.
 * @returns one record per epoch.
 * @throws Error when the loss stops being finite (the optimizer diverged), naming the epoch.
 */
export async function trainMlp(model: tfl.LayersModel, x: number[][], y: number[], training: TrainingSpec, options: TrainOptions = {}): Promise<EpochRecord[]> {
  if (x.length === 0) throw new Error('cannot train on no rows');
  model.compile({ optimizer: optimizerOf(training), loss: training.loss === 'mae' ? 'meanAbsoluteError' : 'meanSquaredError' });
  const random = seededRandom(training.seed);
  const nFeatures = x[0]!.length;
  const val = options.validation && options.validation.x.length
    ? [tf.tensor2d(options.validation.x, [options.validation.x.length, nFeatures]), tf.tensor2d(options.validation.y, [options.validation.y.length, 1])] as [tf.Tensor, tf.Tensor]
    : undefined;
  const history: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const order = permutation(x.length, random);
      const xs = tf.tensor2d(order.map((i) => x[i]!), [x.length, nFeatures]);
      const ys = tf.tensor2d(order.map((i) => [y[i]!]), [y.length, 1]);
      try {
        const h = await model.fit(xs, ys, { epochs: 1, batchSize: training.batch_size, shuffle: false, validationData: val, verbose: 0 });
        const loss = Number(h.history.loss?.[0]);
        if (!Number.isFinite(loss)) {
          throw new Error(`training diverged at epoch ${epoch}: the loss is ${loss}; lower training.learning_rate (now ${training.learning_rate}) or standardize the features and the target`);
        }
        const valLoss = h.history.val_loss?.[0];
        const record: EpochRecord = valLoss === undefined ? { epoch, loss } : { epoch, loss, valLoss: Number(valLoss) };
        history.push(record);
        await options.onEpoch?.(record, training.epochs);
      } finally {
        xs.dispose();
        ys.dispose();
      }
    }
  } finally {
    val?.forEach((t) => t.dispose());
  }
  return history;
}

/** Predictions [n_samples] of x [n_samples, n_features] (model scale), in one batched call. */
export function predictMlp(model: tfl.LayersModel, x: readonly (readonly number[])[]): number[] {
  if (x.length === 0) return [];
  const nFeatures = x[0]!.length;
  const flat = new Float32Array(x.length * nFeatures);
  x.forEach((row, i) => row.forEach((v, j) => { flat[i * nFeatures + j] = v; }));
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(flat, [x.length, nFeatures])) as tf.Tensor;
    return Array.from(out.dataSync());
  });
}

/** Saves the model into `dir` in LayersModel format (`model.json` + `weights.bin`). */
export async function saveMlp(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

/** Loads a LayersModel saved by `saveMlp` (or any LayersModel folder). @throws Error naming a missing file. */
export async function loadMlp(dir: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileLoadHandler(dir));
}
