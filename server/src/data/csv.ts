/**
 * Loads a CSV file with `csv-parse`: a header row, quoted fields, a UTF-8 byte-order mark and CRLF line ends.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from './errors';
import type { Table } from './table';

interface ParsedRecord { record: string[]; info: { lines: number } }

/**
 * The 1-based line on which each non-empty record starts. csv-parse reports the line where a record ENDS (and
 * counts a CRLF inside a quoted field as two lines), so rows are located by this small scan instead.
 */
function recordStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atStart = true;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    const isBreak = c === '\n' || c === '\r';
    if (isBreak && text[i] === '\r' && text[i + 1] === '\n') i++;
    if (atStart && !isBreak) { starts.push(line); atStart = false; }
    if (c === '"') inQuotes = !inQuotes;
    else if (isBreak) {
      line++;
      if (!inQuotes) atStart = true;
    }
  }
  return starts;
}

/**
 * Parses CSV text into a table of text cells.
 * @param text the file's content; `file` names it in errors.
 * @throws DataError with the line for malformed CSV (unclosed quote, a row with the wrong number of fields),
 *   a missing header, empty or duplicate column names.
 */
export function parseCsv(text: string, file: string): Table {
  let records: ParsedRecord[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    // csv-parse's messages already say what broke; keep them, locate them on our terms.
    const message = (err.message ?? String(e)).replace(/^Invalid (Record Length|Closing Quote|Opening Quote):?\s*/, '$1: ');
    throw new DataError(`malformed CSV: ${message}`, { file, line: err.lines });
  }
  const header = records[0];
  if (!header) throw new DataError('the file is empty: a header row is expected', { file });
  const columns = header.record.map((c) => c.trim());
  columns.forEach((c, i) => {
    if (c === '') throw new DataError(`column ${i + 1} of the header has no name`, { file, line: 1 });
    if (columns.indexOf(c) !== i) throw new DataError(`the column name '${c}' appears twice in the header`, { file, line: 1 });
  });
  const starts = recordStartLines(text);
  const exact = starts.length === records.length;
  const rows = records.slice(1).map((r, i) => ({ line: exact ? starts[i + 1]! : r.info.lines, cells: r.record as (string | number)[] }));
  return { file, columns, rows };
}

/** Reads and parses a CSV file. @throws DataError when the file cannot be read or parsed. */
export function loadCsv(path: string): Table {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  return parseCsv(text, path);
}
