/**
 * The lag window of a time series: for each row, the values of a column 1 … count rows earlier.
 */
import type { StepAccount } from '../../../protocol/protocol';
import { lagFeatureName } from '../spec/features';
import type { LagsStep } from '../spec/types';
import { DataError } from './errors';
import { columnIndex, numericCell, type Table, type TableRow } from './table';

/**
 * Adds the columns `<column>_lag1 … <column>_lag<count>` (named by `lagFeatureName`): lag k of a row is the
 * column's value k rows earlier in the table's current order, within the row's `group_by` group when given.
 * The first `count` rows of each group have incomplete lags and are dropped (and counted in the account).
 * @throws DataError when the column is missing, a cell of it is not a number (with its line), a lag column
 *   already exists, or count is not a positive integer.
 */
export function addLags(table: Table, lags: LagsStep['lags']): { table: Table; account: StepAccount } {
  const { column, count, group_by: groupBy } = lags;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`lags.count must be a positive integer, not ${count}`, { file: table.file });
  const col = columnIndex(table, column);
  const groupCol = groupBy !== undefined ? columnIndex(table, groupBy) : -1;
  const names = Array.from({ length: count }, (_, k) => lagFeatureName(column, k + 1));
  for (const n of names) if (table.columns.includes(n)) throw new DataError(`the lag column '${n}' already exists`, { file: table.file, column: n });

  const history = new Map<string, number[]>();
  const rows: TableRow[] = [];
  let dropped = 0;
  for (const row of table.rows) {
    const value = numericCell(table, row, col);
    const key = groupCol >= 0 ? String(row.cells[groupCol] ?? '') : '';
    const past = history.get(key) ?? [];
    if (past.length >= count) {
      // past holds the group's earlier values, newest last: lag k is past[past.length - k].
      const lagged = names.map((_, k) => past[past.length - 1 - k]!);
      rows.push({ line: row.line, cells: [...row.cells, ...lagged] });
    } else {
      dropped++;
    }
    past.push(value);
    if (past.length > count) past.shift();
    history.set(key, past);
  }
  const groups = groupCol >= 0 ? `, per ${groupBy} (${history.size} groups)` : '';
  return {
    table: { file: table.file, columns: [...table.columns, ...names], rows },
    account: {
      step: 'lags', rowsIn: table.rows.length, rowsOut: rows.length,
      detail: `${names[0]}…${names[names.length - 1]} (${count} features)${groups}; ${dropped} rows with incomplete lags dropped`,
    },
  };
}
