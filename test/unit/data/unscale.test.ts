/**
 * unscaleFeatures: a saved pipeline's standardize and min_max steps undone, last first, back to the data's units.
 */
import { describe, expect, it } from 'vitest';
import type { SavedDataPipeline } from '../../../server/src/data/frame/recipe';
import { unscaleFeatures } from '../../../server/src/data/frame/unscale';

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
});
