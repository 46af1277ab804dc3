/**
 * Model files from elsewhere (issue #9): a LayersModel folder or a tree/linear JSON that lies about its sizes,
 * points outside its folder or is not JSON gets a clear error naming the file, before anything large is allocated.
 * Each case starts from a real model saved by our own save handler and changes one thing.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMlp, saveMlp } from '../../../server/src/models/mlp';
import { loadModelJson, saveModelJson } from '../../../server/src/models/modelJson';
import { fitDecisionTree } from '../../../server/src/models/tree';
import { selectBackend } from '../../../server/src/worker/backend';

const dirs: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'xai-hostile-')); dirs.push(d); return d; };
let saved: string;
let modelJson: { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };

/** A copy of the saved model folder with model.json changed by `edit`. */
function variant(edit: (json: typeof modelJson) => void): string {
  const d = tmp();
  const json = structuredClone(modelJson);
  edit(json);
  writeFileSync(join(d, 'model.json'), JSON.stringify(json));
  writeFileSync(join(d, 'weights.bin'), readFileSync(join(saved, 'weights.bin')));
  return d;
}

beforeAll(async () => {
  await selectBackend('cpu');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tfl.layers.dense({ units: 1 })] });
  saved = tmp();
  await saveMlp(model, saved);
  modelJson = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
});
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('LayersModel folders that lie', () => {
  it('loads the untouched model (the cases below differ from it in one thing)', async () => {
    const m = await loadMlp(saved);
    expect(m.countParams()).toBe(3 * 4 + 4 + 4 + 1);
  });

  it('refuses a tensor of 100 GB before allocating it', async () => {
    const d = variant((j) => { j.weightsManifest[0]!.weights[0]!.shape = [100_000, 250_000]; });
    const rss0 = process.memoryUsage().rss;
    await expect(loadMlp(d)).rejects.toThrow(/'dense_\w+\/kernel', shape \[100000, 250000\]\) needs 93\.1 GiB; the model's weights may take at most 1\.0 GiB/);
    const grownMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
    expect(grownMiB).toBeLessThan(64);
  });

  it('refuses a topology whose layers would be built at 100 GB before the weights are read', async () => {
    const d = variant((j) => { (j as unknown as { modelTopology: { config: { layers: { config: { units: number }}[] } } }).modelTopology.config.layers[0]!.config.units = 5_000_000; });
    await expect(loadMlp(d)).rejects.toThrow(/modelTopology's units of 5000000 would make layers of up to 90\.9 TiB; the model's weights may take at most 1\.0 GiB/);
  });

  it('refuses weight paths that leave the model folder (relative, absolute)', async () => {
    for (const p of ['../../etc/passwd', '/etc/passwd', 'sub/../../x.bin']) {
      const d = variant((j) => { j.weightsManifest[0]!.paths = [p]; });
      await expect(loadMlp(d), p).rejects.toThrow(/model\.json: weightsManifest\[0\]: the weight path .* (leaves the model's folder|must be a relative file name)/);
    }
  });

  it('refuses truncated and padded weights, naming both sizes', async () => {
    const short = variant(() => undefined);
    truncateSync(join(short, 'weights.bin'), 20);
    await expect(loadMlp(short)).rejects.toThrow(/the weight files hold 20 bytes but the manifest's weights need 84: truncated \(weights\.bin\)/);
    const long = variant(() => undefined);
    writeFileSync(join(long, 'weights.bin'), Buffer.concat([readFileSync(join(saved, 'weights.bin')), Buffer.alloc(8)]));
    await expect(loadMlp(long)).rejects.toThrow(/hold 92 bytes .* need 84: extra bytes/);
  });

  it('refuses a missing weight file, a negative or fractional dimension and an unknown dtype', async () => {
    await expect(loadMlp(variant((j) => { j.weightsManifest[0]!.paths = ['nope.bin']; }))).rejects.toThrow(/the weight file nope\.bin cannot be read \(ENOENT\)/);
    await expect(loadMlp(variant((j) => { j.weightsManifest[0]!.weights[1]!.shape = [-4]; }))).rejects.toThrow(/shape must be a list of non-negative integers/);
    await expect(loadMlp(variant((j) => { j.weightsManifest[0]!.weights[1]!.shape = [2.5]; }))).rejects.toThrow(/shape must be a list of non-negative integers/);
    await expect(loadMlp(variant((j) => { j.weightsManifest[0]!.weights[1]!.dtype = 'string'; }))).rejects.toThrow(/the dtype "string" is not supported/);
  });

  it('reports a JSON syntax error with its line and column', async () => {
    const d = variant(() => undefined);
    writeFileSync(join(d, 'model.json'), '{\n  "modelTopology": {},\n  "weightsManifest": [,]\n}');
    await expect(loadMlp(d)).rejects.toThrow(/model\.json:3:23: not valid JSON \(ValueExpected\)/);
  });

  it('reads a weight file through a symlink only when the link stays inside the folder', async () => {
    const d = variant((j) => { j.weightsManifest[0]!.paths = ['link.bin']; });
    symlinkSync(join(d, 'weights.bin'), join(d, 'link.bin'));
    expect((await loadMlp(d)).countParams()).toBe(21);
    const out = variant(() => undefined);
    rmSync(join(out, 'weights.bin'));
    symlinkSync(join(saved, 'weights.bin'), join(out, 'weights.bin'));
    await expect(loadMlp(out)).rejects.toThrow(/the weight file weights\.bin is a link to .*weights\.bin, outside the model's folder/);
  });
});

describe('tree JSON files that lie', () => {
  it('refuses a cycle, a shared child and a value of the wrong length instead of looping or crashing', () => {
    const tree = fitDecisionTree([[0], [1], [2], [3]], [0, 0, 1, 1], ['a', 'b'], { task: 'classification', criterion: 'gini', maxDepth: 2 });
    const d = tmp();
    const path = join(d, 'model.json');
    saveModelJson(path, tree);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(loadModelJson(path).predict).toBeDefined();
    const cases: [string, (j: typeof json) => void][] = [
      ['cycle', (j) => { j.tree.nodes[1] = { ...j.tree.nodes[0], left: 0, right: 2 }; }],
      ['shared child', (j) => { j.tree.nodes[0].right = j.tree.nodes[0].left; }],
      ['value length', (j) => { j.tree.nodes[1].value = [1]; }],
      ['NaN threshold', (j) => { j.tree.nodes[0].threshold = null; }],
    ];
    for (const [what, edit] of cases) {
      const j = structuredClone(json);
      edit(j);
      writeFileSync(path, JSON.stringify(j));
      expect(() => loadModelJson(path), what).toThrow(/model\.json: tree node \d is malformed/);
    }
  });
});

describe('linear JSON files that lie (found by the fuzz suite, test/fuzz/model.fuzz.test.ts)', () => {
  it('refuses outputs that do not match the weight rows and the link', async () => {
    const { fitLinearSvm } = await import('../../../server/src/models/linearSvm');
    const { modelFromJson, modelToJson } = await import('../../../server/src/models/modelJson');
    const x = [[0, 1], [1, 0], [2, 2], [3, 1]];
    const json = modelToJson(fitLinearSvm(x, [0, 0, 1, 1], ['no', 'yes'], {}));
    // Seed 921's counterexample: one class label deleted, so a binary SVM's two probabilities had one name.
    expect(() => modelFromJson({ ...json, outputs: ['yes'] }, 'svm.json')).toThrow(/svm\.json: 1 weight row\(s\) with link platt give 2 output\(s\), but outputs names 1/);
    expect(() => modelFromJson({ ...json, task: 'regression' }, 'svm.json')).toThrow(/link platt does not fit a regression model/);
    // Seed 921 again: nFeatures of 4.3e15 passed, and the first caller to size an input row by it failed.
    expect(() => modelFromJson({ ...json, nFeatures: 4301033404744451 }, 'svm.json')).toThrow(/nFeatures 4301033404744451 is more than 1000000/);
    expect(() => modelFromJson({ ...json, features: ['a'] }, 'svm.json')).toThrow(/features must name the 2 inputs/);
  });
});

describe('the language server\'s own reader of a network (decision paths) applies the same checks', () => {
  it('refuses a 100 GB tensor and a weight path leaving the folder, as the TensorFlow.js loader does', async () => {
    const { readDenseNetwork } = await import('../../../server/src/explain/paths/denseNetwork');
    expect(readDenseNetwork(saved).layers.map((l) => [l.kernel.length, l.bias.length])).toEqual([[3, 4], [4, 1]]);
    const huge = variant((j) => { j.weightsManifest[0]!.weights[0]!.shape = [100_000, 250_000]; });
    expect(() => readDenseNetwork(huge)).toThrow(/needs 93\.1 GiB; the model's weights may take at most 1\.0 GiB/);
    const out = variant((j) => { j.weightsManifest[0]!.paths = ['../../etc/passwd']; });
    expect(() => readDenseNetwork(out)).toThrow(/leaves the model's folder/);
  });
});
