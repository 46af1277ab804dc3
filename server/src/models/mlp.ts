/**
 * The multilayer perceptron of a spec, through the TensorFlow.js layers API: dense hidden layers with the
 * spec's activations and one linear output unit (regression), trained by minibatch gradient descent.
 *
 * Repeatability: kernels use seeded Glorot-uniform initializers (biases start at zero), the rows are shuffled
 * every epoch by our seeded generator (tfjs's own shuffle draws from Math.random) and dropout masks come from a
 * second seeded stream, so a run repeats exactly on the same backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EpochRecord } from '../../../protocol/protocol';
import { permutation, seededRandom } from '../data/random';
import type { ModelSpec, TrainingSpec } from '../spec/types';
import { flatOptimizer } from './flatOptimizers';
import { MlpTrainer, type RowLoss } from './mlpTraining';
import { fileLoadHandler, fileSaveHandler } from './modelFiles';

/** Options beyond the spec's layers: classification head, dropout and L2 weight decay. */
export interface MlpBuildOptions {
  /** Classification with this many classes (>= 2): a softmax output unit per class (binary included). */
  nClasses?: number;
  /** Dropout rate in [0, 1) after each hidden layer (Srivastava et al. 2014); seeded; off at prediction. */
  dropout?: number;
  /** L2 penalty λ on every kernel: λ·Σw² is added to the loss (weight decay). */
  l2?: number;
}

/**
 * Builds (uncompiled) the MLP for `nFeatures` inputs: Dense(units, activation) per hidden layer (each followed by
 * Dropout when `options.dropout` > 0), then Dense(1, linear) for regression or Dense(n_classes, softmax) for
 * classification. Layer i's kernel is initialized with Glorot uniform seeded by `seed + i`.
 * Dropout and L2 default to the spec's `dropout` and `l2`.
 * @throws Error for a non-mlp spec, a dropout rate outside [0, 1), a negative L2 or fewer than 2 classes.
 */
export function buildMlp(spec: ModelSpec, nFeatures: number, seed: number, options: MlpBuildOptions = {}): tfl.Sequential {
  if (spec.type !== 'mlp') throw new Error(`buildMlp: the model is a ${spec.type}, not an mlp`);
  const { nClasses, dropout = spec.dropout ?? 0, l2 = spec.l2 ?? 0 } = options;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`mlp: dropout must be in [0, 1), not ${dropout}`);
  if (!(l2 >= 0)) throw new Error(`mlp: l2 must be >= 0, not ${l2}`);
  if (nClasses !== undefined && !(Number.isInteger(nClasses) && nClasses >= 2)) throw new Error(`mlp: classification needs at least 2 classes, not ${nClasses}`);
  const model = tfl.sequential({ name: 'mlp' });
  const output = nClasses ? { units: nClasses, activation: 'softmax' as const } : { units: 1, activation: spec.output_activation ?? 'linear' };
  const layers = [...spec.hidden_layers, output];
  layers.forEach((layer, i) => {
    const hidden = i < spec.hidden_layers.length;
    model.add(tfl.layers.dense({
      units: layer.units,
      activation: layer.activation,
      inputShape: i === 0 ? [nFeatures] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }),
      biasInitializer: 'zeros',
      kernelRegularizer: l2 > 0 ? tfl.regularizers.l2({ l2 }) : undefined,
      name: hidden ? `hidden_${i + 1}` : 'output',
    }));
    if (hidden && dropout > 0) model.add(tfl.layers.dropout({ rate: dropout, seed: seed + 1000 + i, name: `dropout_${i + 1}` }));
  });
  return model;
}

/** tfjs's optimizer of the spec's settings, for the model's training config (what model.json records). */
function optimizerOf(training: TrainingSpec, momentum: number): tf.Optimizer {
  switch (training.optimizer) {
    case 'adam': return tf.train.adam(training.learning_rate);
    // SGD with (heavy-ball) momentum when momentum > 0 (Polyak 1964; Sutskever et al. 2013).
    case 'sgd': return momentum > 0 ? withCompleteDispose(tf.train.momentum(training.learning_rate, momentum)) : tf.train.sgd(training.learning_rate);
    case 'rmsprop': return tf.train.rmsprop(training.learning_rate);
  }
}

