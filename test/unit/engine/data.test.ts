import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv, parseCsv } from '../../../server/src/data/csv';
import { parseDate } from '../../../server/src/data/dates';
import { toDataset } from '../../../server/src/data/dataset';
import { DataError } from '../../../server/src/data/errors';
import { addLags } from '../../../server/src/data/lags';
import { filterRows, sortRows } from '../../../server/src/data/rows';
import { splitRows } from '../../../server/src/data/split';
import { fitPreprocessing, inverseTarget, transformFeatures, transformTarget } from '../../../server/src/data/standardize';

function thrown(f: () => unknown): DataError {
  try { f(); } catch (e) { if (e instanceof DataError) return e; throw e; }
  throw new Error('expected a DataError');
}

describe('CSV loading', () => {
  it('reads a header, quoted fields with commas, quotes and newlines, a BOM and CRLF; rows keep their line', () => {
    const t = parseCsv('\uFEFFname,note,price\r\n"Smith, J","said ""hi""",1.5\r\nB,"two\r\nlines",2\r\n\r\nC,,3\r\n', 'x.csv');
    expect(t.columns).toEqual(['name', 'note', 'price']);
    expect(t.rows.map((r) => r.cells)).toEqual([['Smith, J', 'said "hi"', '1.5'], ['B', 'two\r\nlines', '2'], ['C', '', '3']]);
    expect(t.rows.map((r) => r.line)).toEqual([2, 3, 6]); // B spans lines 3–4; line 5 is empty
  });

  it('locates malformed CSV, a text in a numeric column and an empty cell by line and column', () => {
    expect(thrown(() => parseCsv('a,b\n1,2\n3\n', 'x.csv')).line).toBe(3);
    expect(thrown(() => parseCsv('a,b\n1,"2\n', 'x.csv')).message).toMatch(/^x\.csv.*malformed CSV/);
    const t = parseCsv('a,b\n1,2\n3,oops\n5,\n', 'x.csv');
    const e = thrown(() => toDataset(t, ['a'], 'b'));
    expect([e.line, e.column]).toEqual([3, 'b']);
    expect(e.message).toBe("x.csv (line 3, column 'b'): 'oops' is not a number");
    const empty = thrown(() => toDataset({ ...t, rows: [t.rows[2]!] }, ['a'], 'b'));
    expect([empty.line, empty.column, empty.message]).toEqual([4, 'b', "x.csv (line 4, column 'b'): empty cell where a number is expected"]);
  });

  it('refuses an empty file, duplicate or empty column names, a missing file, an unknown column', () => {
    expect(thrown(() => parseCsv('', 'x.csv')).message).toMatch(/empty/);
    expect(thrown(() => parseCsv('a,a\n1,2\n', 'x.csv')).message).toMatch(/'a' appears twice/);
    expect(thrown(() => parseCsv('a,\n1,2\n', 'x.csv')).message).toMatch(/column 2 of the header has no name/);
    expect(thrown(() => loadCsv('/nonexistent/x.csv')).message).toMatch(/ENOENT/);
    expect(thrown(() => toDataset(parseCsv('a,b\n1,2\n', 'x.csv'), ['c'], 'b')).message).toMatch(/no column 'c'; the columns are 'a', 'b'/);
  });

  it('loads a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xai-csv-'));
    writeFileSync(join(dir, 'd.csv'), 'a,b\n1,2\n');
    expect(loadCsv(join(dir, 'd.csv')).rows).toHaveLength(1);
  });
});

describe('dates', () => {
  it('parses ISO and month-name forms to UTC milliseconds', () => {
    expect(parseDate('2012-01-01')).toBe(Date.UTC(2012, 0, 1));
    expect(parseDate('Jan 1 2000')).toBe(Date.UTC(2000, 0, 1));
    expect(parseDate('January 31, 2000')).toBe(Date.UTC(2000, 0, 31));
    expect(parseDate('1 Feb 2000')).toBe(Date.UTC(2000, 1, 1));
    expect(parseDate('2012/3/4')).toBe(Date.UTC(2012, 2, 4));
    expect(parseDate('2012-01-01T10:30:00Z')).toBe(Date.UTC(2012, 0, 1, 10, 30));
    expect(parseDate('2012-01-01T10:30+02:00')).toBe(Date.UTC(2012, 0, 1, 8, 30));
  });
  it('refuses impossible days, ambiguous and unknown forms', () => {
    for (const s of ['2012-02-30', 'Feb 30 2001', '01/02/2000', 'Foo 1 2000', 'yesterday', '']) expect(parseDate(s)).toBeUndefined();
  });
});

