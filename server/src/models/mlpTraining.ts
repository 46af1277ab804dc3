/**
 * One epoch of minibatch training of a `buildMlp` network: backpropagation written out (Rumelhart et al. 1986) in
 * TensorFlow.js kernels, on a flat copy θ of the network's variables that is written back into them after every
 * epoch, instead of `LayersModel.fit` or tfjs's autodiff. Same loss as Keras (per-row loss × class weight, batch mean,
 * plus the layers' L2 penalties; cross-entropy from the logits, see mlpLoss.ts), same optimizers as tfjs (to the bit,
 * flatOptimizers.ts), so the LayersModel is saved and reloaded as before.
 *
 * Why by hand (wasm backend, 20 → 64 → 64 → 1, batch 256; `npm run bench` shows the kernels per batch):
 * - A matMul with a transposed operand leaves XNNPACK for a naive loop (about 8× slower); tfjs's matMul gradient
 *   uses two per dense layer. Here every product is untransposed, after an explicit transpose.
 * - Under autodiff tfjs splits a fused matMul + bias + ReLU into three kernels; here it stays one (relu, sigmoid and
 *   linear layers; tanh adds its own kernel).
 * - The bias gradient Σ_rows dz is a reduction over the first axis (a transpose and a sum in tfjs). Here it comes out
 *   of the weight gradient's product for free: [xᵀ; 1ᵀ] · dz = [dW; db], which is also the layer's slice of the flat
 *   parameter vector θ, in order.
 * - The loss gradient is written out (mlpLoss.ts), and the batch's losses are read once per epoch, not per batch.
 * - The optimizer updates θ, all parameters at once, instead of each variable (Adam: ~14 kernels per variable), with
 *   tfjs's update rules and its constants made once (flatOptimizers.ts). θ is cut into the layers' weights by one
 *   kernel per step.
 * - On wasm, two kernels of our own (trainingKernels.ts) transpose and cut θ where tfjs's are slow.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { FlatOptimizer } from './flatOptimizers';
import { batchLoss, batchLossWithGradient, type RowLoss } from './mlpLoss';
import { augmentedTranspose, splitFlat, transposeLast2 } from './trainingKernels';

export type { RowLoss } from './mlpLoss';

/** The activations a `buildMlp` dense layer can have; softmax only on the output (its loss takes the logits). */
type DenseActivation = 'relu' | 'linear' | 'sigmoid' | 'tanh' | 'softmax';
const ACTIVATIONS: readonly string[] = ['relu', 'linear', 'sigmoid', 'tanh', 'softmax'];

interface DenseStep { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable; activation: DenseActivation; nIn: number; nOut: number; l2: number }
interface DropoutStep { kind: 'dropout'; rate: number }
type Step = DenseStep | DropoutStep;

/** What the backward pass reads of the forward pass, step by step. */
type Trace =
  | { kind: 'dense'; step: DenseStep; input: tf.Tensor3D; output: tf.Tensor3D; kernel: tf.Tensor3D }
  | { kind: 'dropout'; mask: tf.Tensor3D };

interface DenseLayerInternals {
  kernel?: { read(): tf.Variable };
  bias?: { read(): tf.Variable };
  kernelRegularizer?: { getClassName(): string; getConfig(): Record<string, unknown> };
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/** A product of [1, m, k] and [1, k, p], neither transposed: the BatchMatMul kernel without the op's reshapes. */
function product(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.engine().runKernel(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false }) as tf.Tensor3D;
}

/** The L2 factor λ of a layer's kernel regularizer (0 without one). @throws Error for an L1 term or another regularizer. */
function l2Of(layer: DenseLayerInternals, name: string): number {
  const reg = layer.kernelRegularizer;
  if (!reg) return 0;
  const config = reg.getConfig();
  if (reg.getClassName() !== 'L1L2' || Number(config.l1 ?? 0) !== 0) throw new Error(`mlp training: layer ${name} has a ${reg.getClassName()} regularizer with ${JSON.stringify(config)}; only L2 is trained here`);
  return Number(config.l2 ?? 0);
}

