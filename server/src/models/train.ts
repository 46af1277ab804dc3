/**
 * Trains the spec's model family on prepared, model-scale data, and saves/loads any family from a run's
 * `model/` folder: MLPs as a TensorFlow.js LayersModel (`model.json` + `weights.bin`, with the task and output
 * names in its user-defined metadata), trees and linear models as `model.json` in the `xai-pipelines/model`
 * format (see `modelJson.ts`). The file's `format` field tells them apart on load.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord } from '../../../protocol/protocol';
import type { ModelSpec, PipelineSpec } from '../spec/types';
import { fitLinearRegression, fitLogisticRegression, type LinearFitted } from './linear';
import { fitLinearSvm } from './linearSvm';
import { balancedClassWeights, buildMlp, loadMlp, parameterCount, saveMlp, trainMlp } from './mlp';
import { MlpFitted } from './mlpModel';
import type { FittedModel, ModelTask } from './model';
import { MODEL_JSON_FORMAT, modelFromJson, saveModelJson } from './modelJson';
import { fitDecisionTree, type DecisionTree } from './tree';
import { MAX_ARTIFACT_JSON_BYTES, readJsonFile } from './readJsonFile';

/** A trained model of any family, with what the run report and the run folder need. */
export interface TrainedModel {
  /** x [n, n_features] model scale → [n, n_outputs]: regression values (model scale) or class probabilities. */
  model: FittedModel;
  /** Class index per row when it is not the argmax of the probabilities (linear SVM: its decision function). */
  predictClass?(x: readonly (readonly number[])[]): number[];
  /** One record per epoch (MLP); [] for closed-form or convex fits. */
  history: EpochRecord[];
  /** For report.model: layers (MLP) and the number of fitted parameters (tree: nodes). */
  summary: { type: ModelSpec['type']; layers: { units: number; activation: string }[]; parameters: number };
  /** Writes `dir/model.json` (+ `weights.bin` for an MLP). */
  save(dir: string, features: readonly string[]): Promise<void>;
  dispose(): void;
}

export interface TrainData {
  /** [n, n_features], model scale. */
  x: number[][];
  /** Regression: targets (model scale); classification: class indices. */
  y: number[];
}

const REGRESSION_ONLY = ['linear_regression'];
const CLASSIFICATION_ONLY = ['linear_svm', 'logistic_regression'];

/** Why `model` cannot do `task`, or undefined. */
export function taskMismatch(model: ModelSpec, task: ModelTask): string | undefined {
  if (task === 'classification' && REGRESSION_ONLY.includes(model.type)) return `model type ${model.type} predicts numbers; use logistic_regression, linear_svm, decision_tree or mlp for task: classification`;
  if (task === 'regression' && CLASSIFICATION_ONLY.includes(model.type)) return `model type ${model.type} predicts classes; set task: classification, or use linear_regression, decision_tree or mlp for regression`;
  if (model.type === 'decision_tree' && model.criterion && (model.criterion === 'squared_error') !== (task === 'regression')) {
    return `criterion ${model.criterion} does not fit task ${task}: use ${task === 'regression' ? 'squared_error' : 'gini or entropy'}`;
  }
  return undefined;
}

/**
 * Trains the spec's model. `classes` is set for classification (y then holds indices into it).
 * @throws Error for a model that does not fit the task, bad hyperparameters, or a diverging MLP.
 */
