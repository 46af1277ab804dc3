/**
 * Back to the data's units: unscaleFeatures undoes a saved pipeline's standardize and min_max steps, last first;
 * dataUnits maps each model input through the row path's standardize and then those.
 */
import { describe, expect, it } from 'vitest';
import type { SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { dataUnits, unscaleFeatures } from '../../../server/src/data/frame/unscale';

function pipeline(fitted: SavedDataPipeline['fitted'], features: string[]): SavedDataPipeline {
  return { format: 'xai-data-pipeline', version: 1, load: { delimiter: ',', types: {} }, rowSteps: [], fitted, features, groups: {}, target: { column: 'y', task: 'regression' } };
}

describe('unscaleFeatures', () => {
  it('undoes a z-score and a min-max scaling, last step first, to the CSV number exactly', () => {
    const saved = pipeline([
      { step: 'min_max', params: { a: { min: 2, max: 12 } } },
      { step: 'standardize', params: { a: { mean: 0.5, std: 0.25 }, b: { mean: 39.1, std: 5.3 } } },
    ], ['a', 'b', 'c']);
    // a = 7 → min-max 0.5 → z 0, and z 2 → min-max 1 → a = 12; b = 39.1 + 5.3·(1/3); c unscaled.
    const b = 39.1 + 5.3 / 3;
    expect(unscaleFeatures(saved, [[0, 1 / 3, 42], [2, 0, -1]])).toEqual([[7, Number(b.toPrecision(12)), 42], [12, 39.1, -1]]);
  });

  it('gives a constant min-max column its value, and passes non-finite values through', () => {
    const saved = pipeline([{ step: 'min_max', params: { k: { min: 3, max: 3 } } }, { step: 'standardize', params: { z: { mean: 1, std: 2 } } }], ['k', 'z']);
    expect(unscaleFeatures(saved, [[0, Number.NaN]])).toEqual([[3, Number.NaN]]);
  });

  it('leaves the input rows as they are', () => {
    const x = [[1, 2]];
    unscaleFeatures(pipeline([{ step: 'standardize', params: { a: { mean: 10, std: 2 } } }], ['a', 'b']), x);
    expect(x).toEqual([[1, 2]]);
  });

  it('dataUnits: the row path\'s standardize undone first, then the pipeline\'s; unscaled features map to themselves', () => {
    const fitted = { version: 1 as const, features: ['a', 'b', 'c'], target: 'y', standardize: { features: { a: { mean: 10, std: 2 } } } };
    const saved = pipeline([{ step: 'min_max', params: { a: { min: 0, max: 100 }, b: { min: -1, max: 1 } } }], ['a', 'b', 'c']);
    const [a, b, c] = dataUnits(fitted, saved);
    // a: model 0 → 10 after the row standardize → 1000 after the min-max; b: 0.25 → -0.5; c untouched.
    expect([a!(0), a!(-5), b!(0.25), c!(0.123456789012345)]).toEqual([1000, 0, -0.5, 0.123456789012345]);
    expect(dataUnits(fitted).map((f) => f(1))).toEqual([12, 1, 1]);
  });
});
