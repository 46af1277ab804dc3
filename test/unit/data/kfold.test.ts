/**
 * k-fold evaluation (split: {method: kfold}): deterministic folds that scikit-learn reproduces
 * (scripts/reference/kfold.py → test/fixtures/sklearn/kfold_iris_tree.json), every row validated exactly once,
 * each fold's fitted steps learned on its training rows only, per-fold accuracies of a tree on iris equal to
 * scikit-learn's cross_validate on the same folds (and a linear regression's RMSE, MAE and R² on diabetes), and the
 * final model fitted on all rows.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kFold } from '../../../server/src/data/frame/splits';
import type { CrossValidationReport } from '../../../protocol/protocol';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { runPipeline } from '../../../server/src/pipeline/runPipeline';
import { readSpec } from '../../../server/src/pipeline/specInput';
import { selectBackend } from '../../../server/src/worker/backend';
import { irisKfoldSpec, SKLEARN_KFOLD_IRIS } from '../../fixtures/irisKfold';

const root = join(__dirname, '../../..');
const ref = SKLEARN_KFOLD_IRIS;
const irisClasses = readFileSync(join(root, 'examples/data/iris.csv'), 'utf8').trim().split('\n').slice(1)
  .map((l) => ref.classes.indexOf(l.trim().split(',').at(-1)!));

describe('k-fold evaluation', () => {
  let dir: string;
  beforeAll(async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    dir = mkdtempSync(join(tmpdir(), 'xai-kfold-'));
    mkdirSync(join(dir, 'specs'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'iris.csv'), readFileSync(join(root, 'examples/data/iris.csv')));
  });

  it('folds: sizes within one, every row validated exactly once, stratified class counts within one per fold', () => {
    const plain = kFold(23, 5, 3);
    expect(plain.map((f) => f.validation.length)).toEqual([5, 5, 5, 4, 4]);
    const classes = Int32Array.from({ length: 23 }, (_, i) => (i < 13 ? 0 : i < 20 ? 1 : 2)); // 13, 7 and 3 rows
    const strat = kFold(23, 5, 3, classes);
    for (const folds of [plain, strat]) {
      expect(folds.flatMap((f) => f.validation).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
      for (const f of folds) expect([...f.train, ...f.validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    }
    expect(strat.map((f) => f.validation.length)).toEqual([5, 5, 5, 4, 4]);
    for (const c of [0, 1, 2]) {
      const counts = strat.map((f) => f.validation.filter((r) => classes[r] === c).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('the iris folds are the ones scripts/reference/kfold.py rebuilt in Python (Mulberry32 + Fisher–Yates, stratified deal)', () => {
    const folds = kFold(150, ref.k, ref.seed, irisClasses);
    const foldOfRow = new Array<number>(150);
    folds.forEach((f, k) => f.validation.forEach((r) => { foldOfRow[r] = k; }));
    expect(foldOfRow).toEqual(ref.fold_of_row);
    expect(folds.map((f) => f.validation.length)).toEqual([30, 30, 30, 30, 30]);
  });

  it("each fold's standardization is fitted on its training rows only", () => {
    const path = join(dir, 'specs', 'std.xai.yaml');
    writeFileSync(path, irisKfoldSpec('  - standardize:\n      columns: features\n'));
    const d = prepareData(readSpec(path).spec, path);
    expect(d.crossValidation!.folds).toHaveLength(5);
    const mean = (rows: number[][], j: number) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length;
    for (const f of d.crossValidation!.folds) {
      expect(f.train.x).toHaveLength(120);
      expect(f.validation.x).toHaveLength(30);
      for (let j = 0; j < 4; j++) {
        const trainMean = mean(f.train.x, j);
        expect(trainMean).toBeCloseTo(0, 12);
        const validationMean = Math.abs(mean(f.validation.x, j));
        expect(validationMean).toBeGreaterThan(1e-6);
      }
    }
    // The final model's preprocessing: every row.
    expect(d.train.x).toHaveLength(150);
    expect(mean(d.train.x, 0)).toBeCloseTo(0, 12);
  });

  it('a tree on iris: per-fold accuracies equal scikit-learn cross_validate on the same folds; report.json and the final model on all rows', async () => {
    const path = join(dir, 'specs', 'iris.xai.yaml');
    writeFileSync(path, irisKfoldSpec());
    const { runDir, report } = await runPipeline(path, { backend: 'cpu', runsRoot: join(dir, 'runs') });
    const cv = (report as typeof report & { crossValidation: CrossValidationReport }).crossValidation;
    expect(cv.model.accuracy!.values.map((v) => +v.toFixed(12))).toEqual(ref.accuracy.map((v) => +v.toFixed(12)));
    expect(cv.model.accuracy!.mean).toBeCloseTo(ref.accuracy_mean, 12);
    expect(cv.model.accuracy!.std).toBeCloseTo(ref.accuracy_std, 12);
    expect(cv.model.balancedAccuracy!.values.map((v) => +v.toFixed(12))).toEqual(ref.balanced_accuracy.map((v) => +v.toFixed(12)));
    expect(cv.model.f1!.values.map((v) => +v.toFixed(12))).toEqual(ref.f1_macro.map((v) => +v.toFixed(12)));
    // Stratified folds: every majority-class baseline guesses one class of three, a third of each fold.
    expect(cv.baseline.metrics.accuracy!.values.map((v) => +v.toFixed(12))).toEqual([1, 1, 1, 1, 1].map(() => +(1 / 3).toFixed(12)));
    expect(cv.folds.map((f) => [f.trainRows, f.validationRows])).toEqual(Array.from({ length: 5 }, () => [120, 30]));
    expect([cv.k, cv.seed, cv.stratified]).toEqual([5, 7, true]);
    expect(cv.finalModel).toMatch(/^the saved model is fitted on all 150 rows/);
    expect([report.data.rows, report.data.trainRows]).toEqual([150, 150]);
    expect(report.steps.find((s) => s.step === 'split')!.detail).toBe('k-fold (k = 5, stratified by class, seed 7): folds of 30 rows, each validated once by a model fitted on the other rows; the final model is fitted on all 150 rows');
    // report.metrics: the out-of-fold predictions of every row (one per row, by the model that did not see it).
    const oofAccuracy = report.metrics.classification!.model.accuracy;
    expect(oofAccuracy).toBeCloseTo(ref.accuracy_mean, 12); // equal folds: pooled accuracy = mean of the folds'
    const written = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { crossValidation: CrossValidationReport };
    expect(written.crossValidation.model.accuracy!.mean).toBeCloseTo(ref.accuracy_mean, 12);
    const predictions = JSON.parse(readFileSync(join(runDir, 'predictions.json'), 'utf8')) as { rows: unknown[] };
    expect(predictions.rows).toHaveLength(150);
  });

  it('linear regression on diabetes: per-fold RMSE, MAE and R² equal scikit-learn cross_validate on the same unstratified folds', async () => {
    const lin = JSON.parse(readFileSync(join(root, 'test/fixtures/sklearn/kfold_diabetes_linear.json'), 'utf8')) as {
      k: number; seed: number; fold_of_row: number[]; rmse: number[]; rmse_mean: number; rmse_std: number; mae: number[]; r2: number[];
    };
    const folds = kFold(lin.fold_of_row.length, lin.k, lin.seed);
    expect(folds.map((f) => f.validation.every((r) => lin.fold_of_row[r] === folds.indexOf(f)))).toEqual([true, true, true, true, true]);
    writeFileSync(join(dir, 'data', 'diabetes.csv'), readFileSync(join(root, 'examples/data/diabetes.csv')));
    const path = join(dir, 'specs', 'diabetes.xai.yaml');
    writeFileSync(path, `version: 1
name: diabetes-kfold
task: regression
data:
  source: ../data/diabetes.csv
  target: progression
preprocessing:
  - split:
      method: kfold
      k: ${lin.k}
      seed: ${lin.seed}
model:
  type: linear_regression
training:
  seed: 42
`);
    const { report } = await runPipeline(path, { backend: 'cpu', runsRoot: join(dir, 'runs') });
    const cv = (report as typeof report & { crossValidation: CrossValidationReport }).crossValidation;
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 8));
    close(cv.model.rmse!.values, lin.rmse);
    close(cv.model.mae!.values, lin.mae);
    close(cv.model.r2!.values, lin.r2);
    expect(cv.model.rmse!.mean).toBeCloseTo(lin.rmse_mean, 8);
    expect(cv.model.rmse!.std).toBeCloseTo(lin.rmse_std, 8);
    expect(cv.stratified).toBe(false);
    expect(cv.baseline.name).toBe('training mean (per fold)');
    const beatsBaseline = cv.model.rmse!.mean < cv.baseline.metrics.rmse!.mean;
    expect(beatsBaseline).toBe(true);
  });
});
