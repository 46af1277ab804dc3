/**
 * Must-show (issue 5): the MLP beats the naive baseline on the real examples, trained by the REAL worker (the
 * built bundle as a child process) with the seed each spec sets, on the wasm backend. The figures are held so
 * that a change in training, preprocessing or metrics shows up here.
 *
 * Stock: MSFT's next monthly price from 10 lags, the model learning the change from the last price
 * (data.target_transform); the baseline is the last price. Diabetes: the MLP against the training mean.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FittedPreprocessing } from '../../server/src/data/standardize';
import { loadMlp } from '../../server/src/models/mlp';
import { mae, rmse } from '../../server/src/models/metrics';
import { prepareData } from '../../server/src/pipeline/prepare';
import { rawPredictor } from '../../server/src/pipeline/runPipeline';
import { readSpec } from '../../server/src/pipeline/specInput';
import { selectBackend } from '../../server/src/worker/backend';
import { runJob } from '../../server/src/worker/client';

const root = join(__dirname, '../..');
const workerPath = join(root, 'dist/worker/worker.js');

/** A temp copy of an example folder's spec beside a copy of its CSV (`<dir>/<example>/`, `<dir>/data/`). */
function exampleCopy(example: string, specFile: string, csv: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xai-beat-'));
  mkdirSync(join(dir, example));
  mkdirSync(join(dir, 'data'));
  cpSync(join(root, 'examples/data', csv), join(dir, 'data', csv));
  const spec = join(dir, example, specFile);
  cpSync(join(root, 'examples', example, specFile), spec);
  return spec;
}

describe('the MLP beats the naive baseline on the examples (real worker, wasm, the specs\' seeds)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'worker'], { cwd: root, stdio: 'pipe' });
  });

  it('stock-price: validation RMSE 1.6780 against the last value\'s 1.7163; predictions on the price scale, reproduced from the saved model', async () => {
    const specPath = exampleCopy('stock-price', 'stock-price.xai.yaml', 'stocks.csv');
    const result = await runJob({ kind: 'train', specPath, backend: 'wasm' }, { workerPath });
    expect(result.message).toBeUndefined();
    const report = result.report!;
    expect(report.backend).toBe('wasm');
    expect(report.data).toMatchObject({ rows: 113, trainRows: 90, validationRows: 23 });
    expect(report.steps.map((s) => s.step)).toEqual(['load', 'filter', 'sort', 'lags', 'split', 'target_transform', 'standardize']);
    expect(report.steps[5]!.detail).toMatch(/learns price − price_lag1/);

    const m = report.metrics;
    expect(m.baseline.name).toBe('last value (price_lag1)');
    const modelError = m.model.rmse;
    const baselineError = m.baseline.rmse;
    expect(modelError).toBeLessThan(baselineError);
    expect(modelError).toBeCloseTo(1.6780, 4);
    expect(baselineError).toBeCloseTo(1.7163, 4);
    expect(m.model.mae).toBeCloseTo(1.4012, 4);
    expect(m.model.r2).toBeCloseTo(0.8412, 4);

    // The saved preprocessing carries the transform; the reloaded model predicts prices, as at training time.
    await selectBackend('wasm');
    const fitted = JSON.parse(readFileSync(join(result.runDir!, 'preprocessing.json'), 'utf8')) as FittedPreprocessing;
    expect(fitted.target_transform).toEqual({ method: 'difference', relative_to: 'price_lag1' });
    const saved = JSON.parse(readFileSync(join(result.runDir!, 'predictions.json'), 'utf8')) as { rows: { model: number; target: number }[] };
    const data = prepareData(readSpec(specPath).spec, specPath);
    const model = await loadMlp(join(result.runDir!, 'model'));
    const again = rawPredictor(model, fitted)(data.validation.x);
    model.dispose();
    expect(again).toEqual(saved.rows.map((r) => r.model));
    expect(rmse(data.validation.y, again)).toBeCloseTo(modelError, 10);
    expect(mae(data.validation.y, again)).toBeCloseTo(m.model.mae, 10);
    // Prices, not changes: every prediction lies within 20 % of its own last price.
    again.forEach((p, i) => expect(Math.abs(p / data.validation.x[i]![0]! - 1)).toBeLessThan(0.2));

    // Permutation importance scores the whole model on the price scale: its reference is the model's RMSE.
    expect(report.importance!.baselineScore).toBeCloseTo(modelError, 5);
    expect(report.importance!.features[0]!.feature).toBe('price_lag1');
  });

  it('diabetes-mlp: validation RMSE 51.82 against the training mean\'s 78.92', async () => {
    const specPath = exampleCopy('diabetes', 'diabetes-mlp.xai.yaml', 'diabetes.csv');
    const result = await runJob({ kind: 'train', specPath, backend: 'wasm' }, { workerPath });
    expect(result.message).toBeUndefined();
    const report = result.report!;
    expect(report.data).toMatchObject({ trainRows: 331, validationRows: 111 });
    const m = report.metrics;
    expect(m.baseline.name).toBe('training mean');
    const modelError = m.model.rmse;
    const baselineError = m.baseline.rmse;
    expect(modelError).toBeLessThan(baselineError);
    expect(modelError).toBeCloseTo(51.8197, 3);
    expect(baselineError).toBeCloseTo(78.9171, 3);
    expect(m.model.r2).toBeCloseTo(0.5684, 4);
  });
});
