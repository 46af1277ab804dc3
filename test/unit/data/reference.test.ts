import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../server/src/data/errors';
import { applyFitted, fitClip, fitImpute, fitMinMax, fitOneHot, fitStandardize } from '../../../server/src/data/frame/fitted';
import { cellText, getColumn, type ValueColumn } from '../../../server/src/data/frame/frame';
import { parseCsvFrame } from '../../../server/src/data/frame/load';
import { dropDuplicates, filterFrame } from '../../../server/src/data/frame/rowSteps';
import { fClassif, fitCorrelationFilter, fitKBest, fitVarianceThreshold } from '../../../server/src/data/frame/select';
import { kFold, splitFrameRows } from '../../../server/src/data/frame/splits';
import { diffFrame } from '../../../server/src/data/frame/windows';

const root = join(__dirname, '../../..');
const PENGUINS = join(root, 'examples/data/penguins.csv');
/** scikit-learn 1.2.1 / pandas 1.5.3 figures from scripts/reference/data_penguins.py. */
const ref = JSON.parse(readFileSync(join(root, 'test/fixtures/data/penguins-reference.json'), 'utf8')) as {
  trainRows: number; imputeMean: Record<string, number>; imputeMedian: Record<string, number>; imputeSex: string;
  standardize: Record<string, { mean: number; std: number }>; minMax: Record<string, { min: number; max: number }>;
  iqr: Record<string, { q1: number; q3: number }>; fClassif: Record<string, number>; variances: Record<string, number>; islandCategories: string[];
};
const NUM = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const { frame } = parseCsvFrame(readFileSync(PENGUINS), PENGUINS);
const train = Array.from({ length: 344 }, (_, i) => i).filter((i) => i % 5 !== 0);

function thrown(f: () => unknown): DataError {
  try { f(); } catch (e) { if (e instanceof DataError) return e; throw e; }
  throw new Error('expected a DataError');
}

describe('fitted statistics match scikit-learn on the same penguin training rows', () => {
  it('SimpleImputer (mean, median, most_frequent), StandardScaler, MinMaxScaler, NumPy IQR quartiles', () => {
    expect(train).toHaveLength(ref.trainRows);
    const meanStep = fitImpute(frame, train, NUM, 'mean');
    const mean = meanStep as { values: Record<string, number> };
    const median = fitImpute(frame, train, NUM, 'median') as { values: Record<string, number> };
    for (const c of NUM) {
      expect(mean.values[c]).toBeCloseTo(ref.imputeMean[c]!, 10);
      expect(median.values[c]).toBe(ref.imputeMedian[c]);
    }
    expect((fitImpute(frame, train, ['Sex'], 'most_frequent') as { values: Record<string, string> }).values.Sex).toBe(ref.imputeSex);
    const filled = applyFitted(frame, meanStep).frame;
    const st = fitStandardize(filled, train, NUM) as { params: Record<string, { mean: number; std: number }> };
    const mm = fitMinMax(filled, train, NUM) as { params: Record<string, { min: number; max: number }> };
    const clip = fitClip(frame, train, NUM, 'iqr') as { bounds: Record<string, { low: number; high: number }> };
    for (const c of NUM) {
      expect(st.params[c]!.mean).toBeCloseTo(ref.standardize[c]!.mean, 10);
      expect(st.params[c]!.std).toBeCloseTo(ref.standardize[c]!.std, 10);
      expect(mm.params[c]).toEqual(ref.minMax[c]);
      const { q1, q3 } = ref.iqr[c]!;
      expect(clip.bounds[c]!.low).toBeCloseTo(q1 - 1.5 * (q3 - q1), 10);
      expect(clip.bounds[c]!.high).toBeCloseTo(q3 + 1.5 * (q3 - q1), 10);
    }
    expect((fitOneHot(frame, train, ['Island'], 'ignore') as { columns: Record<string, { categories: string[] }> }).columns.Island!.categories).toEqual(ref.islandCategories);
  });

  it('f_classif F scores, variances, and k_best / variance / correlation selection', () => {
    const filled = applyFitted(frame, fitImpute(frame, train, NUM, 'mean')).frame;
    const species = getColumn(frame, 'Species');
    const classes = ['Adelie', 'Chinstrap', 'Gentoo'];
    const y = train.map((r) => classes.indexOf(cellText(species, r)!));
    for (const c of NUM) {
      const v = train.map((r) => (getColumn(filled, c) as ValueColumn).values[r]!);
      expect(fClassif(v, y) / ref.fClassif[c]!).toBeCloseTo(1, 10);
    }
    const best = Object.entries(ref.fClassif).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([c]) => c);
    const kb = fitKBest(filled, train, NUM, y, 2, 'f_test', true) as { keep: string[]; dropped: { column: string }[] };
    expect(kb.keep.sort()).toEqual([...best].sort());
    const mi = fitKBest(filled, train, NUM, y, 4, 'mutual_info', true) as { keep: string[] };
    expect(mi.keep).toEqual(NUM);
    // Beak depth has the smallest variance (≈ 3.9 mm²): a threshold of 5 drops it alone.
    expect(ref.variances['Beak Depth (mm)']).toBeLessThan(5);
    const vt = fitVarianceThreshold(filled, train, NUM, 5) as { keep: string[]; dropped: { column: string }[] };
    expect(vt.dropped.map((d) => d.column)).toEqual(['Beak Depth (mm)']);
    // Flipper length and body mass correlate at r ≈ 0.87 in these rows: a 0.8 filter drops the later one.
    const cf = fitCorrelationFilter(filled, train, NUM, 0.8) as { dropped: { column: string; reason: string }[] };
    expect(cf.dropped.map((d) => d.column)).toEqual(['Body Mass (g)']);
    expect(cf.dropped[0]!.reason).toMatch(/with Flipper Length \(mm\) > 0\.8/);
  });
});