/** tfjs 4.22's MomentumOptimizer.dispose forgets SGD's learning-rate scalar `c`: one tensor leaked per model. */
function withCompleteDispose(optimizer: tf.MomentumOptimizer): tf.MomentumOptimizer {
  const dispose = optimizer.dispose.bind(optimizer);
  optimizer.dispose = () => {
    dispose();
    (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
  };
  return optimizer;
}

/** A learning-rate schedule: the rate of epoch e (1-based) from the initial rate r₀. */
export type LearningRateSchedule =
  | { kind: 'constant' }
  /** r₀ · factor^floor((e − 1) / every) */
  | { kind: 'step'; every: number; factor: number }
  /** r₀ · rate^(e − 1) */
  | { kind: 'exponential'; rate: number };

/** The learning rate of epoch `epoch` (1-based) under a schedule. */
export function scheduledRate(r0: number, schedule: LearningRateSchedule | undefined, epoch: number): number {
  if (!schedule || schedule.kind === 'constant') return r0;
  if (schedule.kind === 'step') return r0 * schedule.factor ** Math.floor((epoch - 1) / schedule.every);
  return r0 * schedule.rate ** (epoch - 1);
}

/** Number of trainable parameters (weights and biases). */
export function parameterCount(model: tfl.LayersModel): number {
  return model.countParams();
}

export interface TrainOptions {
  /** Called after each epoch with its mean training loss and validation loss (model scale). */
  onEpoch?(record: EpochRecord, epochs: number): void | Promise<void>;
  /** Validation data in model scale: x [n_val, n_features], y [n_val] (class indices for classification). */
  validation?: { x: number[][]; y: number[] };
  /** Classification: y holds class indices 0 … nClasses−1, trained with categorical cross-entropy (softmax head). */
  nClasses?: number;
  /** Per-class loss weights [n_classes] (e.g. `balancedClassWeights`). */
  classWeight?: number[];
  /** Momentum of SGD (optimizer sgd only); default 0. */
  momentum?: number;
  schedule?: LearningRateSchedule;
  /**
   * Stop when the validation loss has not improved by more than `minDelta` for `patience` epochs, and (by default)
   * restore the weights of the best epoch (Prechelt 1998, "Early stopping — but when?"). Needs `validation`.
   */
  earlyStopping?: { patience: number; minDelta?: number; restoreBest?: boolean };
}

/** Class weights n / (k · n_c) (scikit-learn's "balanced"): rare classes weigh more. y: class indices [n]. */
export function balancedClassWeights(y: readonly number[], nClasses: number): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  y.forEach((c) => { counts[c] = counts[c]! + 1; });
  return counts.map((c) => (c > 0 ? y.length / (nClasses * c) : 0));
}

function targetTensor(y: readonly number[], nClasses: number | undefined): tf.Tensor2D {
  if (!nClasses) return tf.tensor2d(y.map((v) => [v]), [y.length, 1]);
  y.forEach((c, i) => { if (!(Number.isInteger(c) && c >= 0 && c < nClasses)) throw new Error(`mlp: row ${i} has class ${c}, not in 0 … ${nClasses - 1}`); });
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y as number[], 'int32'), nClasses), 'float32') as tf.Tensor2D);
}

/** The error that ends a diverged training: what was found at which epoch, and what to change. */
function diverged(epoch: number, what: string, learningRate: number): Error {
  return new Error(`training diverged at epoch ${epoch}: ${what}; lower training.learning_rate (now ${learningRate}) or standardize the features and the target`);
}

/** Row r of `to` [n, width] = row order[r] of `from` [n, width] (element loops: a subarray per row costs more). */
function shuffleRows(from: Float32Array, to: Float32Array, order: readonly number[], width: number): void {
  for (let r = 0; r < order.length; r++) {
    const src = order[r]! * width;
    const dst = r * width;
    for (let j = 0; j < width; j++) to[dst + j] = from[src + j]!;
  }
}

/**
 * Trains the model on x [n_samples, n_features] → y [n_samples] (model scale; class indices for classification)
 * with the spec's optimizer, learning rate, loss (mse or mae; categorical cross-entropy for classification), epochs,
 * batch size and seed, and the options' momentum, schedule, class weights and early stopping. The loss is Keras's
 * (per-row loss × class weight, batch mean, plus L2 penalties) and the model is compiled with it, but the batches
 * run through `MlpTrainer` (see mlpTraining.ts for why not `fit`). Rows are shuffled every epoch by the seeded
 * generator; dropout masks are drawn from a second seeded stream, a new mask per batch.
 * @returns one record per epoch run (fewer than `epochs` when early stopping ended training).
 * @throws Error when training diverges, naming the epoch: a training or validation loss that is not finite, weights
 *   that are not finite after an epoch's last step, or (without validation rows) outputs that are not finite at the end.
 */
