/**
 * A `tf.io` save/load handler on plain files, in the TensorFlow.js LayersModel format (`model.json` with the
 * topology and a weights manifest, plus `weights.bin`), readable by `tf.loadLayersModel` everywhere.
 * tfjs-node's `file://` handler would do the same, but tfjs-node is optional and absent on most machines.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileDurable } from '../data/durableWrite';
import { checkTopologySize, checkWeightsManifest, DEFAULT_MAX_WEIGHT_BYTES, MAX_MODEL_JSON_BYTES } from './layersManifest';
import { readJsonFile } from './readJsonFile';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A save handler writing `model.json` and `weights.bin` into `dir` (created if needed). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('saving a binary model topology is not supported');
      mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileDurable(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      writeFileDurable(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/**
 * A load handler reading `dir/model.json` and the weight files its manifest names (relative to `dir`). The
 * manifest is checked before anything is read or allocated (layersManifest.ts): paths stay inside `dir`, shapes
 * and dtypes are sane, the weights fit `maxWeightBytes`, and the files hold exactly the bytes the manifest needs.
 * @throws Error naming the file (and line and column for JSON syntax errors) when a file is missing, too large,
 *   not JSON, or disagrees with its manifest.
 */
export function fileLoadHandler(dir: string, maxWeightBytes = DEFAULT_MAX_WEIGHT_BYTES): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      const modelJson = readJsonFile(jsonPath, MAX_MODEL_JSON_BYTES);
      const checked = checkWeightsManifest(modelJson, dir, jsonPath, maxWeightBytes);
      checkTopologySize(modelJson, jsonPath, maxWeightBytes);
      if (typeof (modelJson as { modelTopology?: unknown }).modelTopology !== 'object') throw new Error(`${jsonPath}: modelTopology is missing`);
      return tf.io.getModelArtifactsForJSON(modelJson as tf.io.ModelJSON, async () => {
        const buffers = checked.files.map((file) => {
          const b = readFileSync(file);
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        });
        return [checked.groups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[], tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
