import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usesFramePipeline } from '../../../server/src/data/frame/fromSpec';
import { reapplyPipeline, type SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { readSpec } from '../../../server/src/pipeline/specInput';

const root = join(__dirname, '../../..');

function specIn(dir: string, yaml: string): string {
  const path = join(dir, 'p.xai.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('spec steps run through the columnar recipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xai-spec-data-'));
  cpSync(join(root, 'examples', 'data', 'penguins.csv'), join(dir, 'penguins.csv'));

  it('penguins body mass from a spec: impute, one_hot, clip, standardize; the saved pipeline reproduces the features', () => {
    const path = specIn(dir, `version: 1
name: penguins-mass
task: regression
data:
  source: penguins.csv
  target: Body Mass (g)
preprocessing:
  - drop_missing:
      columns: [Body Mass (g)]
  - split:
      method: random
      validation: 0.2
      test: 0.1
      seed: 7
  - impute:
      strategy: most_frequent
  - one_hot:
      unseen: error
  - clip:
      method: iqr
  - standardize:
      columns: features
      target: true
model:
  type: mlp
  hidden_layers: [{ units: 4 }]
training:
  seed: 3
`);
    const { spec } = readSpec(path);
    expect(usesFramePipeline(spec)).toBe(true);
    const d = prepareData(spec, path);
    expect(d.steps.map((s) => [s.step, s.rowsIn, s.rowsOut])).toEqual([
      ['load', 344, 344], ['drop_missing', 344, 342], ['split', 342, 342], ['impute', 342, 342], ['one_hot', 342, 342], ['clip', 342, 342], ['standardize', 342, 342], ['features', 342, 342],
    ]);
    expect([d.train.x.length, d.validation.x.length, d.test?.x.length]).toEqual([240, 68, 34]);
    // The 2 dropped rows lack every measurement and Sex; of the other 11 missing Sex cells 9 remain (8 empty, '.').
    expect(d.steps[3]).toMatchObject({ imputed: 9 });
    expect(d.all.features).toEqual(['Species=Adelie', 'Species=Chinstrap', 'Species=Gentoo', 'Island=Biscoe', 'Island=Dream', 'Island=Torgersen',
      'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Sex=FEMALE', 'Sex=MALE']);
    expect(d.groups).toEqual({ Species: ['Species=Adelie', 'Species=Chinstrap', 'Species=Gentoo'], Island: ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen'], Sex: ['Sex=FEMALE', 'Sex=MALE'] });
    expect(d.fitted.standardize.target?.mean).toBeCloseTo(d.train.y.reduce((a, b) => a + b, 0) / d.train.y.length, 9);
    const saved = JSON.parse(JSON.stringify(d.dataPipeline)) as SavedDataPipeline;
    expect(reapplyPipeline(saved, { path: join(dir, 'penguins.csv') }).x).toEqual(d.all.x);
  });

  it('seattle-weather from a spec: a declared date format, date parts, k_best by F-test, a chronological test part', () => {
    cpSync(join(root, 'examples', 'data', 'seattle-weather.csv'), join(dir, 'seattle-weather.csv'));
    const path = specIn(dir, `version: 1
name: seattle-temp
task: regression
data:
  source: seattle-weather.csv
  target: temp_max
  column_types:
    - column: date
      type: date
      date_format: YYYY-MM-DD
preprocessing:
  - date_parts:
      column: date
      parts: [month, day_of_year, weekday]
  - split:
      method: chronological
      validation: 0.2
      test: 0.1
  - k_best:
      k: 2
      score: f_test
model:
  type: mlp
  hidden_layers: [{ units: 4 }]
training:
  seed: 1
`);
    const { spec } = readSpec(path);
    // Features made by steps are listed here rather than in the YAML (the spec checker knows only CSV columns).
    const d = prepareData({ ...spec, data: { ...spec.data, features: ['precipitation', 'wind', 'date_month', 'date_day_of_year', 'date_weekday'] } }, path);
    expect(d.steps.map((s) => [s.step, s.rowsOut])).toEqual([['load', 1461], ['date_parts', 1461], ['split', 1461], ['k_best', 1461], ['features', 1461]]);
    expect(d.steps[0]!.detail).toMatch(/date: date/);
    // Temperature follows the season: the month and the day of the year score highest against temp_max.
    expect(d.all.features).toEqual(['date_month', 'date_day_of_year']);
    expect(d.steps[3]!.dropped!.map((x) => x.column)).toEqual(['precipitation', 'wind', 'date_weekday']);
    expect([d.train.x.length, d.validation.x.length, d.test!.x.length]).toEqual([1023, 292, 146]);
  });

  it('stocks from a spec: filters by list and date range, lags and rolling means per symbol with a horizon', () => {
    cpSync(join(root, 'examples', 'data', 'stocks.csv'), join(dir, 'stocks.csv'));
    const path = specIn(dir, `version: 1
name: stocks-two
task: regression
data:
  source: stocks.csv
  filter:
    - column: symbol
      in: [MSFT, IBM]
    - column: date
      min: 2005-01-01
  target: price
preprocessing:
  - lags:
      column: price
      count: 2
      group_by: symbol
      horizon: 3
  - rolling:
      column: price
      window: 6
      stats: [mean, std]
      group_by: symbol
      horizon: 3
  - split:
      method: chronological
      validation: 0.25
model:
  type: mlp
  hidden_layers: [{ units: 4 }]
training:
  seed: 1
`);
    const { spec } = readSpec(path);
    expect(usesFramePipeline(spec)).toBe(true);
    const d = prepareData(spec, path);
    // 2005-01 … 2010-03 is 63 months per symbol: 126 rows. Lags 3 and 4 months back drop 4 rows per symbol; the
    // 6-month window ending 3 months back then needs 8 earlier rows of what is left: 16 more.
    expect(d.steps.map((s) => [s.step, s.rowsIn, s.rowsOut])).toEqual([
      ['load', 560, 560], ['filter', 560, 126], ['lags', 126, 118], ['rolling', 118, 102], ['split', 102, 102], ['features', 102, 102],
    ]);
    expect(d.all.features).toEqual(['price_lag3', 'price_lag4', 'price_rolling6_mean', 'price_rolling6_std']);
    expect(d.steps[5]!.detail).toBe('4 features; not features: symbol (the group key of a window step), date (a raw date: date_parts makes features of it)');
    // The naive forecast 3 months ahead: the last price known then, 3 months back.
    expect(d.baseline.name).toBe('last value (price_lag3)');
    expect(d.baseline.validation).toEqual(d.validation.x.map((r) => r[0]));
  });

  it('the founding stock-price spec keeps the row-table path', () => {
    const { spec } = readSpec(join(root, 'examples', 'stock-price', 'stock-price.xai.yaml'));
    expect(usesFramePipeline(spec)).toBe(false);
  });
});
