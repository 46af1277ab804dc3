import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../server/src/data/errors';
import type { DataStepAccount } from '../../../server/src/data/frame/account';
import { getColumn, type ValueColumn } from '../../../server/src/data/frame/frame';
import { parseCsvFrame } from '../../../server/src/data/frame/load';
import { featureMatrix, prepareCsv, prepareFrame, reapplyPipeline, type Recipe, type SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { fitDecisionTree } from '../../../server/src/models/tree';

const DATA = join(__dirname, '../../../examples/data');
const PENGUINS = join(DATA, 'penguins.csv');
const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const penguinRecipe: Recipe = {
  target: 'Species', task: 'classification', seed: 42,
  steps: [
    { split: { method: 'stratified', validation: 0.2 } },
    { impute: { strategy: 'mean' } },
    { one_hot: { unseen: 'ignore' } },
    { standardize: {} },
  ],
};
const byStep = (steps: DataStepAccount[], name: string) => steps.filter((s) => s.step === name);
const values = (col: unknown) => (col as ValueColumn).values;

function thrown(f: () => unknown): DataError {
  try { f(); } catch (e) { if (e instanceof DataError) return e; throw e; }
  throw new Error('expected a DataError');
}

describe('penguins end to end (missing cells, the stray ".", categories, names with spaces and parentheses)', () => {
  const p = prepareCsv(PENGUINS, penguinRecipe);

  it('accounts for every step: rows, imputed values, columns added and dropped', () => {
    expect(p.steps.map((s) => [s.step, s.rowsIn, s.rowsOut])).toEqual([
      ['load', 344, 344], ['split', 344, 344], ['impute', 344, 344], ['impute', 344, 344], ['one_hot', 344, 344], ['standardize', 344, 344], ['label_encode', 344, 344], ['features', 344, 344],
    ]);
    expect(p.steps[0]!.detail).toMatch(/19 missing cells/);
    // Stratified 80/20: Adelie 152 → 30, Chinstrap 68 → 14, Gentoo 124 → 25 validation rows.
    expect([p.parts.train.length, p.parts.validation.length, p.parts.test.length]).toEqual([275, 69, 0]);
    const [numeric, sex] = byStep(p.steps, 'impute');
    expect([numeric!.imputed, sex!.imputed]).toEqual([8, 11]); // 2 rows × 4 measurements; 10 empty + 1 '.' Sex
    const oneHot = byStep(p.steps, 'one_hot')[0]!;
    expect(oneHot.added).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Sex=FEMALE', 'Sex=MALE']);
    expect(oneHot.dropped).toEqual([{ column: 'Island', reason: 'one-hot encoded' }, { column: 'Sex', reason: 'one-hot encoded' }]);
    expect(p.features).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', ...NUMERIC, 'Sex=FEMALE', 'Sex=MALE']);
    expect(p.groups).toEqual({ Island: ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen'], Sex: ['Sex=FEMALE', 'Sex=MALE'] });
    expect(p.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it('fits imputation and scaling on the training rows alone (checked against a direct computation)', () => {
    const { frame } = parseCsvFrame(readFileSync(PENGUINS), PENGUINS);
    const mass = values(getColumn(frame, 'Body Mass (g)'));
    const train = p.parts.train.map((r) => mass[r]!).filter((v) => !Number.isNaN(v));
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    const impute = p.saved.fitted.find((f) => f.step === 'impute' && f.strategy === 'mean') as { values: Record<string, number> };
    expect(impute.values['Body Mass (g)']).toBeCloseTo(mean, 9);
    const filled = p.parts.train.map((r) => (Number.isNaN(mass[r]!) ? mean : mass[r]!));
    const std = Math.sqrt(filled.reduce((a, v) => a + (v - mean) ** 2, 0) / filled.length);
    const st = p.saved.fitted.find((f) => f.step === 'standardize') as { params: Record<string, { mean: number; std: number }> };
    expect(st.params['Body Mass (g)']!.mean).toBeCloseTo(mean, 9);
    expect(st.params['Body Mass (g)']!.std).toBeCloseTo(std, 9);
    expect(Object.keys(st.params)).toEqual(NUMERIC); // the one-hot indicators stay 0/1
  });

  it('an extreme value in a validation row changes nothing that was fitted', () => {
    const text = readFileSync(PENGUINS, 'utf8').split('\n');
    const row = p.parts.validation[0]!;
    const line = p.frame.lines[row]! - 1;
    const cells = text[line]!.split(',');
    cells[2] = '99999'; cells[5] = '-1e9'; cells[1] = 'Atlantis';
    text[line] = cells.join(',');
    const { frame, info } = parseCsvFrame(text.join('\n'), 'changed.csv');
    const q = prepareFrame(frame, penguinRecipe, info);
    expect(q.parts).toEqual(p.parts);
    expect(q.saved.fitted).toEqual(p.saved.fitted);
    expect(q.classes).toEqual(p.classes);
    // The unseen island becomes all zeros under `unseen: ignore`.
    const x = featureMatrix(q.frame, q.features, [row])[0]!;
    expect(x.slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('the saved pipeline, reapplied to the raw CSV, reproduces the training-time features exactly', () => {
    const saved = JSON.parse(JSON.stringify(p.saved)) as SavedDataPipeline;
    expect([saved.format, saved.version]).toEqual(['xai-data-pipeline', 1]);
    const again = reapplyPipeline(saved, { path: PENGUINS });
    expect(again.x).toEqual(featureMatrix(p.frame, p.features));
    expect([...again.frame.lines]).toEqual([...p.frame.lines]);
  });

  it('classifies species: a CART tree on the prepared features', () => {
    const x = featureMatrix(p.frame, p.features);
    const y = Array.from(p.y);
    const tree = fitDecisionTree(p.parts.train.map((r) => x[r]!), p.parts.train.map((r) => y[r]!), p.classes!, { task: 'classification', maxDepth: 4 });
    const proba = tree.predict(p.parts.validation.map((r) => x[r]!));
    return proba.then((rows) => {
      const correct = rows.filter((pr, i) => pr.indexOf(Math.max(...pr)) === y[p.parts.validation[i]!]).length;
      expect(correct / rows.length).toBeGreaterThan(0.9);
    });
  });
});

describe('seattle-weather: date parts and a chronological split', () => {
  const w = prepareCsv(join(DATA, 'seattle-weather.csv'), {
    target: 'weather', task: 'classification', seed: 1,
    steps: [
      { date_parts: { column: 'date', parts: ['month', 'weekday', 'day_of_year'] } },
      { split: { method: 'chronological', validation: 0.2, test: 0.1 } },
      { standardize: { columns: ['precipitation', 'temp_max', 'temp_min', 'wind'] } },
    ],
  });

  it('adds month, weekday and day of year; the raw date is not a feature', () => {
    const dp = byStep(w.steps, 'date_parts')[0]!;
    expect([dp.rowsIn, dp.rowsOut, dp.added]).toEqual([1461, 1461, ['date_month', 'date_weekday', 'date_day_of_year']]);
    expect(w.features).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind', 'date_month', 'date_weekday', 'date_day_of_year']);
    const x = featureMatrix(w.frame, ['date_month', 'date_weekday', 'date_day_of_year'], [0, 59, 1460]);
    // 2012-01-01 was a Sunday; 2012-02-29 (leap day) a Wednesday, day 60; 2015-12-31 a Thursday, day 365.
    expect(x).toEqual([[1, 6, 1], [2, 2, 60], [12, 3, 365]]);
    expect(byStep(w.steps, 'features')[0]!.detail).toBe('7 features; not features: date (a raw date: date_parts makes features of it)');
    expect(byStep(w.steps, 'split')[0]!.detail).toBe('chronological (last rows to validation, then test): 1023 training, 292 validation, 146 test');
    expect([w.parts.train.at(-1), w.parts.validation[0], w.parts.test[0]]).toEqual([1022, 1023, 1315]);
    expect(w.classes).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
  });
});

describe('stocks: lags and rolling windows per symbol', () => {
  const s = prepareCsv(join(DATA, 'stocks.csv'), {
    target: 'price', task: 'regression', seed: 1, features: ['price_lag1', 'price_lag2', 'price_lag3', 'price_rolling3_mean'],
    steps: [
      { sort: { columns: ['symbol', 'date'] } },
      { lags: { column: 'price', count: 3, group_by: 'symbol' } },
      { rolling: { column: 'price', window: 3, stats: ['mean'], group_by: 'symbol', horizon: 1 } },
      { split: { method: 'chronological', validation: 0.2 } },
      { standardize: {} },
    ],
  });

  it('makes lags within each symbol and counts the rows with an incomplete history', () => {
    const lags = byStep(s.steps, 'lags')[0]!;
    expect([lags.rowsIn, lags.rowsOut]).toEqual([560, 545]); // 5 symbols × 3 rows
    expect(lags.detail).toBe('price_lag1, price_lag2, price_lag3 (horizon 1), per symbol (5 groups); 15 rows with an incomplete window dropped');
    const rolling = byStep(s.steps, 'rolling')[0]!;
    expect([rolling.rowsIn, rolling.rowsOut]).toEqual([545, 530]);
    const again = reapplyPipeline(s.saved, { path: join(DATA, 'stocks.csv') });
    expect(again.x).toEqual(featureMatrix(s.frame, s.features));
  });

  it('lag k is the price k months earlier in the same symbol', () => {
    const { frame } = parseCsvFrame(readFileSync(join(DATA, 'stocks.csv')), 'stocks.csv');
    const q = prepareFrame(frame, {
      target: 'price', task: 'regression', seed: 1, features: ['price_lag1', 'price_lag3'],
      steps: [{ lags: { column: 'price', count: 3, group_by: 'symbol' } }, { rolling: { column: 'price', window: 2, stats: ['mean', 'min', 'max', 'std'], group_by: 'symbol' } }],
    }, { delimiter: ',', rows: 560, missing: {}, types: {} });
    // MSFT 2000: Jan 39.81, Feb 36.35, Mar 43.22, Apr 28.37, May 25.45, Jun 32.54. Lags drop Jan–Mar; the
    // rolling window (2 rows ending 1 row back) then drops Apr and May of what is left: June is the first row.
    const x = featureMatrix(q.frame, ['price', 'price_lag1', 'price_lag3', 'price_rolling2_mean', 'price_rolling2_min', 'price_rolling2_max', 'price_rolling2_std'], [0]);
    expect(q.frame.lines[0]).toBe(7);
    expect(x[0]![0]).toBe(32.54);
    expect(x[0]!.slice(1, 3)).toEqual([25.45, 43.22]);
    expect(x[0]![3]).toBeCloseTo(26.91, 12);
    expect(x[0]!.slice(4, 6)).toEqual([25.45, 28.37]);
    expect(x[0]![6]).toBeCloseTo(1.46, 12);
    expect(q.steps.map((st) => [st.step, st.rowsOut])).toEqual([['load', 560], ['lags', 545], ['rolling', 535], ['split', 535], ['features', 535]]);
  });
});

describe('errors with row and column, never a silent drop', () => {
  it('a target with missing values, a categorical feature left unencoded, a missing value left in a feature', () => {
    const csv = 'a,b,y\n1,x,1\n2,y,\n3,x,3\n4,y,4\n';
    const { frame, info } = parseCsvFrame(csv, 't.csv');
    const e = thrown(() => prepareFrame(frame, { target: 'y', task: 'regression', seed: 1, steps: [] }, info));
    expect([e.line, e.column]).toEqual([3, 'y']);
    expect(e.message).toMatch(/target is missing/);
    const ok = prepareFrame(frame, { target: 'y', task: 'regression', seed: 1, steps: [{ drop_missing: { columns: ['y'] } }, { split: { method: 'random', validation: 0.34 } }, { one_hot: {} }] }, info);
    expect(ok.steps[1]).toMatchObject({ step: 'drop_missing', rowsIn: 4, rowsOut: 3, detail: '1 rows dropped: 1 with a missing y' });
    const cat = thrown(() => prepareFrame(frame, { target: 'y', task: 'regression', seed: 1, steps: [{ drop_missing: { columns: ['y'] } }] }, info));
    expect(cat.message).toMatch(/feature 'b' holds categories: add a one_hot step/);
    const m = parseCsvFrame('a,y\n1,1\n,2\n3,3\n4,4\n', 't.csv');
    const miss = thrown(() => prepareFrame(m.frame, { target: 'y', task: 'regression', seed: 1, steps: [] }, m.info));
    expect([miss.line, miss.column]).toEqual([3, 'a']);
    const order = thrown(() => prepareFrame(m.frame, { target: 'y', task: 'regression', seed: 1, steps: [{ impute: { strategy: 'mean' } }, { lags: { column: 'a', count: 1 } }] }, m.info));
    expect(order.message).toMatch(/lags step must come before the split/);
  });
});

describe('fitted steps through the recipe', () => {
  const csv = 'g,a,b,c,y\nx,1,,5,1\ny,2,,5,2\nx,3,7,5,3\nz,4,,5,4\nx,5,,5,5\ny,6,1,5,6\n';
  it('drop_columns names the share; constant imputation of a category; one-hot groups follow a selection', () => {
    const { frame, info } = parseCsvFrame(csv, 't.csv');
    const p = prepareFrame(frame, {
      target: 'y', task: 'regression', seed: 1,
      steps: [
        { split: { method: 'chronological', validation: 0.34 } },
        { drop_columns: { max_missing: 0.5 } },
        { impute: { strategy: 'constant', value: 'none', columns: ['g'] } },
        { one_hot: {} },
        { min_max: { columns: ['a'] } },
        { variance_threshold: { threshold: 0 } },
      ],
    }, info);
    const drop = byStep(p.steps, 'drop_columns')[0]!;
    expect(drop.dropped).toEqual([{ column: 'b', reason: '75.0 % missing in the training rows (limit 50 %)' }]);
    expect(byStep(p.steps, 'impute')[0]!.imputed).toBe(0);
    // Training rows 0–3: g is x, y, x, z; a is 1…4, so min-max maps 1 → 0 and 4 → 1 (validation rows go beyond 1).
    expect(featureMatrix(p.frame, ['a'])).toEqual([[0], [1 / 3], [2 / 3], [1], [4 / 3], [5 / 3]]);
    // c is constant in training: variance 0 drops it; g=z stays (it varies in training).
    expect(byStep(p.steps, 'variance_threshold')[0]!.dropped!.map((d) => d.column)).toEqual(['c']);
    expect(p.features).toEqual(['g=x', 'g=y', 'g=z', 'a']);
    expect(p.groups).toEqual({ g: ['g=x', 'g=y', 'g=z'] });
  });
});
