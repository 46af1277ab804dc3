/**
 * The row-table view of a CSV file: the one CSV loader (./frame/load.ts, papaparse over streamed chunks) read with
 * every column as text and no missing-value tokens, so each cell is the file's text (trimmed) and each row keeps
 * its line. The row-table steps (./rows.ts, ./lags.ts, ./dataset.ts) and the spec's data profile use this view.
 */
import type { ColumnKind, Frame } from './frame/frame';
import { loadCsvFrame, parseCsvFrame } from './frame/load';
import type { Table } from './table';

/** Every column declared categorical, whatever its name: cells stay the file's texts (no type inference). */
const ALL_TEXT: Readonly<Record<string, ColumnKind>> = new Proxy({}, { get: () => 'categorical' });

function toTable(frame: Frame): Table {
  const n = frame.lines.length;
  const cols = frame.columns.map((c) => (c.kind === 'categorical' ? c : undefined));
  const rows = Array.from({ length: n }, (_, i) => ({
    line: frame.lines[i]!,
    cells: cols.map((c) => (c && c.codes[i]! >= 0 ? c.categories[c.codes[i]!]! : '')),
  }));
  return { file: frame.file, columns: frame.columns.map((c) => c.name), rows };
}

/**
 * Parses CSV text into a table of text cells, `[n_rows][n_columns]`, trimmed.
 * @param text the file's content; `file` names it in errors.
 * @throws DataError with the line (and the column where there is one) for malformed CSV (unclosed quote, a row
 *   with the wrong number of fields), an empty file, empty or duplicate column names.
 */
export function parseCsv(text: string, file: string): Table {
  return toTable(parseCsvFrame(text, file, { missing: [], types: ALL_TEXT }).frame);
}

/** Reads and parses a CSV file (streamed). @throws DataError when the file cannot be read or parsed. */
export function loadCsv(path: string): Table {
  return toTable(loadCsvFrame(path, { missing: [], types: ALL_TEXT }).frame);
}
