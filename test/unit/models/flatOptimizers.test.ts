import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../server/src/data/random';
import { flatOptimizer, type OptimizerName } from '../../../server/src/models/flatOptimizers';
import { selectBackend } from '../../../server/src/worker/backend';

/** tfjs's own optimizer with the same settings: the reference each rule is checked against. */
function reference(name: OptimizerName, rate: number, momentum: number): tf.Optimizer {
  if (name === 'adam') return tf.train.adam(rate);
  if (name === 'rmsprop') return tf.train.rmsprop(rate);
  return momentum > 0 ? tf.train.momentum(rate, momentum) : tf.train.sgd(rate);
}

const cases: [OptimizerName, number][] = [['sgd', 0], ['sgd', 0.9], ['rmsprop', 0], ['adam', 0]];

describe.each(['wasm', 'cpu'] as const)('flat optimizers against tfjs\'s optimizers on the %s backend', (backend) => {
  it.each(cases)('%s (momentum %s): 30 steps on the same gradients give the same parameters to the bit, the rate changed halfway', async (name, momentum) => {
    expect(await selectBackend(backend)).toBe(backend);
    const r = seededRandom(7);
    const start = Array.from({ length: 500 }, () => 2 * r() - 1);
    // Gradients of varied sign and scale, some exactly zero; the same list for both.
    const grads = Array.from({ length: 30 }, () => Array.from({ length: 500 }, (_, i) => (i % 17 === 0 ? 0 : (2 * r() - 1) * 10 ** (Math.floor(r() * 4) - 2))));
    const run = (step: (theta: tf.Variable, g: tf.Tensor1D) => void, setRate: (rate: number) => void): Float32Array => {
      const theta = tf.tidy(() => tf.variable(tf.tensor1d(start), false));
      grads.forEach((g, i) => {
        if (i === 15) setRate(0.003);
        tf.tidy(() => step(theta, tf.tensor1d(g)));
      });
      const values = theta.dataSync() as Float32Array;
      theta.dispose();
      return values;
    };
    const before = tf.memory().numTensors;
    const mine = flatOptimizer(name, 0.01, momentum);
    const ours = run((theta, g) => mine.step(theta, g), (rate) => { mine.learningRate = rate; });
    mine.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const ref = reference(name, 0.01, momentum);
    // tfjs's SGD and momentum keep the rate in a scalar that only setLearningRate rewrites.
    const refRate = ref as unknown as { learningRate: number; setLearningRate?(v: number): void };
    const theirs = run((theta, g) => ref.applyGradients({ [theta.name]: g }), (rate) => { if (refRate.setLearningRate) refRate.setLearningRate(rate); else refRate.learningRate = rate; });
    ref.dispose();
    // The same kernels in the same order: the same float32 values, to the bit.
    expect(Array.from(ours)).toEqual(Array.from(theirs));
    // And the parameters moved: this is not a check of an optimizer that does nothing.
    expect(Math.abs(ours[1]! - start[1]!)).toBeGreaterThan(1e-4);
  });

  it('rejects a learning rate that is not positive and a momentum outside [0, 1)', () => {
    expect(() => flatOptimizer('adam', 0)).toThrow(/learning rate must be > 0, not 0/);
    expect(() => flatOptimizer('sgd', 0.1, 1)).toThrow(/momentum must be in \[0, 1\), not 1/);
  });
});
