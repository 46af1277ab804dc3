/**
 * A trained TensorFlow.js LayersModel seen through the model contract (MlpModel): batched predict, gradients by
 * tf.grad, and the dense layers' weights as plain numbers. Test-side adapter until the engine has its own.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DenseLayerWeights, MlpModel } from '../../../server/src/models/model';

type Rows = readonly (readonly number[])[];

export function tfjsMlp(model: LayersModel, nFeatures: number): MlpModel {
  const input = (x: Rows) => tf.tensor2d(x.map((r) => [...r]), [x.length, nFeatures]);
  return {
    family: 'mlp', task: 'regression', nFeatures, outputs: ['y'],
    async predict(x: Rows) {
      if (x.length === 0) return [];
      return tf.tidy(() => (model.predict(input(x)) as tf.Tensor).arraySync() as number[][]);
    },
    async gradient(x: Rows, output: number) {
      if (x.length === 0) return [];
      return tf.tidy(() => {
        // Rows are independent, so the gradient of the sum of one output column is each row's gradient.
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(model.apply(t) as tf.Tensor, [0, output], [-1, 1])))(input(x));
        return g.arraySync() as number[][];
      });
    },
    denseLayers(): DenseLayerWeights[] {
      return model.layers.map((layer) => {
        const [kernel, bias] = layer.getWeights();
        return {
          kernel: kernel!.arraySync() as number[][], bias: bias!.arraySync() as number[],
          activation: (layer.getConfig() as { activation: DenseLayerWeights['activation'] }).activation,
        };
      });
    },
  };
}