export async function trainModel(
  spec: PipelineSpec, train: TrainData, validation: TrainData, classes: readonly string[] | undefined,
  onEpoch?: (record: EpochRecord, epochs: number) => void | Promise<void>,
): Promise<TrainedModel> {
  const task: ModelTask = spec.task === 'classification' ? 'classification' : 'regression';
  const m = spec.model;
  const mismatch = taskMismatch(m, task);
  if (mismatch) throw new Error(mismatch);
  if (task === 'classification' && !classes) throw new Error('classification needs the class labels');
  const outputs = task === 'classification' ? [...classes!] : [spec.data.target];
  const nFeatures = train.x[0]?.length ?? 0;
  const jsonModel = (model: DecisionTree | LinearFitted, parameters: number, params: object): TrainedModel => ({
    model, history: [],
    predictClass: model.family === 'linear_svm' ? (x) => (model as LinearFitted).predictClass(x) : undefined,
    summary: { type: m.type, layers: [], parameters },
    async save(dir, features) { mkdirSync(dir, { recursive: true }); saveModelJson(join(dir, 'model.json'), model, features, params); },
    dispose() { /* plain numbers */ },
  });
  switch (m.type) {
    case 'decision_tree': {
      const tree = fitDecisionTree(train.x, train.y, outputs, {
        task, criterion: m.criterion, maxDepth: m.max_depth, minSamplesSplit: m.min_samples_split,
        minSamplesLeaf: m.min_samples_leaf, maxLeafNodes: m.max_leaf_nodes, ccpAlpha: m.ccp_alpha,
      });
      return jsonModel(tree, tree.tree.nodes.length, tree.params);
    }
    case 'linear_svm': {
      const params = { loss: m.loss ?? 'squared_hinge', C: m.C ?? 1, seed: spec.training.seed };
      const svm = fitLinearSvm(train.x, train.y, outputs, params);
      return jsonModel(svm, svm.linear.weights.length * (nFeatures + 1), params);
    }
    case 'logistic_regression': {
      const params = { C: m.C ?? 1 };
      const lr = fitLogisticRegression(train.x, train.y, outputs, params);
      return jsonModel(lr, lr.linear.weights.length * (nFeatures + 1), params);
    }
    case 'linear_regression': {
      const params = { alpha: m.alpha ?? 0 };
      const lin = fitLinearRegression(train.x, train.y, spec.data.target, params.alpha);
      return jsonModel(lin, nFeatures + 1, params);
    }
    case 'mlp': {
      const t = spec.training;
      const nClasses = task === 'classification' ? outputs.length : undefined;
      const network = buildMlp(m, nFeatures, t.seed, { nClasses });
      try {
        const history = await trainMlp(network, train.x, train.y, t, {
          validation, nClasses, onEpoch, momentum: t.momentum,
          classWeight: nClasses && t.class_weight === 'balanced' ? balancedClassWeights(train.y, nClasses) : undefined,
          schedule: t.learning_rate_decay ? { kind: 'step', every: t.learning_rate_decay.every, factor: t.learning_rate_decay.factor } : undefined,
          earlyStopping: t.early_stopping ? { patience: t.early_stopping.patience, minDelta: t.early_stopping.min_delta, restoreBest: t.early_stopping.restore_best } : undefined,
        });
        network.setUserDefinedMetadata({ xaiPipelines: { task, outputs } });
        const model = new MlpFitted(network, outputs, task);
        const out = nClasses ? { units: nClasses, activation: 'softmax' } : { units: 1, activation: m.output_activation ?? 'linear' };
        return {
          model, history,
          summary: { type: 'mlp', layers: [...m.hidden_layers.map((l) => ({ units: l.units, activation: l.activation })), out], parameters: parameterCount(network) },
          async save(dir) { await saveMlp(network, dir); },
          dispose() { network.dispose(); },
        };
      } catch (e) {
        network.dispose();
        throw e;
      }
    }
  }
}

/**
 * Loads any family from a `model/` folder (or a `model.json` path): the xai-pipelines JSON format, else a
 * TensorFlow.js LayersModel (also one trained elsewhere: its output names then default to y0, y1, …).
 * @throws Error naming the file when it is missing or malformed.
 */
export async function loadFittedModel(dirOrFile: string): Promise<FittedModel & { dispose?(): void }> {
  const dir = dirOrFile.endsWith('.json') ? join(dirOrFile, '..') : dirOrFile;
  const file = join(dir, 'model.json');
  const json = readJsonFile(file, MAX_ARTIFACT_JSON_BYTES) as { format?: string; userDefinedMetadata?: { xaiPipelines?: { task?: ModelTask; outputs?: string[] } } };
  if (json.format === MODEL_JSON_FORMAT) return modelFromJson(json, file);
  const network = await loadMlp(dir);
  const meta = json.userDefinedMetadata?.xaiPipelines;
  const shape = network.outputs[0]!.shape;
  const nOut = Number(shape[shape.length - 1]);
  return new MlpFitted(network, meta?.outputs ?? Array.from({ length: nOut }, (_, k) => (nOut === 1 ? 'y' : `y${k}`)), meta?.task);
}
