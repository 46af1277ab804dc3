/**
 * Label encoding of a classification target: the distinct labels in sorted order (as scikit-learn's
 * LabelEncoder, so class indices agree with the reference figures), each row's label as an index.
 */
import { DataError } from '../data/errors';
import { columnIndex, type Table } from '../data/table';

/** Sort order of labels: numerically when every label is a number, else by code unit (stable across locales). */
function compareLabels(a: string, b: string, numeric: boolean): number {
  if (numeric) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Encodes labels [n_samples] (cells as text) into class indices [n_samples] and the sorted class list.
 * Labels are trimmed; numeric labels sort by value (2 before 10).
 * @throws Error naming the row (0-based) of an empty label, or when there are fewer than 2 classes.
 */
export function encodeLabels(labels: readonly (string | number)[]): { classes: string[]; y: number[] } {
  const text = labels.map((l, i) => {
    const t = String(l).trim();
    if (t === '') throw new Error(`row ${i}: empty class label`);
    return t;
  });
  const distinct = [...new Set(text)];
  const numeric = distinct.every((l) => Number.isFinite(Number(l)));
  const classes = distinct.sort((a, b) => compareLabels(a, b, numeric));
  if (classes.length < 2) throw new Error(`classification needs at least 2 classes; the target has ${classes.length} (${classes.join(', ')})`);
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, y: text.map((t) => index.get(t)!) };
}

/** Class indices [n_samples] of labels with a known class list. @throws Error naming the row of an unknown label. */
export function encodeWithClasses(labels: readonly (string | number)[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  return labels.map((l, i) => {
    const k = index.get(String(l).trim());
    if (k === undefined) throw new Error(`row ${i}: class label '${String(l)}' was not seen in training (${classes.join(', ')})`);
    return k;
  });
}

/**
 * The table with the target column's labels replaced by class indices (sorted label order).
 * @throws DataError-like Error naming the CSV line of an empty label, or when there are fewer than 2 classes.
 */
export function encodeTableTarget(table: Table, target: string): { table: Table; classes: string[] } {
  const col = columnIndex(table, target);
  const cells = table.rows.map((r) => r.cells[col] ?? '');
  const empty = cells.findIndex((c) => String(c).trim() === '');
  if (empty >= 0) throw new DataError('empty class label in the target column', { file: table.file, line: table.rows[empty]!.line, column: target });
  let encoded: { classes: string[]; y: number[] };
  try {
    encoded = encodeLabels(cells);
  } catch (e) {
    throw new DataError(`target '${target}': ${(e as Error).message}`, { file: table.file, column: target });
  }
  const rows = table.rows.map((r, i) => ({ line: r.line, cells: r.cells.map((c, j) => (j === col ? encoded.y[i]! : c)) }));
  return { table: { ...table, rows }, classes: encoded.classes };
}