/**
 * Trains the variables of a network made of Dense (with bias) and Dropout layers, as `buildMlp` makes it.
 * Dropout masks are seeded per batch from `nextSeed` (a new mask every batch, repeatable).
 */
export class MlpTrainer {
  private readonly steps: Step[];
  readonly variables: tf.Variable[];
  /** All parameters as one flat vector, per dense layer its kernel [n_in, n_out] row-major, then its bias. */
  private readonly theta: tf.Variable;
  /** λ of each parameter [n_parameters] (0 for biases), when a layer has an L2 penalty; and 2λ, its gradient's factor. */
  private readonly decay?: tf.Tensor1D;
  private readonly decayTwice?: tf.Tensor1D;
  /**
   * Per dense layer, its kernel [1, n_in, n_out] and bias [n_out] cut from θ after each step: what the next forward
   * pass reads. The LayersModel's variables are rewritten from them once per epoch (`syncVariables`).
   */
  private weights: { kernel: tf.Tensor3D; bias: tf.Tensor1D }[] = [];
  /** The shapes θ is cut into: per dense layer [1, n_in, n_out], then [n_out]. */
  private readonly weightShapes: number[][];
  private lastTurn = Date.now();

  /**
   * @throws Error for a layer other than Dense-with-bias and Dropout, an activation outside relu, linear, sigmoid,
   *   tanh, softmax (softmax only on the output and only with the cross-entropy loss, which needs it), or a kernel
   *   regularizer other than L2.
   */
  constructor(model: tfl.LayersModel, private readonly loss: RowLoss) {
    this.steps = model.layers.map((layer): Step => {
      const l = layer as unknown as DenseLayerInternals;
      const name = l.getClassName();
      if (name === 'Dropout') return { kind: 'dropout', rate: Number(l.getConfig().rate) };
      const activation = String(l.getConfig().activation);
      if (name !== 'Dense' || !l.kernel || !l.bias) throw new Error(`mlp training: layer ${layer.name} is a ${name}; only Dense (with bias) and Dropout layers are trained here`);
      if (!ACTIVATIONS.includes(activation)) throw new Error(`mlp training: layer ${layer.name} has activation ${activation}; expected one of ${ACTIVATIONS.join(', ')}`);
      if (activation === 'softmax' && loss !== 'crossentropy') throw new Error(`mlp training: softmax output needs the cross-entropy loss, not ${loss}`);
      const kernel = l.kernel.read();
      const [nIn, nOut] = kernel.shape as [number, number];
      return { kind: 'dense', kernel, bias: l.bias.read(), activation: activation as DenseActivation, nIn, nOut, l2: l2Of(l, layer.name) };
    });
    const dense = this.steps.filter((s): s is DenseStep => s.kind === 'dense');
    // The forward pass stops at the logits: only the output may be softmax, and cross-entropy needs it to be.
    if (dense.slice(0, -1).some((s) => s.activation === 'softmax')) throw new Error('mlp training: softmax is only trained on the output layer');
    if (loss === 'crossentropy' && dense.at(-1)?.activation !== 'softmax') throw new Error('mlp training: the cross-entropy loss needs a softmax output layer');
    this.variables = dense.flatMap((s) => [s.kernel, s.bias]);
    this.theta = tf.tidy(() => tf.variable(tf.concat(this.variables.map((v) => tf.reshape(v, [-1]))), false));
    this.weightShapes = dense.flatMap((s) => [[1, s.nIn, s.nOut], [s.nOut]]);
    this.cutWeights();
    if (dense.some((s) => s.l2 > 0)) {
      const lambdas = dense.flatMap((s) => [...new Array<number>(s.nIn * s.nOut).fill(s.l2), ...new Array<number>(s.nOut).fill(0)]);
      this.decay = tf.tensor1d(lambdas);
      this.decayTwice = tf.tensor1d(lambdas.map((l) => 2 * l));
    }
  }

