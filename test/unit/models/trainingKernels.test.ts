import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { augmentedTranspose, splitFlat, transposeLast2 } from '../../../server/src/models/trainingKernels';
import { selectBackend } from '../../../server/src/worker/backend';

describe.each(['wasm', 'cpu'] as const)('the MLP trainer\'s kernels on the %s backend', (backend) => {
  it('equals tf.transpose for a batch of activations, a square matrix, a vector and a column, leaving no tensor behind', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const before = tf.memory().numTensors;
    for (const [m, k] of [[256, 64], [64, 64], [3, 5], [1, 7], [9, 1]] as const) {
      const x = tf.tensor3d(Array.from({ length: m * k }, (_, i) => i * 0.5 - 3), [1, m, k]);
      const got = transposeLast2(x);
      const want = tf.transpose(x, [0, 2, 1]);
      expect(got.shape).toEqual([1, k, m]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([x, got, want]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('augmentedTranspose is the transpose with a row of ones under it: [hᵀ; 1ᵀ]', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const h = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    const got = augmentedTranspose(h);
    expect(got.shape).toEqual([1, 3, 3]);
    expect(Array.from(got.dataSync())).toEqual([1, 3, 5, 2, 4, 6, 1, 1, 1]);
    tf.dispose([h, got]);
  });

  it('splitFlat cuts a vector into consecutive pieces of the given shapes, and refuses sizes that do not add up', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const theta = tf.tensor1d(Array.from({ length: 11 }, (_, i) => i + 0.25));
    const [w, b, c] = splitFlat(theta, [[1, 2, 3], [3], [2]]);
    expect([w!.shape, b!.shape, c!.shape]).toEqual([[1, 2, 3], [3], [2]]);
    expect([Array.from(w!.dataSync()), Array.from(b!.dataSync()), Array.from(c!.dataSync())]).toEqual([[0.25, 1.25, 2.25, 3.25, 4.25, 5.25], [6.25, 7.25, 8.25], [9.25, 10.25]]);
    expect(() => splitFlat(theta, [[2, 5]])).toThrow(/the pieces hold 10 values, the vector 11/);
    tf.dispose([theta, w!, b!, c!]);
  });
});

describe('the transpose kernel on wasm', () => {
  it('says what it expected when given something else than float32 [1, m, k]', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2], 'int32');
    expect(() => transposeLast2(x)).toThrow(/expected a float32 \[1, m, k\] tensor, got int32 \[1, 2, 2\]/);
    x.dispose();
  });
});
