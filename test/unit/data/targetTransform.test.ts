/**
 * data.target_transform: the target relative to a feature (server/src/data/frame/targetTransform.ts), through the
 * saved preprocessing (server/src/data/standardize.ts), and its spec checks. Values are analytic.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRelativeTarget, relativeBase, toRelativeTarget } from '../../../server/src/data/frame/targetTransform';
import { inverseTarget, transformTarget, type FittedPreprocessing } from '../../../server/src/data/standardize';
import { prepareData } from '../../../server/src/pipeline/prepare';
import { checkSpec } from '../../../server/src/spec/check';
import { parseSpec } from '../../../server/src/spec/parse';

const root = join(__dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'xai-target-transform-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The stock example copied beside its CSV, with an edit of the spec's text. */
function stockSpec(edit: (s: string) => string = (s) => s): string {
  const dir = mkdtempSync(join(tmp, 'case-'));
  mkdirSync(join(dir, 'stock-price'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
  const path = join(dir, 'stock-price/s.xai.yaml');
  writeFileSync(path, edit(readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8')));
  return path;
}

describe('target relative to a feature', () => {
  it('difference and return, there and back', () => {
    const y = [11, 9, 30];
    const base = [10, 10, 20];
    expect(toRelativeTarget({ method: 'difference', relative_to: 'b' }, y, base)).toEqual([1, -1, 10]);
    const r = toRelativeTarget({ method: 'return', relative_to: 'b' }, y, base);
    expect(r.map((v) => +v.toFixed(12))).toEqual([0.1, -0.1, 0.5]);
    expect(fromRelativeTarget({ method: 'return', relative_to: 'b' }, r, base).map((v) => +v.toFixed(12))).toEqual(y);
    expect(fromRelativeTarget({ method: 'difference', relative_to: 'b' }, [1, -1, 10], base)).toEqual(y);
  });

  it('the base is the raw feature; a missing feature or a zero base for a return is a located error', () => {
    const x = [[1, 10], [2, 0]];
    expect(relativeBase({ method: 'difference', relative_to: 'b' }, ['a', 'b'], x)).toEqual([10, 0]);
    expect(() => relativeBase({ method: 'difference', relative_to: 'c' }, ['a', 'b'], x)).toThrow(/relative_to 'c' is not one of the model's features \(a, b\)/);
    expect(() => relativeBase({ method: 'return', relative_to: 'b' }, ['a', 'b'], x, { file: 'f.csv', lines: [2, 3] }))
      .toThrow(/f\.csv \(line 3, column 'b'\): target_transform: the base is 0; a return needs a finite, non-zero base/);
  });

  it('the saved preprocessing standardizes the difference and inverts through it with the rows\' base', () => {
    const fitted: FittedPreprocessing = {
      version: 1, features: ['a', 'b'], target: 'y', standardize: { features: {}, target: { mean: 1, std: 2 } },
      target_transform: { method: 'difference', relative_to: 'b' },
    };
    const x = [[0, 10], [0, 20]];
    expect(transformTarget(fitted, [13, 19], x)).toEqual([1, -1]); // (13 − 10 − 1) / 2, (19 − 20 − 1) / 2
    expect(inverseTarget(fitted, [1, -1], x)).toEqual([13, 19]);
    expect(() => inverseTarget(fitted, [1])).toThrow(/relative to b .*raw features are needed/);
  });

  it('the stock example learns price − price_lag1 with the training mean and std of that change', () => {
    const specPath = stockSpec();
    const data = prepareData(parseSpec(readFileSync(specPath, 'utf8')).spec!, specPath);
    expect(data.fitted.target_transform).toEqual({ method: 'difference', relative_to: 'price_lag1' });
    const changes = data.train.y.map((y, i) => y - data.train.x[i]![0]!);
    const mean = changes.reduce((s, v) => s + v, 0) / changes.length;
    expect(data.fitted.standardize.target!.mean).toBeCloseTo(mean, 12);
    expect(data.steps.find((s) => s.step === 'target_transform')!.detail).toMatch(/learns price − price_lag1; its predictions add price_lag1 back/);
  });

  it('spec checks: the example passes; a typo in relative_to is an unknown column; classification is refused', () => {
    const ok = stockSpec();
    expect(checkSpec(parseSpec(readFileSync(ok, 'utf8')), ok)).toEqual([]);
    const typo = stockSpec((s) => s.replace('relative_to: price_lag1', 'relative_to: price_lag01'));
    const d1 = checkSpec(parseSpec(readFileSync(typo, 'utf8')), typo);
    expect(d1.map((d) => d.code)).toEqual(['unknown-column']);
    expect(d1[0]!.message).toMatch(/No column 'price_lag01' \(target_transform\).*did you mean 'price_lag1'/);
    const cls = stockSpec((s) => s.replace('task: regression', 'task: classification'));
    expect(checkSpec(parseSpec(readFileSync(cls, 'utf8')), cls).map((d) => d.code)).toContain('target-transform-task');
  });
});
