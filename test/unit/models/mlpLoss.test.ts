import * as tf from '@tensorflow/tfjs-core';
// tfjs's gradients (the reference) register with tfjs-layers or this import; the code under test needs none.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../server/src/data/random';
import { batchLoss, batchLossWithGradient, type RowLoss } from '../../../server/src/models/mlpLoss';
import { selectBackend } from '../../../server/src/worker/backend';

/** Keras's loss written plainly (per-row loss, × weight, mean over rows), for tfjs's autodiff to differentiate. */
function kerasLoss(loss: RowLoss, out: tf.Tensor3D, y: tf.Tensor3D, w?: tf.Tensor3D): tf.Scalar {
  const rows = loss === 'crossentropy'
    ? tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(out)), -1))
    : tf.mean(loss === 'mse' ? tf.squaredDifference(out, y) : tf.abs(tf.sub(out, y)), -1);
  return tf.mean(w ? tf.mul(rows, tf.reshape(w, rows.shape)) : rows) as tf.Scalar;
}

function batch(loss: RowLoss, n: number, k: number, seed: number): { out: tf.Tensor3D; y: tf.Tensor3D; w: tf.Tensor3D } {
  const r = seededRandom(seed);
  const out = tf.tensor3d(Array.from({ length: n * k }, () => 3 * (2 * r() - 1)), [1, n, k]);
  const y = loss === 'crossentropy'
    ? tf.tensor3d(Array.from({ length: n * k }, (_, i) => (i % k === (Math.floor(i / k) * 7) % k ? 1 : 0)), [1, n, k])
    : tf.tensor3d(Array.from({ length: n * k }, () => 2 * r() - 1), [1, n, k]);
  const w = tf.tensor3d(Array.from({ length: n }, () => 0.5 + 2 * r()), [1, n, 1]);
  return { out, y, w };
}

describe.each(['wasm', 'cpu'] as const)('MLP losses and their written-out gradients on the %s backend', (backend) => {
  it.each([['mse', 1], ['mse', 3], ['mae', 2], ['crossentropy', 4]] as [RowLoss, number][])('%s with %s outputs: value and gradient equal autodiff of Keras\'s loss, with and without row weights', async (loss, k) => {
    expect(await selectBackend(backend)).toBe(backend);
    const { out, y, w } = batch(loss, 37, k, 3);
    for (const weights of [undefined, w]) {
      const expected = tf.valueAndGrad((o: tf.Tensor) => kerasLoss(loss, o as tf.Tensor3D, y, weights))(out);
      const got = batchLossWithGradient(loss, out, y, weights);
      expect(got.loss.dataSync()[0]!).toBeCloseTo(expected.value.dataSync()[0]!, 5);
      expect(batchLoss(loss, out, y, weights).dataSync()[0]!).toBeCloseTo(expected.value.dataSync()[0]!, 5);
      const g = got.gradient.dataSync();
      expected.grad.dataSync().forEach((v, i) => expect(g[i]!).toBeCloseTo(v, 6));
      tf.dispose([expected.value, expected.grad, got.loss, got.gradient]);
    }
    tf.dispose([out, y, w]);
  });
});
