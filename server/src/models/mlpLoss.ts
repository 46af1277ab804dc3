/**
 * The MLP's training losses with their gradients written out, so that one training step is a fixed, short list of
 * kernels instead of what tfjs's autodiff records for the same expression (~20 kernels for a mean of squared errors,
 * 4 here; 7 with row weights). As Keras: per-row loss (mean over outputs for mse and mae; categorical cross-entropy
 * over the classes), times the row's class weight, averaged over the batch's rows.
 *
 * Cross-entropy is computed from the logits (log-softmax), as PyTorch's CrossEntropyLoss and TensorFlow's
 * `from_logits=True` do. Keras's categoricalCrossentropy takes the softmax probabilities and clips them to
 * [1e-7, 1 − 1e-7]: the two agree unless a row gives its own class a probability under 1e-7, where Keras caps the
 * row's loss at −ln 1e-7 ≈ 16.1 (and its gradient at 0) and this keeps the exact value and gradient.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The per-row loss: mse and mae (regression, averaged over outputs) or categorical cross-entropy. */
export type RowLoss = 'mse' | 'mae' | 'crossentropy';

/** A batch's loss [] and its gradient with respect to the network's outputs [1, n, k] (logits for cross-entropy). */
export interface LossWithGradient {
  loss: tf.Scalar;
  gradient: tf.Tensor3D;
}

/**
 * Mean per-row loss of outputs [1, n, k] (logits for cross-entropy) against targets [1, n, k] (one-hot for
 * cross-entropy), each row weighted by `rowWeights` [1, n, 1] when given (the mean then divides by n, as Keras does).
 */
export function batchLoss(loss: RowLoss, out: tf.Tensor3D, y: tf.Tensor3D, rowWeights?: tf.Tensor3D): tf.Scalar {
  return lossTerms(loss, out, y, rowWeights, false).loss;
}

/**
 * `batchLoss` and its gradient with respect to `out`:
 * - mse: 2·w·(out − y) / (n·k); mae: w·s(out − y) / (n·k) with s = 1 above 0, else −1 (tfjs's gradient of |x|);
 * - cross-entropy on logits z: w·(softmax(z) − y) / n (the softmax and the loss differentiated together; y one-hot,
 *   each row summing to 1).
 * Shapes: out and y [1, n, k], rowWeights [1, n, 1]; the gradient is [1, n, k].
 */
export function batchLossWithGradient(loss: RowLoss, out: tf.Tensor3D, y: tf.Tensor3D, rowWeights?: tf.Tensor3D): LossWithGradient {
  return lossTerms(loss, out, y, rowWeights, true) as LossWithGradient;
}

function lossTerms(loss: RowLoss, out: tf.Tensor3D, y: tf.Tensor3D, w: tf.Tensor3D | undefined, withGradient: boolean): { loss: tf.Scalar; gradient?: tf.Tensor3D } {
  const [, n, k] = out.shape;
  // Σ over rows and outputs of w · term, divided by the count the mean runs over.
  const weightedMean = (term: tf.Tensor, count: number): tf.Scalar => (w ? tf.div(tf.sum(tf.mul(term, w)), count) : tf.mean(term)) as tf.Scalar;
  // The gradient's per-row factor: the weight over the count, a scalar when every row weighs the same.
  const scale = (count: number, c = 1): tf.Tensor | number => (w ? tf.mul(w, c / count) : c / count);
  if (loss === 'crossentropy') {
    const logp = tf.logSoftmax(out);
    const value = tf.neg(weightedMean(tf.sum(tf.mul(y, logp), -1, true), n)) as tf.Scalar;
    return { loss: value, gradient: withGradient ? tf.mul(tf.sub(tf.exp(logp), y), scale(n)) as tf.Tensor3D : undefined };
  }
  const d = tf.sub(out, y);
  if (loss === 'mse') return { loss: weightedMean(tf.square(d), n * k), gradient: withGradient ? tf.mul(d, scale(n * k, 2)) as tf.Tensor3D : undefined };
  return { loss: weightedMean(tf.abs(d), n * k), gradient: withGradient ? tf.mul(tf.step(d, -1), scale(n * k)) as tf.Tensor3D : undefined };
}
