/**
 * The data a spec points at, as the spec language needs it: the CSV header (or the Parquet schema's columns), per-column statistics (type, missing
 * share, min/mean/max or top categories) and the text cells for row counts after filters and lags.
 * Read once per file version: cached by absolute path, modification time and size, so that a check after every
 * keystroke costs one `stat`; `invalidateDataProfile` drops an entry when the file watcher reports a change.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parseCsv } from '../data/csv';
import { parseDate } from '../data/dates';
import { cellText } from '../data/frame/frame';
import { isParquetPath, loadParquetFrameSync } from '../data/frame/parquet';

export type ColumnKind = 'numeric' | 'date' | 'text' | 'empty';

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Missing cells (empty after trimming, or a token of MISSING_TOKENS such as NA), of `rows`. */
  missing: number;
  /** Distinct non-empty values (counted exactly). */
  distinct: number;
  /** For numeric columns: over the non-empty cells. */
  min?: number;
  mean?: number;
  max?: number;
  /** Whether every numeric cell is a whole number (numeric columns). */
  integer?: boolean;
  /** Numeric columns: cells that are neither missing nor numbers, and a few of them. */
  nonNumeric?: number;
  nonNumericExamples?: string[];
  /** For text and date columns: the most frequent values, most frequent first (at most 5). */
  top?: { value: string; count: number }[];
  /** Every distinct value, sorted, when there are at most `MAX_LISTED_VALUES` (a classification target's classes). */
  values?: string[];
}

/** A column with at most this many distinct values lists them in its profile. */
export const MAX_LISTED_VALUES = 100;

export interface DataProfile {
  path: string;
  /** sha256 of the file's bytes (hex), as a run report records it: tells whether results are stale. */
  sha256: string;
  /** Rows without the header. */
  rows: number;
  columns: ColumnProfile[];
  /** The text cells, `[rows][columns]`, trimmed. */
  cells: string[][];
}

/** Why a data file gives no profile: unreadable, not a CSV table or not Parquet (message with the line when known). */
export interface DataProfileError { error: string }

interface Entry { mtimeMs: number; size: number; result: DataProfile | DataProfileError }
const cache = new Map<string, Entry>();

/**
 * The profile of the CSV or Parquet file (by extension) at absolute `path`, from the cache when the file's mtime and size are unchanged.
 * Returns `{ error }` for a file that cannot be read or parsed (malformed CSV, duplicate header names); never throws.
 */
