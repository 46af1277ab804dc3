/**
 * The model's view of a table: a feature matrix and a target vector.
 */
import { numericColumn, type Table } from './table';

export interface Dataset {
  features: string[];
  target: string;
  /** [n_samples, n_features] */
  x: number[][];
  /** [n_samples] */
  y: number[];
  /** [n_samples] the CSV line of each sample. */
  lines: number[];
}

/**
 * Takes the feature columns and the target column as numbers.
 * @throws DataError at the line and column of the first cell that is not a number, or for a missing column.
 */
export function toDataset(table: Table, features: readonly string[], target: string): Dataset {
  const columns = features.map((f) => numericColumn(table, f));
  const y = numericColumn(table, target);
  const x = table.rows.map((_, i) => columns.map((c) => c[i]!));
  return { features: [...features], target, x, y, lines: table.rows.map((r) => r.line) };
}

/** The samples at the given indices. */
export function subset(d: Dataset, indices: readonly number[]): Dataset {
  return { ...d, x: indices.map((i) => d.x[i]!), y: indices.map((i) => d.y[i]!), lines: indices.map((i) => d.lines[i]!) };
}
