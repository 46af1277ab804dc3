/**
 * A trained TensorFlow.js LayersModel seen through the model contract (`MlpModel`): batched `predict`,
 * gradients of one output with respect to the inputs by `tf.grad`, and the dense layers' weights as numbers.
 * Inputs and regression outputs are in MODEL scale (after the fitted preprocessing), as everywhere in `model.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DenseLayerWeights, DenseMatrix, MlpModel, ModelTask } from './model';

type Rows = readonly (readonly number[])[];

export class MlpFitted implements MlpModel {
  readonly family = 'mlp' as const;
  readonly task: ModelTask;
  readonly nFeatures: number;
  private layersCache?: DenseLayerWeights[];

  /**
   * @param outputs regression: [target]; classification: the class labels (the softmax head has one unit each).
   * @throws Error when the network's input or output width does not match.
   */
  constructor(readonly network: LayersModel, readonly outputs: readonly string[], task?: ModelTask) {
    const inShape = network.inputs[0]!.shape;
    const outShape = network.outputs[0]!.shape;
    this.nFeatures = Number(inShape[inShape.length - 1]);
    const nOut = Number(outShape[outShape.length - 1]);
    if (nOut !== outputs.length) throw new Error(`mlp: the network has ${nOut} outputs but ${outputs.length} output names were given`);
    this.task = task ?? (nOut > 1 ? 'classification' : 'regression');
  }

  private input(x: Rows): tf.Tensor2D {
    const d = this.nFeatures;
    const flat = new Float32Array(x.length * d);
    x.forEach((row, i) => {
      if (row.length !== d) throw new Error(`mlp: row ${i} has ${row.length} values, expected ${d}`);
      for (let j = 0; j < d; j++) flat[i * d + j] = row[j]!;
    });
    return tf.tensor2d(flat, [x.length, d]);
  }

  async predict(x: Rows): Promise<number[][]> { return this.predictSync(x); }

  /** x [n_samples, n_features] → [n_samples, n_outputs] in one batched call. */
  predictSync(x: Rows): number[][] {
    if (x.length === 0) return [];
    return tf.tidy(() => (this.network.predict(this.input(x)) as tf.Tensor).arraySync() as number[][]);
  }

  async predictDense(x: DenseMatrix): Promise<DenseMatrix> {
    if (x.cols !== this.nFeatures) throw new Error(`mlp: x has ${x.cols} features per row, expected ${this.nFeatures}`);
    const k = this.outputs.length;
    if (x.rows === 0) return { data: new Float64Array(0), rows: 0, cols: k };
    // The network computes in float32: the same input rounding and the same outputs as `predict`, read flat.
    let out = new Float64Array(0);
    tf.tidy(() => { out = Float64Array.from((this.network.predict(tf.tensor2d(Float32Array.from(x.data), [x.rows, x.cols])) as tf.Tensor).dataSync()); });
    return { data: out, rows: x.rows, cols: k };
  }

  async gradientDense(x: DenseMatrix, output: number): Promise<DenseMatrix> {
    if (!(Number.isInteger(output) && output >= 0 && output < this.outputs.length)) throw new Error(`mlp: no output ${output}; it has ${this.outputs.length}`);
    if (x.cols !== this.nFeatures) throw new Error(`mlp: x has ${x.cols} features per row, expected ${this.nFeatures}`);
    if (x.rows === 0) return { data: new Float64Array(0), rows: 0, cols: x.cols };
    let g = new Float64Array(0);
    tf.tidy(() => {
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(this.network.apply(t, { training: false }) as tf.Tensor, [0, output], [-1, 1])));
      g = Float64Array.from(grad(tf.tensor2d(Float32Array.from(x.data), [x.rows, x.cols])).dataSync());
    });
    return { data: g, rows: x.rows, cols: x.cols };
  }

  async gradient(x: Rows, output: number): Promise<number[][]> {
    if (!(Number.isInteger(output) && output >= 0 && output < this.outputs.length)) throw new Error(`mlp: no output ${output}; it has ${this.outputs.length}`);
    if (x.length === 0) return [];
    return tf.tidy(() => {
      // Rows are independent (dropout is off outside training), so the gradient of the column's sum is each row's.
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(this.network.apply(t, { training: false }) as tf.Tensor, [0, output], [-1, 1])))(this.input(x));
      return g.arraySync() as number[][];
    });
  }

  /** The dense layers in order (dropout layers, which hold no weights, are skipped). */
  denseLayers(): DenseLayerWeights[] {
    this.layersCache ??= this.network.layers.filter((l) => l.getClassName() === 'Dense').map((layer) => {
      const [kernel, bias] = layer.getWeights();
      return {
        kernel: kernel!.arraySync() as number[][], bias: bias!.arraySync() as number[],
        activation: (layer.getConfig() as { activation: DenseLayerWeights['activation'] }).activation,
      };
    });
    return this.layersCache;
  }

  dispose(): void { this.network.dispose(); }
}
