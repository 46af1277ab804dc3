import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../server/src/data/errors';
import { cellText, getColumn, missingCount, type Column } from '../../../server/src/data/frame/frame';
import { loadCsvFrame, parseCsvFrame } from '../../../server/src/data/frame/load';
import { parseNumberText } from '../../../server/src/data/frame/numbers';

function thrown(f: () => unknown): DataError {
  try { f(); } catch (e) { if (e instanceof DataError) return e; throw e; }
  throw new Error('expected a DataError');
}
const texts = (c: Column, n: number) => Array.from({ length: n }, (_, i) => cellText(c, i) ?? null);

describe('streamed CSV loading into columns', () => {
  it('reads quotes with delimiters, doubled quotes and line breaks, a BOM and CRLF, across chunk borders', () => {
    const text = '\uFEFFname,note,price\r\n"Smith, J","said ""hi""",1.5\r\nB,"two\r\nlines",2\r\n\r\nC,,3\r\n';
    for (const chunkBytes of [64, 7, 3, 1]) {
      const { frame, info } = parseCsvFrame(text, 'x.csv', { chunkBytes });
      expect(frame.columns.map((c) => [c.name, c.kind])).toEqual([['name', 'categorical'], ['note', 'categorical'], ['price', 'numeric']]);
      expect(texts(getColumn(frame, 'name'), 3)).toEqual(['Smith, J', 'B', 'C']);
      expect(texts(getColumn(frame, 'note'), 3)).toEqual(['said "hi"', 'two\r\nlines', null]);
      expect([...frame.lines]).toEqual([2, 3, 6]);
      expect(info.rows).toBe(3);
    }
  });

  it('detects ; and tab delimiters, or takes the one set; reads a last line without a line end', () => {
    expect(parseCsvFrame('a;b\n1,5;x\n', 'x.csv').info.delimiter).toBe(';');
    const tab = parseCsvFrame('a\tb\n1\t2', 'x.csv');
    expect([tab.info.delimiter, [...(getColumn(tab.frame, 'b') as { values: Float64Array }).values]]).toEqual(['\t', [2]]);
    const set = parseCsvFrame('a;b,c\n1;2\n', 'x.csv', { delimiter: ';' });
    expect(set.frame.columns.map((c) => c.name)).toEqual(['a', 'b,c']);
  });

  it('reads the missing-value tokens (configurable) and infers numeric, categorical, boolean and date columns', () => {
    const csv = 'n,c,b,d,m\n1,x,true,2012-01-01,-999\nNA,?,FALSE,Jan 2 2012,3\n.,y,,null,4\n2.5e1,x,yes,2012/01/04,NaN\n';
    const { frame, info } = parseCsvFrame(csv, 'x.csv');
    expect(info.types).toEqual({ n: 'numeric', c: 'categorical', b: 'boolean', d: 'date', m: 'numeric' });
    expect(info.missing).toEqual({ n: 2, c: 1, b: 1, d: 1, m: 1 });
    expect([...(getColumn(frame, 'n') as { values: Float64Array }).values]).toEqual([1, NaN, NaN, 25]);
    expect([...(getColumn(frame, 'b') as { values: Float64Array }).values]).toEqual([1, 0, NaN, 1]);
    expect([...(getColumn(frame, 'd') as { values: Float64Array }).values]).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 2), NaN, Date.UTC(2012, 0, 4)]);
    const custom = parseCsvFrame(csv, 'x.csv', { missing: ['', '-999', 'NaN', 'NA', '.', '?'] });
    expect(missingCount(getColumn(custom.frame, 'm'))).toBe(2);
    // 'null' is not a token any more: the d column has a text that is no date, so it is categorical.
    expect(custom.info.types.d).toBe('categorical');
  });

  it('takes declared types and explicit date formats; keeps only the listed columns', () => {
    const csv = 'id,when,v\n007,01/02/2000,1\n010,31/12/2000,2\n';
    const { frame } = parseCsvFrame(csv, 'x.csv', { types: { id: 'categorical' }, dateFormats: { when: 'DD/MM/YYYY' }, columns: ['id', 'when'] });
    expect(frame.columns.map((c) => c.name)).toEqual(['id', 'when']);
    expect(texts(getColumn(frame, 'id'), 2)).toEqual(['007', '010']);
    expect([...(getColumn(frame, 'when') as { values: Float64Array }).values]).toEqual([Date.UTC(2000, 1, 1), Date.UTC(2000, 11, 31)]);
    const e = thrown(() => parseCsvFrame('w\n2000-01-01\n2000-02-30\n', 'x.csv', { types: { w: 'date' } }));
    expect(e.message).toBe("x.csv (line 3, column 'w'): '2000-02-30' is not a date (expected a form like 2012-01-31, 2012/01/31 or Jan 31 2012)");
  });

  it('errors with row and column: text in a numeric column, bad field counts, unclosed quotes, empty file, duplicate names', () => {
    const e = thrown(() => parseCsvFrame('a,b\n1,2\n3,oops\n5,6\n', 'x.csv'));
    expect([e.line, e.column]).toEqual([3, 'b']);
    expect(e.message).toMatch(/^x\.csv \(line 3, column 'b'\): 'oops' is not a number \(2 numbers and 1 texts/);
    expect(thrown(() => parseCsvFrame('a,b\n1,2\n3\n', 'x.csv')).line).toBe(3);
    expect(thrown(() => parseCsvFrame('a,b\n1,"2\n', 'x.csv')).message).toMatch(/line 2.*not closed/);
    expect(thrown(() => parseCsvFrame('a,b\n1,"x"y\n2,3\n', 'x.csv')).message).toBe("x.csv (line 2, column 'b'): malformed CSV: a closing quote is followed by other characters than a delimiter or a line end");
    expect(thrown(() => parseCsvFrame('a,b\n1,2\n"3\nx",4\n5,"6\n', 'x.csv', { chunkBytes: 5 })).message).toBe("x.csv (line 5, column 'b'): malformed CSV: a quoted field is not closed before the end of the file");
    expect(thrown(() => parseCsvFrame('', 'x.csv')).message).toMatch(/empty/);
    expect(thrown(() => parseCsvFrame('\uFEFF\r\n\r\n', 'x.csv')).message).toMatch(/empty/);
    expect(thrown(() => parseCsvFrame('a,b,a\n1,2,3\n', 'x.csv')).message).toBe("x.csv (line 1): the column name 'a' appears twice in the header (columns 1 and 3)");
    expect(thrown(() => parseCsvFrame('a,b\n1,2\n', 'x.csv', { columns: ['c'] })).message).toMatch(/no column 'c'/);
    expect(thrown(() => loadCsvFrame('/nonexistent/x.csv')).message).toMatch(/ENOENT/);
  });

  it('parses numbers from cell texts exactly as Number() does', () => {
    const cases = ['0', '-0.5', '+3', '1e-7', '123456789012345', '0.1', '1.7976931348623157e308', '12345678901234567890', '3.14159265358979323846', '.5', '5.', '1E5'];
    for (const c of cases) expect(parseNumberText(c)).toBe(Number(c));
    for (const c of ['', '.', '-', 'NaN', '1,5', '0x10', 'Infinity', '1e', '1.2.3']) expect(parseNumberText(c)).toBeNaN();
  });

  it('loads the real penguins file: the stray "." and empty cells are missing; names with spaces and parentheses', () => {
    const { frame, info } = loadCsvFrame(join(__dirname, '../../../examples/data/penguins.csv'));
    expect(info.rows).toBe(344);
    expect(info.types).toEqual({
      Species: 'categorical', Island: 'categorical', 'Beak Length (mm)': 'numeric', 'Beak Depth (mm)': 'numeric',
      'Flipper Length (mm)': 'numeric', 'Body Mass (g)': 'numeric', Sex: 'categorical',
    });
    expect(info.missing).toEqual({ Species: 0, Island: 0, 'Beak Length (mm)': 2, 'Beak Depth (mm)': 2, 'Flipper Length (mm)': 2, 'Body Mass (g)': 2, Sex: 11 });
    expect((getColumn(frame, 'Sex') as { categories: string[] }).categories).toEqual(['MALE', 'FEMALE']);
  });

  it('loads a file larger than one read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xai-load-'));
    const path = join(dir, 'big.csv');
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},"g${i % 7}",${i % 3 === 0 ? '' : i / 4}`);
    writeFileSync(path, `i,g,v\n${rows.join('\n')}\n`);
    const { frame, info } = loadCsvFrame(path, { chunkBytes: 1000 });
    expect(info.rows).toBe(5000);
    expect(info.missing.v).toBe(1667);
    expect(frame.lines[4999]).toBe(5001);
    expect((getColumn(frame, 'v') as { values: Float64Array }).values[4999]).toBe(4999 / 4);
  });
});
