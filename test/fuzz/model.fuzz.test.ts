/**
 * Fuzz (issue #9, must-show 1): the model loaders on mutated real model files. Trees and linear models (JSON) and
 * a LayersModel's `model.json`, saved by our own code, are changed in their structure (a value anywhere replaced
 * by any JSON value, a key deleted, an array element duplicated) and in their bytes. Property: loading either
 * gives a model that predicts one finite-shaped row per input row, or throws an Error whose message starts with the
 * file's path (and gives line and column for JSON syntax). A hang fails by the test's timeout; nothing may allocate
 * beyond the weight cap (layersManifest.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTopologySize, checkWeightsManifest } from '../../server/src/models/layersManifest';
import { fitLinearRegression, fitLogisticRegression } from '../../server/src/models/linear';
import { fitLinearSvm } from '../../server/src/models/linearSvm';
import { loadMlp, saveMlp } from '../../server/src/models/mlp';
import { modelFromJson, modelToJson, type JsonModel } from '../../server/src/models/modelJson';
import { parseJsonText } from '../../server/src/models/readJsonFile';
import { fitDecisionTree } from '../../server/src/models/tree';
import { selectBackend } from '../../server/src/worker/backend';
import { mutateBytes, mutations, recordCount } from './mutations';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const counts: Record<string, number> = {};
const dir = mkdtempSync(join(tmpdir(), 'xai-model-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A structural edit: at the path chosen by `pick` (indices into the keys met on the way), replace, delete or duplicate. */
const edit = fc.record({ pick: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), op: fc.constantFrom('replace', 'delete', 'duplicate'), value: fc.jsonValue({ maxDepth: 2 }) });

function applyEdit(root: Json, e: { pick: number[]; op: string; value: unknown }): Json {
  const copy = structuredClone(root);
  let node: Json = copy;
  for (let d = 0; d < e.pick.length; d++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[e.pick[d]! % keys.length]!;
    const child = (node as Record<string | number, Json>)[k]!;
    const last = d === e.pick.length - 1 || child === null || typeof child !== 'object';
    if (last) {
      if (e.op === 'delete') { if (Array.isArray(node)) node.splice(k as number, 1); else delete (node as Record<string, Json>)[k]; }
      else if (e.op === 'duplicate' && Array.isArray(node)) node.splice(k as number, 0, structuredClone(child));
      else (node as Record<string | number, Json>)[k] = e.value as Json;
      break;
    }
    node = child;
  }
  return copy;
}

/** The loader's contract on one JSON object: a working model, or an Error that names where. */
async function loadTreeOrLinear(json: unknown): Promise<void> {
  let model: JsonModel;
  try {
    model = modelFromJson(json, 'fuzz/model.json');
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('fuzz/model.json: ')) throw e;
    return;
  }
  const x = [Array(model.nFeatures).fill(0), Array(model.nFeatures).fill(1), Array(model.nFeatures).fill(-3.5)];
  const rows = await model.predict(x);
  if (rows.length !== 3 || rows.some((r) => r.length !== model.outputs.length && !(model.task === 'regression' && r.length === 1))) {
    throw new Error(`predict gave ${JSON.stringify(rows)} for 3 rows`);
  }
}

describe('the model loaders on hostile files', () => {
  const models: { name: string; json: Json }[] = [];
  let layers: Json;
  let layersDir: string;

  beforeAll(async () => {
    const x = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 7) / 7]);
    const cls = x.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0));
    const reg = x.map((r) => 2 * r[0]! - r[2]!);
    const list: [string, JsonModel][] = [
      ['tree', fitDecisionTree(x, cls, ['no', 'yes'], { task: 'classification', criterion: 'gini', maxDepth: 4 })],
      ['logistic', fitLogisticRegression(x, cls, ['no', 'yes'], {})],
      ['linear', fitLinearRegression(x, reg, 'y')],
      ['svm', fitLinearSvm(x, cls, ['no', 'yes'], {})],
    ];
    for (const [name, m] of list) models.push({ name, json: modelToJson(m) as unknown as Json });
    await selectBackend('cpu');
    layersDir = join(dir, 'mlp');
    await saveMlp(tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 5, activation: 'relu' }), tfl.layers.dense({ units: 1 })] }), layersDir);
    layers = JSON.parse(readFileSync(join(layersDir, 'model.json'), 'utf8'));
  });

  it('tree and linear JSON, structurally mutated (24 000 cases)', async () => {
    await fc.assert(fc.asyncProperty(fc.nat({ max: 3 }), fc.array(edit, { minLength: 1, maxLength: 3 }), async (i, es) => {
      await loadTreeOrLinear(es.reduce<Json>((j, e) => applyEdit(j, e), models[i]!.json));
    }), { numRuns: 24_000, seed: 921 });
    counts['tree/linear JSON, structural'] = 24_000;
  });

  it('tree and linear JSON, byte-mutated text (8 000 cases)', async () => {
    await fc.assert(fc.asyncProperty(fc.nat({ max: 3 }), mutations, async (i, ms) => {
      const text = mutateBytes(Buffer.from(JSON.stringify(models[i]!.json, null, 1)), ms).toString('utf8');
      let json: unknown;
      try {
        json = parseJsonText(text, 'fuzz/model.json');
      } catch (e) {
        if (!(e instanceof Error) || !/^fuzz\/model\.json(:\d+:\d+)?: not (valid|read as) JSON/.test(e.message)) throw e;
        return;
      }
      await loadTreeOrLinear(json);
    }), { numRuns: 8_000, seed: 922 });
    counts['tree/linear JSON, bytes'] = 8_000;
  });

  it('LayersModel manifests and topologies, structurally mutated (12 000 cases)', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (es) => {
      const json = es.reduce<Json>((j, e) => applyEdit(j, e), layers);
      try {
        checkWeightsManifest(json, layersDir, 'fuzz/model.json');
        checkTopologySize(json, 'fuzz/model.json');
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith('fuzz/model.json: ')) throw e;
      }
    }), { numRuns: 12_000, seed: 923 });
    counts['LayersModel manifest, structural'] = 12_000;
  });

  it('whole LayersModel loads of mutated model.json through TensorFlow.js (200 cases)', async () => {
    const cases = fc.sample(fc.array(edit, { minLength: 1, maxLength: 2 }), { numRuns: 200, seed: 924 });
    const weights = readFileSync(join(layersDir, 'weights.bin'));
    let loaded = 0;
    for (const [k, es] of cases.entries()) {
      const d = join(dir, `l${k}`);
      await saveMlp(tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 5, activation: 'relu' }), tfl.layers.dense({ units: 1 })] }), d);
      writeFileSync(join(d, 'weights.bin'), weights);
      writeFileSync(join(d, 'model.json'), JSON.stringify(es.reduce<Json>((j, e) => applyEdit(j, e), layers)));
      try {
        const m = await loadMlp(d);
        m.dispose();
        loaded++;
      } catch (e) {
        expect(e, JSON.stringify(es)).toBeInstanceOf(Error);
        expect((e as Error).message.length, JSON.stringify(es)).toBeGreaterThan(0);
      }
    }
    expect(loaded).toBeGreaterThan(0);
    counts['LayersModel, whole load'] = 200;
  });

  it('writes the case count', () => {
    recordCount('model', counts);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(44_200);
  });
});