export async function trainMlp(model: tfl.LayersModel, x: number[][], y: number[], training: TrainingSpec, options: TrainOptions = {}): Promise<EpochRecord[]> {
  if (x.length === 0) throw new Error('cannot train on no rows');
  const { nClasses, earlyStopping } = options;
  const random = seededRandom(training.seed);
  const dropoutRandom = seededRandom(training.seed + 0x5eed);
  const nextSeed = (): number => Math.floor(dropoutRandom() * 2 ** 31);
  const nFeatures = x[0]!.length;
  const n = x.length;
  if (y.length !== n) throw new Error(`mlp: ${n} rows but ${y.length} targets`);
  if (earlyStopping && !(options.validation && options.validation.x.length)) throw new Error('early stopping needs validation rows');
  const width = nClasses ?? 1;
  const flatX = new Float32Array(n * nFeatures);
  x.forEach((row, i) => {
    if (row.length !== nFeatures) throw new Error(`mlp: row ${i} has ${row.length} values, expected ${nFeatures}`);
    for (let j = 0; j < nFeatures; j++) flatX[i * nFeatures + j] = row[j]!; // faster than set() from an array
  });
  const flatY = new Float32Array(n * width);
  y.forEach((v, i) => {
    if (!nClasses) { flatY[i] = v; return; }
    if (!(Number.isInteger(v) && v >= 0 && v < nClasses)) throw new Error(`mlp: row ${i} has class ${v}, not in 0 … ${nClasses - 1}`);
    flatY[i * width + v] = 1; // one-hot
  });
  const classWeight = options.classWeight;
  const flatW = classWeight ? Float32Array.from(y, (c) => classWeight[c] ?? 1) : undefined;
  const val = options.validation && options.validation.x.length
    ? [tf.tensor2d(options.validation.x, [options.validation.x.length, nFeatures]), targetTensor(options.validation.y, nClasses)] as [tf.Tensor2D, tf.Tensor2D]
    : undefined;
  const optimizer = flatOptimizer(training.optimizer, training.learning_rate, options.momentum ?? 0);
  const rowLoss: RowLoss = nClasses ? 'crossentropy' : training.loss === 'mae' ? 'mae' : 'mse';
  // The model is compiled with a fresh optimizer of the same settings, owned by the model (freed with it): model.json
  // keeps its training config and a later `fit` starts clean. The batches run through MlpTrainer with `optimizer`.
  // A model trained before owns the optimizer of that compile, which compile would drop without freeing.
  const owner = model as unknown as { isOptimizerOwned: boolean; optimizer?: tf.Optimizer };
  if (owner.isOptimizerOwned) owner.optimizer?.dispose();
  model.compile({ optimizer: optimizerOf(training, options.momentum ?? 0), loss: nClasses ? 'categoricalCrossentropy' : rowLoss === 'mae' ? 'meanAbsoluteError' : 'meanSquaredError' });
  owner.isOptimizerOwned = true;
  const trainer = new MlpTrainer(model, rowLoss);
  const xBuffer = new Float32Array(n * nFeatures);
  const yBuffer = new Float32Array(n * width);
  const wBuffer = flatW ? new Float32Array(n) : undefined;
  const history: EpochRecord[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  try {
    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      optimizer.learningRate = scheduledRate(training.learning_rate, options.schedule, epoch);
      const order = permutation(n, random);
      // Rows copied in shuffled order between flat float32 buffers; each batch is a view of them, uploaded as is.
      shuffleRows(flatX, xBuffer, order, nFeatures);
      shuffleRows(flatY, yBuffer, order, width);
      if (wBuffer && flatW) shuffleRows(flatW, wBuffer, order, 1);
      const { loss, parametersFinite } = await trainer.epoch(xBuffer, yBuffer, wBuffer, n, training.batch_size, optimizer, nextSeed);
      if (!Number.isFinite(loss)) throw diverged(epoch, `the loss is ${loss}`, training.learning_rate);
      // Each batch's loss is taken before its step: the epoch's last step can still overflow the weights.
      if (!parametersFinite) throw diverged(epoch, `the weights are no longer finite after its last step (its loss was ${loss.toPrecision(4)})`, training.learning_rate);
      const record: EpochRecord = val ? { epoch, loss, valLoss: trainer.evaluate(val[0], val[1]) } : { epoch, loss };
      if (record.valLoss !== undefined && !Number.isFinite(record.valLoss)) throw diverged(epoch, `the validation loss is ${record.valLoss}`, training.learning_rate);
      history.push(record);
      await options.onEpoch?.(record, training.epochs);
      if (earlyStopping && record.valLoss !== undefined) {
        if (!best || record.valLoss < best.loss - (earlyStopping.minDelta ?? 0)) {
          best?.weights.forEach((w) => w.dispose());
          best = { loss: record.valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) };
        } else if (epoch - best.epoch >= earlyStopping.patience) break;
      }
    }
    // Without validation rows nothing has looked at the outputs: finite weights can still overflow them. A sample of
    // rows tells (an overflow is not a matter of one row), without a forward pass over a large training set.
    const last = history.at(-1);
    if (!val && last) {
      const m = Math.min(n, 1024);
      const trainLoss = tf.tidy(() => trainer.evaluate(tf.tensor2d(flatX.subarray(0, m * nFeatures), [m, nFeatures]), tf.tensor2d(flatY.subarray(0, m * width), [m, width])));
      if (!Number.isFinite(trainLoss)) throw diverged(last.epoch, `the model's outputs on the training rows are no longer finite (the loss is ${trainLoss})`, training.learning_rate);
    }
    if (best && (earlyStopping?.restoreBest ?? true)) model.setWeights(best.weights);
  } finally {
    val?.forEach((t) => t.dispose());
    best?.weights.forEach((w) => w.dispose());
    trainer.dispose();
    optimizer.dispose(); // its moments, kept for the flat parameter vector
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