describe('splits', () => {
  it('stratified keeps the class shares in every part; random and stratified repeat from the seed', () => {
    const classes = Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : 1));
    const s = splitFrameRows(100, { method: 'stratified', validation: 0.2, test: 0.1, seed: 5, classes }, 'x.csv');
    const share = (rows: number[]) => rows.filter((r) => classes[r] === 1).length;
    expect([s.parts.train.length, s.parts.validation.length, s.parts.test.length]).toEqual([70, 20, 10]);
    expect([share(s.parts.train), share(s.parts.validation), share(s.parts.test)]).toEqual([21, 6, 3]);
    expect(splitFrameRows(100, { method: 'stratified', validation: 0.2, test: 0.1, seed: 5, classes }, 'x.csv').parts).toEqual(s.parts);
    expect(splitFrameRows(100, { method: 'random', validation: 0.2, seed: 5 }, 'x.csv').parts).not.toEqual(splitFrameRows(100, { method: 'random', validation: 0.2, seed: 6 }, 'x.csv').parts);
    expect(() => splitFrameRows(10, { method: 'random', validation: 0.6, test: 0.4, seed: 1 }, 'x.csv')).toThrow(/sum below 1/);
  });

  it('k-fold: every row held out exactly once, fold sizes within one, stratified folds balanced', () => {
    const folds = kFold(10, 3, 1);
    expect(folds.map((f) => f.validation.length)).toEqual([4, 3, 3]);
    expect(folds.flatMap((f) => f.validation).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    for (const f of folds) expect([...f.train, ...f.validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const classes = Int32Array.from({ length: 12 }, (_, i) => (i < 6 ? 0 : 1));
    for (const f of kFold(12, 3, 2, classes)) expect(f.validation.filter((r) => classes[r] === 1)).toHaveLength(2);
    expect(() => kFold(3, 4, 1)).toThrow(/k must be an integer from 2/);
  });
});

describe('row steps and windows', () => {
  it('filters by value, set and range; drops duplicates naming their lines', () => {
    const { frame: f } = parseCsvFrame('g,v\na,1\nb,2\na,1\nc,5\nb,\n', 'x.csv');
    expect(filterFrame(f, [{ column: 'g', in: ['a', 'c'] }]).account).toMatchObject({ rowsIn: 5, rowsOut: 3 });
    expect(filterFrame(f, [{ column: 'v', min: 2, max: 4 }]).account.rowsOut).toBe(1);
    const d = dropDuplicates(f);
    expect([d.account.rowsOut, d.account.detail]).toEqual([4, '1 duplicate rows dropped (lines 4)']);
    expect(dropDuplicates(f, ['g']).account.rowsOut).toBe(3);
  });

  it('differences and returns per group with a horizon; clipping and unseen categories are accounted', () => {
    const { frame: f } = parseCsvFrame('s,p\nA,10\nA,11\nB,100\nA,22\nB,50\n', 'x.csv');
    const diff = diffFrame(f, { column: 'p', group_by: 's', horizon: 0 });
    expect((getColumn(diff.frame, 'p_diff1') as ValueColumn).values).toEqual(new Float64Array([1, 11, -50])); // rows in file order: A 11−10, A 22−11, B 50−100
    const ret = diffFrame(f, { column: 'p', group_by: 's', horizon: 1, returns: true });
    const r = (getColumn(ret.frame, 'p_return1') as ValueColumn).values;
    expect(r).toHaveLength(1);
    expect(r[0]).toBeCloseTo(11 / 10 - 1, 15); // A at 22: the two earlier values 11 and 10
    expect(ret.account).toMatchObject({ rowsIn: 5, rowsOut: 1, added: ['p_return1'] });
    // Training values 10, 11, 22: Q1 10.5, Q3 16.5, fences [1.5, 25.5]; 100 and 50 are clipped.
    const clipped = applyFitted(f, fitClip(f, [0, 1, 3], ['p'], 'iqr'));
    expect(clipped.account.clipped).toBe(2);
    const oneHot = fitOneHot(f, [0, 1], ['s'], 'error');
    const e = thrown(() => applyFitted(f, oneHot));
    expect([e.line, e.column]).toEqual([4, 's']);
    expect(e.message).toMatch(/'B' was not seen in the training rows/);
  });
});
