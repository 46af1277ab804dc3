/**
 * One epoch of minibatch training of a `buildMlp` network, written with TensorFlow.js core ops on the network's own
 * variables instead of `LayersModel.fit`. Same loss (Keras semantics: per-row loss × class weight, batch mean, plus
 * the layers' L2 penalties), same optimizer object and update rule, so the LayersModel is saved and reloaded as before.
 *
 * Why not `fit`: on the wasm backend a matMul with a transposed operand leaves XNNPACK for a naive loop (about 8×
 * slower at 256×64 · 64×64), and tfjs's matMul gradient uses two of them per dense layer; that was ~60 % of an
 * epoch. Our dense op (fused matMul + bias + activation) carries its own gradient, which transposes explicitly and
 * multiplies untransposed on wasm. `fit` also syncs the loss after every batch; here the batch losses stay on the
 * backend until the epoch ends (one read per epoch).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The activations a `buildMlp` dense layer can have; softmax only on the output (its loss takes the logits). */
type DenseActivation = 'relu' | 'linear' | 'sigmoid' | 'tanh' | 'softmax';
/** The per-row loss: mse and mae (regression, averaged over outputs) or categorical cross-entropy. */
export type RowLoss = 'mse' | 'mae' | 'crossentropy';

type DenseOp = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
interface DenseStep { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable; activation: DenseActivation; penalty?: (w: tf.Tensor) => tf.Scalar; op: DenseOp }
interface DropoutStep { kind: 'dropout'; rate: number }
type Step = DenseStep | DropoutStep;

interface DenseLayerInternals {
  kernel?: { read(): tf.Variable };
  bias?: { read(): tf.Variable };
  kernelRegularizer?: { apply(x: tf.Tensor): tf.Scalar };
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

const ACTIVATIONS: readonly string[] = ['relu', 'linear', 'sigmoid', 'tanh', 'softmax'];

/**
 * A dense layer x·W + b followed by its activation, with a hand-written gradient (Rumelhart et al. 1986):
 * dz = dy ⊙ f′(out), dW = xᵀ·dz, db = Σ_rows dz, dx = dz·Wᵀ (skipped, zeros, for the first layer whose input is data).
 * `explicitTranspose`: transpose into a new tensor and multiply untransposed (wasm's fast path) instead of passing
 * transpose flags to matMul. `hold` keeps a tensor the gradient reads alive past the forward pass (tfjs's own `save`
 * copies each one, an Identity kernel per tensor).
 */
function denseOp(activation: DenseActivation, inputGradient: boolean, explicitTranspose: boolean, hold: (t: tf.Tensor) => void): DenseOp {
  const fused = activation === 'relu' || activation === 'sigmoid' ? activation : 'linear';
  const mm = (a: tf.Tensor2D, b: tf.Tensor2D, ta: boolean, tb: boolean): tf.Tensor2D => (explicitTranspose
    ? tf.matMul(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b)
    : tf.matMul(a, b, ta, tb));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ws, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const z = tf.fused.matMul({ a: xs, b: ws, bias: b, activation: fused });
    const o = activation === 'tanh' ? tf.tanh(z) : z;
    // The input is the batch or the previous step's held output; the kernel is a variable: only the output needs holding.
    hold(o);
    return {
      value: o,
      gradFunc: (dy: tf.Tensor) => {
        const dz = (activation === 'relu' ? tf.mul(dy, tf.step(o))
          : activation === 'sigmoid' ? tf.mul(dy, tf.mul(o, tf.sub(1, o)))
            : activation === 'tanh' ? tf.mul(dy, tf.sub(1, tf.square(o)))
              : dy) as tf.Tensor2D;
        return [inputGradient ? mm(dz, ws, false, true) : tf.zerosLike(xs), mm(xs, dz, true, false), tf.sum(dz, 0)];
      },
    };
  });
  return op as unknown as DenseOp;
}

/**
 * All trainable variables as one flat float32 variable θ, so that the optimizer's update (Adam: ~14 kernels per
 * variable) runs once per step instead of once per variable. Element-wise optimizers (SGD, momentum, RMSprop, Adam)
 * give the same values as updating each variable; the variables are rewritten from θ after each update, so the
 * LayersModel that is saved always holds the current weights.
 */
class FlatParameters {
  private readonly theta: tf.Variable;
  private readonly offsets: number[] = [];

  constructor(private readonly variables: readonly tf.Variable[]) {
    let offset = 0;
    for (const v of variables) { this.offsets.push(offset); offset += v.size; }
    this.theta = tf.tidy(() => tf.variable(tf.concat(variables.map((v) => tf.reshape(v, [-1]))), false));
  }

  /** One optimizer step from the variables' gradients (disposed here). */
  apply(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
    tf.tidy(() => {
      // Biases are 1-D already: no reshape kernel for them either way.
      const flat = tf.concat(this.variables.map((v) => (v.rank === 1 ? grads[v.name]! : tf.reshape(grads[v.name]!, [-1]))));
      optimizer.applyGradients({ [this.theta.name]: flat });
      this.variables.forEach((v, i) => {
        const part = tf.slice(this.theta, this.offsets[i]!, v.size);
        v.assign(v.rank === 1 ? part : tf.reshape(part, v.shape));
      });
    });
    tf.dispose(grads);
  }

  dispose(): void {
    this.theta.dispose();
  }
}

/**
 * Trains the variables of a network made of Dense (with bias) and Dropout layers, as `buildMlp` makes it.
 * Dropout masks are seeded per batch from `nextSeed` (a new mask every batch, repeatable).
 */
