/** Column statistics of the data profile: kinds, missing tokens, a numeric column with a bad cell, top categories, listed values. */
import { describe, expect, it } from 'vitest';
import { describeColumn, profileCsvText } from '../../../server/src/spec/dataProfile';

describe('profileCsvText', () => {
  const rows = ['x,label,when', ...Array.from({ length: 20 }, (_, i) => `${i === 3 ? 'n/a' : i === 4 ? 'NA' : i * 1.5},${i % 3 === 0 ? 'a' : 'b'},2020-01-${String(i + 1).padStart(2, '0')}`)];
  const p = profileCsvText(`${rows.join('\n')}\n`, 'test.csv');

  it('reads a mostly numeric column as numeric, counting missing tokens and bad cells apart', () => {
    // Cells: 1.5·i for i = 0 … 19 but i = 3 (n/a, a bad cell: 1 of 19, under 10 %) and i = 4 (NA, missing).
    expect(p.rows).toBe(20);
    expect(p.columns[0]).toEqual({
      name: 'x', kind: 'numeric', missing: 1, distinct: 19, min: 0, max: 28.5, mean: (1.5 * (190 - 7)) / 18, integer: false,
      nonNumeric: 1, nonNumericExamples: ['n/a'],
      // At most 100 distinct values: listed, sorted as text (the classes a classification target would have).
      values: Array.from({ length: 20 }, (_, i) => (i === 3 ? 'n/a' : String(i * 1.5))).filter((_, i) => i !== 4).sort(),
    });
    expect(describeColumn(p.columns[0]!, p.rows)).toEqual([
      '**x**: numeric column, 20 rows, 1 missing (5.0 %), 19 distinct', 'min 0 · mean 15.25 · max 28.5', '1 cell not a number: `n/a`',
    ]);
  });

  it('reads text and date columns with their most frequent values', () => {
    expect(p.columns[1]).toEqual({ name: 'label', kind: 'text', missing: 0, distinct: 2, top: [{ value: 'b', count: 13 }, { value: 'a', count: 7 }], values: ['a', 'b'] });
    expect(p.columns[2]!.kind).toBe('date');
    expect(p.columns[2]!.distinct).toBe(20);
  });
});
