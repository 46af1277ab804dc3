/**
 * The columnar in-memory table of the data layer: one typed array per column, so that a million rows of twenty
 * columns fit in a few hundred megabytes (Apache Arrow's layout in miniature).
 *
 * - `numeric`, `boolean` (0/1) and `date` (UTC milliseconds) columns hold a Float64Array with NaN for missing;
 * - `categorical` columns are dictionary-encoded: an Int32Array of codes into `categories`, −1 for missing.
 * Each row remembers its 1-based line in the CSV file (the header is line 1), so every error can point at it.
 */
import { DataError } from '../errors';

export type ColumnKind = 'numeric' | 'categorical' | 'boolean' | 'date';

export interface ValueColumn {
  name: string;
  kind: 'numeric' | 'boolean' | 'date';
  /** [n_rows], NaN = missing. One-hot indicators (never missing) are 0/1 bytes. */
  values: Float64Array | Uint8Array;
}

export interface CategoricalColumn {
  name: string;
  kind: 'categorical';
  /** [n_rows], index into `categories`, −1 = missing. */
  codes: Int32Array;
  /** The distinct texts, in order of first appearance in the file. */
  categories: string[];
}

export type Column = ValueColumn | CategoricalColumn;

export interface Frame {
  /** The file the rows came from (for error messages). */
  file: string;
  columns: Column[];
  /** [n_rows] 1-based CSV line on which each row starts. */
  lines: Int32Array;
}

export function rowCount(frame: Frame): number {
  return frame.lines.length;
}

/** The column named `name`. @throws DataError naming the known columns when it is absent. */
export function getColumn(frame: Frame, name: string): Column {
  const c = frame.columns.find((col) => col.name === name);
  if (!c) throw new DataError(`no column '${name}'; the columns are ${frame.columns.map((x) => `'${x.name}'`).join(', ')}`, { file: frame.file });
  return c;
}

/** Whether the cell at `row` is missing. */
export function isMissing(col: Column, row: number): boolean {
  return col.kind === 'categorical' ? col.codes[row]! < 0 : Number.isNaN(col.values[row]!);
}

/** Number of missing cells of a column. */
export function missingCount(col: Column): number {
  let n = 0;
  if (col.kind === 'categorical') { for (const c of col.codes) if (c < 0) n++; } else { for (const v of col.values) if (v !== v) n++; }
  return n;
}

/** A cell as text (categories as written, numbers via String, dates as ISO days), or undefined when missing. */
export function cellText(col: Column, row: number): string | undefined {
  if (col.kind === 'categorical') {
    const c = col.codes[row]!;
    return c < 0 ? undefined : col.categories[c];
  }
  const v = col.values[row]!;
  if (Number.isNaN(v)) return undefined;
  if (col.kind === 'date') return new Date(v).toISOString().replace(/T00:00:00\.000Z$/, '');
  if (col.kind === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** The rows at `indices` (in that order), every column kept; categories are shared, not copied. */
export function takeRows(frame: Frame, indices: ArrayLike<number>): Frame {
  const n = indices.length;
  const lines = new Int32Array(n);
  for (let i = 0; i < n; i++) lines[i] = frame.lines[indices[i]!]!;
  const columns = frame.columns.map((col): Column => {
    if (col.kind === 'categorical') {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = col.codes[indices[i]!]!;
      return { ...col, codes };
    }
    const values = new (col.values instanceof Uint8Array ? Uint8Array : Float64Array)(n);
    for (let i = 0; i < n; i++) values[i] = col.values[indices[i]!]!;
    return { ...col, values };
  });
  return { file: frame.file, columns, lines };
}

/** The frame with `columns` replaced or appended (by name, keeping the original order). */
export function withColumns(frame: Frame, columns: readonly Column[]): Frame {
  const next = [...frame.columns];
  for (const c of columns) {
    const i = next.findIndex((x) => x.name === c.name);
    if (i >= 0) next[i] = c; else next.push(c);
  }
  return { ...frame, columns: next };
}

/** The frame without the named columns. */
export function withoutColumns(frame: Frame, names: readonly string[]): Frame {
  const drop = new Set(names);
  return { ...frame, columns: frame.columns.filter((c) => !drop.has(c.name)) };
}

/** The DataError for one cell: its CSV line and column. */
export function cellError(frame: Frame, row: number, column: string, message: string): DataError {
  return new DataError(message, { file: frame.file, line: frame.lines[row], column });
}