  /** Frees the flat parameter copy and the trainer's constants (the optimizer's slots for θ stay with the optimizer). */
  dispose(): void {
    this.theta.dispose();
    this.weights.forEach((w) => tf.dispose([w.kernel, w.bias]));
    this.decay?.dispose();
    this.decayTwice?.dispose();
  }

  /** Cuts θ into the dense layers' kernels and biases (one kernel call), replacing the previous cut. */
  private cutWeights(): void {
    const pieces = tf.tidy(() => splitFlat(this.theta as tf.Tensor as tf.Tensor1D, this.weightShapes).map((t) => tf.keep(t)));
    this.weights.forEach((w) => tf.dispose([w.kernel, w.bias]));
    this.weights = Array.from({ length: pieces.length / 2 }, (_, i) => ({ kernel: pieces[2 * i] as tf.Tensor3D, bias: pieces[2 * i + 1] as tf.Tensor1D }));
  }

  /** Rewrites the LayersModel's variables from θ: after an epoch, before anyone reads, saves or predicts with them. */
  private syncVariables(): void {
    tf.tidy(() => this.weights.forEach((w, i) => {
      this.variables[2 * i]!.assign(tf.reshape(w.kernel, this.variables[2 * i]!.shape));
      this.variables[2 * i + 1]!.assign(w.bias);
    }));
  }

  /**
   * Outputs [1, n, k] of x [1, n, n_features] (logits for a softmax output), and what the backward pass needs.
   * Each dense layer is one fused kernel (matMul + bias + relu or sigmoid); dropout only when `seed` is given,
   * drawn as tf.dropout draws it (Srivastava et al. 2014: keep with probability 1 − rate, scale by 1 / (1 − rate)).
   */
  private forward(x: tf.Tensor3D, seed?: () => number): { out: tf.Tensor3D; traces: Trace[] } {
    const traces: Trace[] = [];
    let h = x;
    let dense = 0;
    for (const s of this.steps) {
      if (s.kind === 'dropout') {
        if (!seed || s.rate <= 0) continue;
        const keep = 1 - s.rate;
        const mask = tf.div(tf.floor(tf.add(tf.randomUniform(h.shape, 0, 1, 'float32', seed()), keep)), keep) as tf.Tensor3D;
        h = tf.mul(h, mask);
        traces.push({ kind: 'dropout', mask });
        continue;
      }
      const { kernel, bias } = this.weights[dense++]!;
      const fused = s.activation === 'relu' || s.activation === 'sigmoid' ? s.activation : 'linear';
      // The kernel, not tf.fused.matMul: under a gradient tape the op splits into matMul, add and the activation.
      const z = tf.engine().runKernel(tf._FusedMatMul, { a: h, b: kernel, bias }, { transposeA: false, transposeB: false, activation: fused }) as tf.Tensor3D;
      const out = s.activation === 'tanh' ? tf.tanh(z) : z;
      traces.push({ kind: 'dense', step: s, input: h, output: out, kernel });
      h = out;
    }
    return { out: h, traces };
  }

  /**
   * Gradients of the loss per dense layer, [1, n_in + 1, n_out] = [dW; db], in layer order, from the loss gradient
   * with respect to the outputs.
   * Per layer: dz = dh ⊙ f′(out), [dW; db] = [inᵀ; 1ᵀ] · dz, dh_in = dz · Wᵀ (not for the layer whose input is the batch).
   */
  private backward(traces: Trace[], outGradient: tf.Tensor3D): tf.Tensor3D[] {
    const grads: tf.Tensor3D[] = [];
    let dh = outGradient;
    for (let i = traces.length - 1; i >= 0; i--) {
      const t = traces[i]!;
      if (t.kind === 'dropout') { dh = tf.mul(dh, t.mask); continue; }
      const o = t.output;
      const dz: tf.Tensor3D = t.step.activation === 'relu' ? tf.mul(dh, tf.step(o))
        : t.step.activation === 'sigmoid' ? tf.mul(dh, tf.mul(o, tf.sub(1, o)))
          : t.step.activation === 'tanh' ? tf.mul(dh, tf.sub(1, tf.square(o)))
            : dh;
      grads.unshift(product(augmentedTranspose(t.input), dz));
      if (i > 0) dh = product(dz, transposeLast2(t.kernel));
    }
    return grads;
  }

