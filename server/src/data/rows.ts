/**
 * Row steps: keep rows by a filter, order rows by a column. Each returns a new table and its step account.
 */
import type { StepAccount } from '../../../protocol/protocol';
import type { FilterSpec, SortSpec } from '../spec/types';
import { parseDate } from './dates';
import { DataError } from './errors';
import { columnIndex, numericCell, type Table } from './table';

/**
 * Keeps the rows whose cells equal every filter's value, compared as text after trimming (`equals: 1` keeps
 * `1`, not `1.0`).
 * @throws DataError when a filter names a column that does not exist.
 */
export function filterRows(table: Table, filters: readonly FilterSpec[]): { table: Table; account: StepAccount } {
  const tests = filters.map((f) => ({ col: columnIndex(table, f.column), value: String(f.equals).trim() }));
  const rows = table.rows.filter((row) => tests.every((t) => String(row.cells[t.col] ?? '').trim() === t.value));
  const detail = filters.map((f) => `${f.column} = ${String(f.equals)}`).join(' and ');
  return { table: { ...table, rows }, account: { step: 'filter', rowsIn: table.rows.length, rowsOut: rows.length, detail } };
}

/** The sort key of every row: numbers, dates (UTC ms) or texts. @throws DataError at the first unreadable cell. */
function sortKeys(table: Table, col: number, type: NonNullable<SortSpec['type']>): (number | string)[] {
  return table.rows.map((row) => {
    if (type === 'number') return numericCell(table, row, col);
    const text = String(row.cells[col] ?? '');
    if (type === 'text') return text;
    const t = parseDate(text);
    if (t === undefined) {
      throw new DataError(`'${text}' is not a date (expected a form like 2012-01-31 or Jan 31 2012)`,
        { file: table.file, line: row.line, column: table.columns[col] });
    }
    return t;
  });
}

/**
 * Orders the rows by one column, ascending; ties keep their file order (stable). `type` defaults to `number`.
 * @throws DataError at the row and column of a cell that is not a number or a date when one is expected.
 */
export function sortRows(table: Table, sort: SortSpec): { table: Table; account: StepAccount } {
  const col = columnIndex(table, sort.column);
  const type = sort.type ?? 'number';
  const keys = sortKeys(table, col, type);
  const order = table.rows.map((_, i) => i).sort((a, b) => {
    const ka = keys[a] as number | string;
    const kb = keys[b] as number | string;
    if (ka < kb) return -1;
    if (ka > kb) return 1;
    return a - b;
  });
  const rows = order.map((i) => table.rows[i]!);
  return {
    table: { ...table, rows },
    account: { step: 'sort', rowsIn: table.rows.length, rowsOut: rows.length, detail: `by ${sort.column} (${type}), ascending` },
  };
}
