import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { transposeLast2 } from '../../../server/src/models/transposeKernel';
import { selectBackend } from '../../../server/src/worker/backend';

describe.each(['wasm', 'cpu'] as const)('transposeLast2 on the %s backend', (backend) => {
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

  it.runIf(backend === 'wasm')('says what it expected when given something else than float32 [1, m, k]', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2], 'int32');
    expect(() => transposeLast2(x)).toThrow(/expected a float32 \[1, m, k\] tensor, got int32 \[1, 2, 2\]/);
    x.dispose();
  });
});