  /** One optimizer step on θ from the layers' gradients (plus 2λ·W), then θ cut into the next step's weights. */
  private update(optimizer: FlatOptimizer, grads: tf.Tensor3D[]): void {
    const flat = tf.concat(grads.map((g) => tf.reshape(g, [-1]))) as tf.Tensor1D;
    optimizer.step(this.theta, this.decay ? tf.add(flat, tf.mul(this.theta, this.decayTwice!)) : flat);
    this.cutWeights();
  }

  /**
   * One pass over the rows in the given (already shuffled) order, in batches of `batchSize`, one optimizer step each.
   * x [n · n_features] and y [n · k] are row-major float32; `rowWeights` [n] are class weights per row.
   * @returns `loss`, the epoch's training loss: batch losses (with L2 penalties) averaged with batch sizes as weights,
   *   as `fit` reports it; each is taken before its step, so `parametersFinite` says whether the weights are still
   *   finite after the last one.
   */
  async epoch(x: Float32Array, y: Float32Array, rowWeights: Float32Array | undefined, n: number, batchSize: number, optimizer: FlatOptimizer, nextSeed: () => number): Promise<{ loss: number; parametersFinite: boolean }> {
    const nFeatures = x.length / n;
    const k = y.length / n;
    const losses: tf.Scalar[] = [];
    const sizes: number[] = [];
    try {
      for (let start = 0; start < n; start += batchSize) {
        const m = Math.min(n, start + batchSize) - start;
        losses.push(tf.tidy(() => {
          const xb = tf.tensor3d(x.subarray(start * nFeatures, (start + m) * nFeatures), [1, m, nFeatures]);
          const yb = tf.tensor3d(y.subarray(start * k, (start + m) * k), [1, m, k]);
          const wb = rowWeights ? tf.tensor3d(rowWeights.subarray(start, start + m), [1, m, 1]) : undefined;
          const { out, traces } = this.forward(xb, nextSeed);
          const { loss, gradient } = batchLossWithGradient(this.loss, out, yb, wb);
          // Keras adds the penalties λ·Σw² at the weights the gradient was taken at: before the step.
          const total = this.decay ? tf.add(loss, tf.sum(tf.mul(tf.square(this.theta), this.decay))) : loss;
          this.update(optimizer, this.backward(traces, gradient));
          return total as tf.Scalar;
        }));
        sizes.push(m);
        // A turn of the event loop every 50 ms (as fit's yieldEvery did): a long epoch keeps the worker's heartbeat
        // timer and IPC alive.
        if (Date.now() - this.lastTurn >= 50) {
          await new Promise((resolve) => setImmediate(resolve));
          this.lastTurn = Date.now();
        }
      }
      this.syncVariables();
      // One read per epoch: the batch losses, then 1 when every parameter is finite.
      const values = tf.tidy(() => tf.concat([tf.stack(losses), tf.reshape(tf.cast(tf.all(tf.isFinite(this.theta)), 'float32'), [1])]).dataSync());
      return { loss: sizes.reduce((sum, size, i) => sum + size * values[i]!, 0) / n, parametersFinite: values[sizes.length] === 1 };
    } finally {
      tf.dispose(losses);
    }
  }

  /** Mean per-row loss (no dropout, no weights, no penalty: Keras's validation loss) of x [n, f] against y [n, k]. */
  evaluate(x: tf.Tensor2D, y: tf.Tensor2D): number {
    return tf.tidy(() => {
      const { out } = this.forward(tf.reshape(x, [1, ...x.shape]) as tf.Tensor3D);
      return batchLoss(this.loss, out, tf.reshape(y, [1, ...y.shape]) as tf.Tensor3D).dataSync()[0]!;
    });
  }
}
