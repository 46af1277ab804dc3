/**
 * Decision paths of a ReLU network. A network of dense layers with ReLU (or linear) hidden units is piecewise
 * linear: inside the region of a sample's activation pattern (which units are on), it IS the affine map
 * f(x) = W_eff x + b_eff with W_eff = W_L D_{L−1} W_{L−1} … D_1 W_1 (D_l the 0/1 diagonal of layer l's pattern).
 * Expanding the product, the output is a sum over input → hidden → … → output paths, each contributing
 * xᵢ · Π (weights along the path), plus bias terms (a bias entering at an active unit times the weights
 * downstream); all path contributions plus all bias terms add up to the output exactly (Montúfar et al. 2014 on
 * linear regions; the path expansion as in DeepLIFT / path-integrated attributions). Family-specific: reads
 * `MlpModel.denseLayers()`; the output layer's pre-activation (logit) is explained when it has a non-linear
 * activation.
 */
import type { DenseLayerWeights, MlpModel } from '../../models/model';
import { checkMatrix, CountingModel, type Matrix } from '../common';
import { featureNames } from '../types';

export interface PathContribution {
  /** Units visited: [input feature index, hidden unit of layer 1, …, output index]. */
  units: number[];
  /** Input feature name (units[0]). */
  feature: string;
  contribution: number;
}

export interface BiasTerm {
  /** Layer (0 = first hidden layer, last = output layer) and unit where the bias enters. */
  layer: number;
  unit: number;
  contribution: number;
}

export interface ReluPathSample {
  /** Activation pattern: for each hidden layer, which units are on (pre-activation > 0). */
  pattern: boolean[][];
  /** The local linear model of this region for the explained output: weights [n_features] and bias. */
  localWeights: number[];
  localBias: number;
  /** The output on the explained scale (computed in float64 from the weights), and the model's own prediction. */
  output: number;
  modelOutput: number;
  /** The `top` paths by |contribution|, largest first. */
  topPaths: PathContribution[];
  /** Sums over ALL paths and ALL bias terms: pathTotal + biasTotal = output. */
  pathTotal: number;
  biasTotal: number;
  biasTerms: BiasTerm[];
  pathCount: number;
}

export interface ReluPathResult { method: 'relu_paths'; output: number; samples: ReluPathSample[]; evaluations: number }

export interface ReluPathOptions {
  output?: number;
  /** Paths kept per sample (default 10). */
  top?: number;
  features?: readonly string[];
  /** Most paths enumerated per sample (default 2 000 000). */
  maxPaths?: number;
}

function checkLayers(layers: readonly DenseLayerWeights[], nFeatures: number): void {
  if (layers.length === 0) throw new Error('ReLU paths: the network has no layers');
  let width = nFeatures;
  layers.forEach((l, i) => {
    if (l.kernel.length !== width) throw new Error(`ReLU paths: layer ${i} expects ${l.kernel.length} inputs, the previous layer gives ${width}`);
    const last = i === layers.length - 1;
    if (!last && l.activation !== 'relu' && l.activation !== 'linear') {
      throw new Error(`ReLU paths: hidden layer ${i} has activation ${l.activation}; only relu and linear layers are piecewise linear`);
    }
    width = l.bias.length;
  });
}

/**
 * Activation pattern, local linear model and top paths of each row of x [n_samples, n_features].
 * @returns per sample the pattern, W_eff/b_eff, the top paths and the totals; evaluations = n_samples (one
 *   batched predict to report the model's own output beside the float64 one).
 * @throws Error for non piecewise-linear hidden layers, mismatched shapes, or more paths than `maxPaths`.
 */