export class MlpTrainer {
  private readonly steps: Step[];
  readonly variables: tf.Variable[];
  /** Forward-pass tensors kept for the gradient; disposed after each step. */
  private held: tf.Tensor[] = [];
  private readonly hold = (t: tf.Tensor): void => { this.held.push(tf.keep(t)); };
  private readonly flat: FlatParameters;
  private lastTurn = Date.now();

  /**
   * @throws Error for a layer other than Dense-with-bias and Dropout, or an activation outside relu, linear,
   *   sigmoid, tanh, softmax (softmax only with the cross-entropy loss).
   */
  constructor(model: tfl.LayersModel, private readonly loss: RowLoss) {
    const explicitTranspose = tf.getBackend() === 'wasm';
    let first = true;
    this.steps = model.layers.map((layer): Step => {
      const l = layer as unknown as DenseLayerInternals;
      const name = l.getClassName();
      if (name === 'Dropout') return { kind: 'dropout', rate: Number(l.getConfig().rate) };
      const activation = String(l.getConfig().activation);
      if (name !== 'Dense' || !l.kernel || !l.bias) throw new Error(`mlp training: layer ${layer.name} is a ${name}; only Dense (with bias) and Dropout layers are trained here`);
      if (!ACTIVATIONS.includes(activation)) throw new Error(`mlp training: layer ${layer.name} has activation ${activation}; expected one of ${ACTIVATIONS.join(', ')}`);
      if (activation === 'softmax' && loss !== 'crossentropy') throw new Error(`mlp training: softmax output needs the cross-entropy loss, not ${loss}`);
      const reg = l.kernelRegularizer;
      const step: DenseStep = {
        kind: 'dense', kernel: l.kernel.read(), bias: l.bias.read(), activation: activation as DenseActivation,
        penalty: reg ? (w) => reg.apply(w) : undefined, op: denseOp(activation as DenseActivation, !first, explicitTranspose, this.hold),
      };
      first = false;
      return step;
    });
    this.variables = this.steps.flatMap((s) => (s.kind === 'dense' ? [s.kernel, s.bias] : []));
    this.flat = new FlatParameters(this.variables);
  }

  /** Frees the flat parameter copy (the optimizer's slots for it stay with the optimizer). */
  dispose(): void {
    this.flat.dispose();
  }

  /** Outputs [n, k] before a softmax output's softmax (its logits); dropout only when `seed` is given. */
  private forward(x: tf.Tensor2D, seed?: () => number): tf.Tensor2D {
    let h = x;
    for (const s of this.steps) {
      if (s.kind === 'dense') h = s.op(h, s.kernel as tf.Tensor2D, s.bias as tf.Tensor1D);
      else if (seed && s.rate > 0) { h = tf.dropout(h, s.rate, undefined, seed()) as tf.Tensor2D; this.hold(h); }
    }
    return h;
  }

  /** Per-row loss [n] of outputs (logits for cross-entropy) against targets [n, k] (one-hot for cross-entropy). */
  private rowLoss(out: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
    if (this.loss === 'crossentropy') return tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(out)), -1)) as tf.Tensor1D;
    return tf.mean(this.loss === 'mse' ? tf.squaredDifference(out, y) : tf.abs(tf.sub(out, y)), -1) as tf.Tensor1D;
  }

  /**
   * One pass over the rows in the given (already shuffled) order, in batches of `batchSize`, one optimizer step each.
   * x [n · n_features] and y [n · k] are row-major float32; `rowWeights` [n] are class weights per row.
   * @returns the epoch's training loss: batch losses (with L2 penalties) averaged with batch sizes as weights, as `fit` reports it.
   */
  async epoch(x: Float32Array, y: Float32Array, rowWeights: Float32Array | undefined, n: number, batchSize: number, optimizer: tf.Optimizer, nextSeed: () => number): Promise<number> {
    const nFeatures = x.length / n;
    const k = y.length / n;
    const losses: tf.Scalar[] = [];
    const sizes: number[] = [];
    try {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const xb = tf.tensor2d(x.subarray(start * nFeatures, end * nFeatures), [end - start, nFeatures]);
        const yb = tf.tensor2d(y.subarray(start * k, end * k), [end - start, k]);
        const wb = rowWeights ? tf.tensor1d(rowWeights.subarray(start, end)) : undefined;
        try {
          const { value, grads } = tf.variableGrads(() => {
            const rows = this.rowLoss(this.forward(xb, nextSeed), yb);
            let total = tf.mean(wb ? tf.mul(rows, wb) : rows) as tf.Scalar;
            for (const s of this.steps) if (s.kind === 'dense' && s.penalty) total = tf.add(total, s.penalty(s.kernel));
            return total;
          }, this.variables);
          this.release();
          this.flat.apply(optimizer, grads);
          losses.push(value);
          sizes.push(end - start);
        } finally {
          this.release();
          tf.dispose([xb, yb, ...(wb ? [wb] : [])]);
        }
        // A turn of the event loop every 50 ms (as fit's yieldEvery did): a long epoch keeps the worker's heartbeat
        // timer and IPC alive.
        if (Date.now() - this.lastTurn >= 50) {
          await new Promise((resolve) => setImmediate(resolve));
          this.lastTurn = Date.now();
        }
      }
      const values = tf.tidy(() => tf.stack(losses).dataSync());
      return sizes.reduce((sum, size, i) => sum + size * values[i]!, 0) / n;
    } finally {
      tf.dispose(losses);
    }
  }

  /** Mean per-row loss (no dropout, no weights, no penalty: Keras's validation loss) of x [n, f] against y [n, k]. */
  evaluate(x: tf.Tensor2D, y: tf.Tensor2D): number {
    try {
      return tf.tidy(() => tf.mean(this.rowLoss(this.forward(x), y)).dataSync()[0]!);
    } finally {
      this.release();
    }
  }

  private release(): void {
    tf.dispose(this.held);
    this.held = [];
  }
}
