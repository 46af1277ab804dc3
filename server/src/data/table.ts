/**
 * The in-memory table the data steps pass along: the CSV's rows, each remembering its line in the file so that
 * every later error can point at it.
 */
import { DataError } from './errors';

/** A CSV cell (text) or a value a step computed (number). */
export type Cell = string | number;

export interface TableRow {
  /** 1-based line of the row in the CSV file (the header is line 1). */
  line: number;
  /** One cell per column of the table, in the order of `Table.columns`. */
  cells: Cell[];
}

export interface Table {
  /** The CSV file the rows came from (for error messages). */
  file: string;
  columns: string[];
  rows: TableRow[];
}

/** The index of a column; throws DataError naming the known columns when it is absent. */
export function columnIndex(table: Table, column: string): number {
  const i = table.columns.indexOf(column);
  if (i < 0) {
    throw new DataError(`no column '${column}'; the columns are ${table.columns.map((c) => `'${c}'`).join(', ')}`, { file: table.file });
  }
  return i;
}

/**
 * A cell as a finite number. Text is parsed with `Number` after trimming.
 * @throws DataError at the row's line and the column when the cell is empty or not a finite number.
 */
export function numericCell(table: Table, row: TableRow, col: number): number {
  const cell = row.cells[col];
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return cell;
  } else if (cell !== undefined) {
    const text = cell.trim();
    const value = text === '' ? NaN : Number(text);
    if (Number.isFinite(value)) return value;
    throw new DataError(text === '' ? 'empty cell where a number is expected' : `'${text}' is not a number`,
      { file: table.file, line: row.line, column: table.columns[col] });
  }
  throw new DataError('missing or non-finite value where a number is expected', { file: table.file, line: row.line, column: table.columns[col] });
}

/** The column's values as numbers, one per row. @throws DataError as `numericCell`. */
export function numericColumn(table: Table, column: string): number[] {
  const col = columnIndex(table, column);
  return table.rows.map((row) => numericCell(table, row, col));
}

/** Whether every cell of the column reads as a finite number (for choosing default features). */
export function isNumericColumn(table: Table, column: string): boolean {
  const col = table.columns.indexOf(column);
  if (col < 0 || table.rows.length === 0) return false;
  return table.rows.every((row) => {
    const c = row.cells[col];
    return typeof c === 'number' ? Number.isFinite(c) : c !== undefined && c.trim() !== '' && Number.isFinite(Number(c));
  });
}