export function dataProfile(path: string): DataProfile | DataProfileError {
  let mtimeMs: number;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { error: 'is not a file' };
    mtimeMs = st.mtimeMs;
    size = st.size;
  } catch (e) {
    return { error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.result;
  const result = readProfile(path);
  cache.set(path, { mtimeMs, size, result });
  return result;
}

/** Forgets the cached profile of `path` (all profiles when omitted), e.g. on `workspace/didChangeWatchedFiles`. */
export function invalidateDataProfile(path?: string): void {
  if (path === undefined) cache.clear();
  else cache.delete(path);
}

export function isProfile(p: DataProfile | DataProfileError | undefined): p is DataProfile {
  return p !== undefined && !('error' in p);
}

function readProfile(path: string): DataProfile | DataProfileError {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const parquet = isParquetPath(path);
  try {
    // Hashed as bytes, the way a run report hashes the file.
    const profile = parquet ? profileParquet(path) : profileCsvText(bytes.toString('utf8'), path);
    return { ...profile, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (e) {
    // DataError messages start with the file; the diagnostic names the file already.
    const message = (e as Error).message;
    const rest = message.startsWith(path) ? message.slice(path.length).replace(/^\s*\((.*?)\):\s*/, '$1: ').replace(/^:\s*/, '') : message;
    return { error: `is not a readable ${parquet ? 'Parquet file' : 'CSV table'}: ${rest}` };
  }
}

/**
 * The profile of a Parquet file (`.parquet`, `.pq`): the columns of its schema, in order, decoded by the pipeline's
 * own Parquet loader; cells as text (numbers via String, dates as ISO days, missing as ''), then profiled as a CSV's.
 * @throws DataError as loadParquetFrameSync (not Parquet, nested columns, a text in a numeric column).
 */
export function profileParquet(path: string): Omit<DataProfile, 'sha256'> {
  const { frame } = loadParquetFrameSync(path);
  const n = frame.lines.length;
  const cells = Array.from({ length: n }, (_, i) => frame.columns.map((c) => cellText(c, i) ?? ''));
  const columns = frame.columns.map((c, j) => profileColumn(c.name, cells.map((row) => row[j]!)));
  return { path, rows: n, columns, cells };
}

/** The profile of CSV text (`file` names it). @throws DataError for malformed CSV (see `parseCsv`). */
export function profileCsvText(text: string, file: string): Omit<DataProfile, 'sha256'> {
  const table = parseCsv(text, file);
  const cells = table.rows.map((r) => r.cells.map((c) => String(c).trim()));
  const columns = table.columns.map((name, j) => profileColumn(name, cells.map((row) => row[j] ?? '')));
  return { path: file, rows: cells.length, columns, cells };
}

/** Cells that mean "no value" (the data loader's default missing-value tokens). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '.']);
/** A column whose non-missing cells are at least this share numbers is numeric (the rest are bad cells). */
export const NUMERIC_SHARE = 0.9;

function profileColumn(name: string, values: string[]): ColumnProfile {
  const present = values.filter((v) => !MISSING_TOKENS.has(v));
  const missing = values.length - present.length;
  const counts = new Map<string, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (!present.length) return { name, kind: 'empty', missing, distinct: 0 };
  const listed = counts.size <= MAX_LISTED_VALUES ? { values: [...counts.keys()].sort() } : {};
  const numbers = present.map(Number).filter(Number.isFinite);
  // Mostly numbers: a numeric column with a few bad cells (the run reports each with its line), not a text one.
  if (numbers.length >= NUMERIC_SHARE * present.length) {
    let min = Infinity; let max = -Infinity; let sum = 0;
    for (const x of numbers) { if (x < min) min = x; if (x > max) max = x; sum += x; }
    const bad = present.filter((v) => !Number.isFinite(Number(v)));
    return {
      name, kind: 'numeric', missing, distinct: counts.size, min, max, mean: sum / numbers.length, integer: numbers.every(Number.isInteger),
      ...(bad.length ? { nonNumeric: bad.length, nonNumericExamples: [...new Set(bad)].slice(0, 3) } : {}), ...listed,
    };
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([value, count]) => ({ value, count }));
  // A date column: every distinct value parses as a date (checked on the distinct values only).
  const kind: ColumnKind = [...counts.keys()].every((v) => parseDate(v) !== undefined) ? 'date' : 'text';
  return { name, kind, missing, distinct: counts.size, top, ...listed };
}

/** A column's profile by name. */
export function columnOf(profile: DataProfile, name: string): ColumnProfile | undefined {
  return profile.columns.find((c) => c.name === name);
}

/** A one-line summary of a column for hover and messages: type, missing share, min/mean/max or top values. */
export function describeColumn(c: ColumnProfile, rows: number): string[] {
  const pct = (n: number): string => `${rows ? ((100 * n) / rows).toFixed(rows >= 1000 ? 2 : 1) : '0'} %`;
  const num = (x: number | undefined): string => (x === undefined ? '?' : Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString());
  const lines = [`**${c.name}**: ${c.kind} column, ${rows} rows, ${c.missing} missing (${pct(c.missing)}), ${c.distinct} distinct`];
  if (c.kind === 'numeric') lines.push(`min ${num(c.min)} · mean ${num(c.mean)} · max ${num(c.max)}`);
  if (c.nonNumeric) lines.push(`${c.nonNumeric} cell${c.nonNumeric === 1 ? '' : 's'} not a number: ${c.nonNumericExamples!.map((v) => `\`${v}\``).join(', ')}`);
  else if (c.top?.length) lines.push(`top: ${c.top.map((t) => `\`${t.value}\` (${t.count})`).join(', ')}`);
  return lines;
}