describe('row steps', () => {
  const csv = 'symbol,date,price\nA,Feb 1 2000,2\nB,Jan 1 2000,10\nA,Jan 1 2000,1\nA,Mar 1 2000,3\nB,Feb 1 2000,20\nA,Apr 1 2000,4\n';
  const table = parseCsv(csv, 's.csv');

  it('filters by equality (as text) and accounts for the rows', () => {
    const r = filterRows(table, [{ column: 'symbol', equals: 'A' }]);
    expect(r.table.rows).toHaveLength(4);
    expect(r.account).toEqual({ step: 'filter', rowsIn: 6, rowsOut: 4, detail: 'symbol = A' });
  });

  it('sorts by date, number or text, stably; an unreadable date is located', () => {
    const byDate = sortRows(filterRows(table, [{ column: 'symbol', equals: 'A' }]).table, { column: 'date', type: 'date' }).table;
    expect(byDate.rows.map((r) => r.cells[2])).toEqual(['1', '2', '3', '4']);
    expect(sortRows(table, { column: 'price', type: 'number' }).table.rows.map((r) => r.cells[2])).toEqual(['1', '2', '3', '4', '10', '20']);
    expect(sortRows(table, { column: 'symbol', type: 'text' }).table.rows.map((r) => r.line)).toEqual([2, 4, 5, 7, 3, 6]);
    const bad = parseCsv('d\nJan 1 2000\nsoon\n', 'd.csv');
    const e = thrown(() => sortRows(bad, { column: 'd', type: 'date' }));
    expect([e.line, e.column]).toEqual([3, 'd']);
    expect(e.message).toMatch(/'soon' is not a date/);
  });

  it('adds lags (per group when asked), drops rows with incomplete lags and counts them', () => {
    const sorted = sortRows(table, { column: 'date', type: 'date' }).table;
    const r = addLags(sorted, { column: 'price', count: 2, group_by: 'symbol' });
    expect(r.table.columns).toEqual(['symbol', 'date', 'price', 'price_lag1', 'price_lag2']);
    // A: 1,2,3,4 → rows for 3 (lags 2,1) and 4 (lags 3,2); B: 10,20 → none.
    expect(r.table.rows.map((x) => x.cells.slice(2))).toEqual([['3', 2, 1], ['4', 3, 2]]);
    expect(r.account.rowsIn).toBe(6);
    expect(r.account.rowsOut).toBe(2);
    expect(r.account.detail).toMatch(/4 rows with incomplete lags dropped/);
    const ungrouped = addLags(sorted, { column: 'price', count: 1 });
    expect(ungrouped.table.rows).toHaveLength(5);
  });
});

describe('split and standardization', () => {
  it('chronological split keeps the last fraction for validation', () => {
    const { indices, account } = splitRows(113, { method: 'chronological', validation: 0.2 }, 42);
    expect(indices.train).toHaveLength(90);
    expect(indices.validation).toEqual(Array.from({ length: 23 }, (_, i) => 90 + i));
    expect(account.detail).toMatch(/90 training, 23 validation/);
  });

  it('random split is seeded, disjoint and complete', () => {
    const a = splitRows(50, { method: 'random', validation: 0.3, seed: 5 }, 42).indices;
    const b = splitRows(50, { method: 'random', validation: 0.3, seed: 5 }, 42).indices;
    expect(b).toEqual(a);
    expect(a.validation).toHaveLength(15);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(splitRows(50, { method: 'random', validation: 0.3, seed: 6 }, 42).indices.validation).not.toEqual(a.validation);
  });

  it('z-score is fitted on the training rows only and inverts for the target', () => {
    const xTrain = [[1, 10], [3, 10]];
    const { fitted, account } = fitPreprocessing(xTrain, [2, 4], ['a', 'b'], 'y', { columns: 'features', target: true });
    expect(fitted.standardize.features).toEqual({ a: { mean: 2, std: 1 }, b: { mean: 10, std: 1 } });
    expect(fitted.standardize.target).toEqual({ mean: 3, std: 1 });
    expect(transformFeatures(fitted, [[5, 12]])).toEqual([[3, 2]]);
    expect(inverseTarget(fitted, transformTarget(fitted, [7, -1]))).toEqual([7, -1]);
    expect(account).toEqual({ step: 'standardize', rowsIn: 2, rowsOut: 2, detail: 'z-score of 2 features and the target, fitted on the 2 training rows' });
    expect(() => fitPreprocessing(xTrain, [2, 4], ['a', 'b'], 'y', { columns: ['c'] })).toThrow(/'c' is not one of the model's features/);
  });
});