export async function reluPaths(model: MlpModel, x: Matrix, options: ReluPathOptions = {}): Promise<ReluPathResult> {
  const layers = model.denseLayers();
  const d = model.nFeatures;
  checkLayers(layers, d);
  checkMatrix(x, d, 'ReLU paths');
  const k = options.output ?? 0;
  const last = layers[layers.length - 1]!;
  if (k < 0 || k >= last.bias.length) throw new Error(`ReLU paths: the network has no output ${k}`);
  const names = featureNames(options.features, d);
  const top = options.top ?? 10;
  const pathCount = d * layers.slice(0, -1).reduce((p, l) => p * l.bias.length, 1);
  const maxPaths = options.maxPaths ?? 2_000_000;
  if (pathCount > maxPaths) throw new Error(`ReLU paths: ${pathCount} paths per sample exceed maxPaths (${maxPaths})`);
  const counter = new CountingModel(model);
  const modelOut = await counter.predictOutput(x, k);

  const samples = x.map((row, s): ReluPathSample => {
    // Forward pass in float64, recording each hidden layer's on/off pattern.
    const pattern: boolean[][] = [];
    let a = [...row];
    layers.forEach((l, li) => {
      const z = l.bias.map((b, j) => a.reduce((acc, v, i) => acc + v * l.kernel[i]![j]!, b));
      if (li < layers.length - 1) {
        const on = z.map((v) => l.activation === 'linear' || v > 0);
        pattern.push(on);
        a = z.map((v, j) => (on[j] ? v : 0));
      } else a = z;
    });
    const output = a[k]!;
    // down[l][j]: the sum over paths from unit j of layer l's OUTPUT to output k (the masked product downstream).
    const down: number[][] = new Array(layers.length);
    down[layers.length - 1] = last.bias.map((_, j) => (j === k ? 1 : 0));
    for (let l = layers.length - 2; l >= 0; l--) {
      const next = layers[l + 1]!;
      down[l] = layers[l]!.bias.map((_, j) => (pattern[l]![j] ? next.kernel[j]!.reduce((acc, w, m) => acc + w * down[l + 1]![m]!, 0) : 0));
    }
    const localWeights = row.map((_, i) => layers[0]!.kernel[i]!.reduce((acc, w, j) => acc + w * down[0]![j]!, 0));
    const biasTerms: BiasTerm[] = [];
    layers.forEach((l, li) => l.bias.forEach((b, j) => { const c = b * down[li]![j]!; if (c !== 0) biasTerms.push({ layer: li, unit: j, contribution: c }); }));
    const localBias = biasTerms.reduce((acc, t) => acc + t.contribution, 0);

    // Enumerate every path through active units, keeping the `top` by |contribution|.
    const best: PathContribution[] = [];
    let pathTotal = 0;
    const units: number[] = [];
    const visit = (layer: number, unit: number, carried: number): void => {
      if (layer === layers.length - 1) {
        const c = carried * layers[layer]!.kernel[unit]![k]!;
        pathTotal += c;
        if (best.length < top || Math.abs(c) > Math.abs(best[best.length - 1]!.contribution)) {
          best.push({ units: [...units, k], feature: names[units[0]!]!, contribution: c });
          best.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
          if (best.length > top) best.pop();
        }
        return;
      }
      const l = layers[layer]!;
      l.bias.forEach((_, j) => {
        if (!pattern[layer]![j]) return;
        units.push(j);
        visit(layer + 1, j, carried * l.kernel[unit]![j]!);
        units.pop();
      });
    };
    row.forEach((v, i) => {
      units.push(i);
      if (layers.length === 1) {
        const c = v * last.kernel[i]![k]!;
        pathTotal += c;
        best.push({ units: [i, k], feature: names[i]!, contribution: c });
      } else visit(0, i, v);
      units.pop();
    });
    best.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
    return {
      pattern, localWeights, localBias, output, modelOutput: modelOut[s]!, topPaths: best.slice(0, top), pathTotal,
      biasTotal: localBias, biasTerms, pathCount,
    };
  });
  return { method: 'relu_paths', output: k, samples, evaluations: counter.evaluations };
}
