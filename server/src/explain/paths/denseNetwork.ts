/**
 * A saved MLP read as plain numbers, without TensorFlow.js: the Dense layers of a LayersModel folder (`model.json`
 * topology + weights manifest, float32 `weights.bin`) and a float64 forward pass. It lets the language server
 * compute ReLU decision paths and predictions of a run's network in process, where loading TensorFlow.js (tens of
 * MB, a native or wasm backend) would be a heavy price for a few matrix products.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTopologySize, checkWeightsManifest, MAX_MODEL_JSON_BYTES } from '../../models/layersManifest';
import type { DenseLayerWeights, MlpModel, ModelTask } from '../../models/model';
import { readJsonFile } from '../../models/readJsonFile';

type Activation = DenseLayerWeights['activation'];
const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'linear', 'softmax'];

interface LayerConfig { class_name?: string; config?: { name?: string; units?: number; activation?: string; use_bias?: boolean } }
interface WeightSpec { name: string; shape: number[]; dtype?: string }

/**
 * Reads the Dense layers of `dir/model.json` and its weight files.
 * @returns the layers in order (kernel [n_in][n_out], bias [n_out]) and the metadata our trainer stores (task, outputs).
 * @throws Error naming the file for a missing or malformed file, a manifest the checks of layersManifest.ts refuse
 *   (paths leaving `dir`, absurd sizes, truncated weights), a non-Dense layer, a non-float32 weight or sizes that disagree.
 */
export function readDenseNetwork(dir: string): { layers: DenseLayerWeights[]; task?: ModelTask; outputs?: string[] } {
  const path = join(dir, 'model.json');
  // The same checks as the TensorFlow.js loader (modelFiles.ts): this reader runs in the language server, where a
  // hostile model folder must neither read outside it nor size an allocation.
  const json = readJsonFile(path, MAX_MODEL_JSON_BYTES) as {
    modelTopology?: { config?: { layers?: LayerConfig[] } | LayerConfig[] };
    weightsManifest?: { paths: string[]; weights: WeightSpec[] }[];
    userDefinedMetadata?: { xaiPipelines?: { task?: ModelTask; outputs?: string[] } };
  };
  const checked = checkWeightsManifest(json, dir, path);
  checkTopologySize(json, path);
  const topology = json.modelTopology?.config;
  const configs = (Array.isArray(topology) ? topology : topology?.layers ?? []).filter((l) => l.class_name !== 'InputLayer');
  if (!configs.length) throw new Error(`${path}: no layers in the model topology`);
  const weights = new Map<string, number[]>();
  const shapes = new Map<string, number[]>();
  let file = 0;
  for (const group of checked.groups) {
    const bytes = Buffer.concat(group.paths.map(() => readFileSync(checked.files[file++]!)));
    let offset = 0;
    for (const spec of group.weights) {
      if ((spec.dtype ?? 'float32') !== 'float32') throw new Error(`${path}: weight ${spec.name} is ${spec.dtype}, only float32 is read`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + count * 4 > bytes.length) throw new Error(`${path}: the weight files are shorter than the manifest says`);
      const values: number[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = bytes.readFloatLE(offset + i * 4);
      offset += count * 4;
      weights.set(spec.name, values);
      shapes.set(spec.name, spec.shape);
    }
  }
  const layers = configs.map((layer, li): DenseLayerWeights => {
    const c = layer.config ?? {};
    if (layer.class_name !== 'Dense' || !c.name) throw new Error(`${path}: layer ${li} is ${layer.class_name ?? 'unknown'}; only Dense layers are read`);
    const kernel = weights.get(`${c.name}/kernel`);
    const [nIn, nOut] = shapes.get(`${c.name}/kernel`) ?? [];
    if (!kernel || nIn === undefined || nOut === undefined) throw new Error(`${path}: no kernel for layer ${c.name}`);
    const bias = c.use_bias === false ? new Array<number>(nOut).fill(0) : weights.get(`${c.name}/bias`);
    if (!bias || bias.length !== nOut) throw new Error(`${path}: no bias of ${nOut} values for layer ${c.name}`);
    const activation = (c.activation ?? 'linear') as Activation;
    if (!ACTIVATIONS.includes(activation)) throw new Error(`${path}: layer ${c.name} has activation ${c.activation}`);
    const rows: number[][] = [];
    for (let i = 0; i < nIn; i++) rows.push(kernel.slice(i * nOut, (i + 1) * nOut));
    return { kernel: rows, bias, activation };
  });
  layers.slice(1).forEach((l, i) => {
    if (l.kernel.length !== layers[i]!.bias.length) throw new Error(`${path}: layer ${i + 1} takes ${l.kernel.length} inputs, layer ${i} gives ${layers[i]!.bias.length}`);
  });
  const meta = json.userDefinedMetadata?.xaiPipelines;
  return { layers, task: meta?.task, outputs: meta?.outputs };
}

function activate(z: number[], activation: Activation): number[] {
  switch (activation) {
    case 'relu': return z.map((v) => (v > 0 ? v : 0));
    case 'tanh': return z.map(Math.tanh);
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'softmax': {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
    default: return z;
  }
}

/**
 * An MLP evaluated in float64 from its Dense weights: the `MlpModel` the ReLU path explainer needs. Its outputs
 * agree with TensorFlow.js's float32 ones to about 1e-6 relative. `gradient` is not offered (no explainer here needs it).
 */
export class DenseNetwork implements MlpModel {
  readonly family = 'mlp' as const;
  readonly nFeatures: number;
  constructor(private readonly layers: DenseLayerWeights[], readonly task: ModelTask, readonly outputs: readonly string[]) {
    this.nFeatures = layers[0]!.kernel.length;
  }

  denseLayers(): DenseLayerWeights[] {
    return this.layers;
  }

  /** x [n_samples, n_features] → [n_samples, n_outputs]. */
  predictSync(x: readonly (readonly number[])[]): number[][] {
    return x.map((row) => this.layers.reduce<number[]>((a, l) => activate(l.bias.map((b, j) => a.reduce((acc, v, i) => acc + v * l.kernel[i]![j]!, b)), l.activation), [...row]));
  }

  predict(x: readonly (readonly number[])[]): Promise<number[][]> {
    return Promise.resolve(this.predictSync(x));
  }

  gradient(): Promise<number[][]> {
    return Promise.reject(new Error('DenseNetwork: gradients are not computed outside TensorFlow.js'));
  }
}
