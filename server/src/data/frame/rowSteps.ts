/**
 * Row steps on a Frame that fit nothing (so they run on all rows before the split): filter, sort, drop duplicate
 * rows, drop rows by missing cells. Each returns the new frame and its account.
 */
import { DataError } from '../errors';
import type { DataStepAccount } from './account';
import { cellText, getColumn, isMissing, rowCount, takeRows, type Frame } from './frame';

export interface RowFilter {
  column: string;
  /** Keep rows whose cell, as text, equals this. */
  equals?: string | number | boolean;
  /** Keep rows whose cell, as text, is one of these. */
  in?: (string | number | boolean)[];
  /** Keep rows whose numeric (or date) cell is ≥ min / ≤ max; dates are compared as ISO day texts. */
  min?: number | string;
  max?: number | string;
}

function bound(frame: Frame, column: string, kind: string, v: number | string): number {
  if (typeof v === 'number') return v;
  const t = kind === 'date' ? Date.parse(v) : Number(v);
  if (!Number.isFinite(t)) throw new DataError(`filter bound '${v}' is not a ${kind === 'date' ? 'date' : 'number'}`, { file: frame.file, column });
  return t;
}

/** Keeps the rows that pass every filter. Missing cells never pass. @throws DataError for an unknown column. */
export function filterFrame(frame: Frame, filters: readonly RowFilter[]): { frame: Frame; account: DataStepAccount } {
  const n = rowCount(frame);
  const tests = filters.map((f) => {
    const col = getColumn(frame, f.column);
    const texts = f.in ? new Set(f.in.map((v) => String(v).trim())) : f.equals !== undefined ? new Set([String(f.equals).trim()]) : undefined;
    const lo = f.min !== undefined ? bound(frame, f.column, col.kind, f.min) : -Infinity;
    const hi = f.max !== undefined ? bound(frame, f.column, col.kind, f.max) : Infinity;
    if ((f.min !== undefined || f.max !== undefined) && col.kind === 'categorical') {
      throw new DataError('min/max filters need a numeric or date column', { file: frame.file, column: f.column });
    }
    return (i: number) => {
      if (isMissing(col, i)) return false;
      if (texts && !texts.has(cellText(col, i)!)) return false;
      if (col.kind !== 'categorical' && (col.values[i]! < lo || col.values[i]! > hi)) return false;
      return true;
    };
  });
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (tests.every((t) => t(i))) keep.push(i);
  const detail = filters.map((f) => `${f.column}${f.equals !== undefined ? ` = ${String(f.equals)}` : ''}${f.in ? ` in [${f.in.join(', ')}]` : ''}${f.min !== undefined ? ` ≥ ${f.min}` : ''}${f.max !== undefined ? ` ≤ ${f.max}` : ''}`).join(' and ');
  return { frame: takeRows(frame, keep), account: { step: 'filter', rowsIn: n, rowsOut: keep.length, detail: `kept rows where ${detail}; ${n - keep.length} dropped` } };
}

/**
 * Orders rows by columns (numbers, dates, or categories as text), ascending unless `descending`; stable, so ties
 * keep file order; missing cells go last.
 */
export function sortFrame(frame: Frame, by: readonly string[], descending = false): { frame: Frame; account: DataStepAccount } {
  const n = rowCount(frame);
  const cols = by.map((c) => getColumn(frame, c));
  const sign = descending ? -1 : 1;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (const col of cols) {
      const ma = isMissing(col, a), mb = isMissing(col, b);
      if (ma || mb) { if (ma !== mb) return ma ? 1 : -1; continue; }
      const d = col.kind === 'categorical'
        ? (col.categories[col.codes[a]!]! < col.categories[col.codes[b]!]! ? -1 : col.categories[col.codes[a]!]! > col.categories[col.codes[b]!]! ? 1 : 0)
        : col.values[a]! - col.values[b]!;
      if (d !== 0) return sign * d;
    }
    return a - b;
  });
  return { frame: takeRows(frame, order), account: { step: 'sort', rowsIn: n, rowsOut: n, detail: `by ${by.join(', ')}${descending ? ' (descending)' : ''}` } };
}

/** The text key of a row over some columns (missing cells as a symbol no CSV text can be). */
function rowKey(frame: Frame, columns: readonly string[], i: number): string {
  return columns.map((c) => cellText(getColumn(frame, c), i) ?? '\u0000NA').join('\u0001');
}

/** Drops rows equal to an earlier row on `columns` (default all), keeping the first. */
export function dropDuplicates(frame: Frame, columns?: readonly string[]): { frame: Frame; account: DataStepAccount } {
  const n = rowCount(frame);
  const cols = columns ?? frame.columns.map((c) => c.name);
  const seen = new Set<string>();
  const keep: number[] = [];
  const droppedLines: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = rowKey(frame, cols, i);
    if (seen.has(k)) droppedLines.push(frame.lines[i]!); else { seen.add(k); keep.push(i); }
  }
  const lines = droppedLines.length ? ` (lines ${droppedLines.slice(0, 10).join(', ')}${droppedLines.length > 10 ? ', …' : ''})` : '';
  return {
    frame: takeRows(frame, keep),
    account: { step: 'drop_duplicates', rowsIn: n, rowsOut: keep.length, detail: `${n - keep.length} duplicate rows dropped${lines}${columns ? ` (compared on ${columns.join(', ')})` : ''}` },
  };
}

/**
 * Drops rows with a missing cell in any of `columns`, and rows whose share of missing cells (over all columns)
 * exceeds `maxShare`.
 */
export function dropMissingRows(frame: Frame, opts: { columns?: readonly string[]; maxShare?: number }): { frame: Frame; account: DataStepAccount } {
  const n = rowCount(frame);
  const must = (opts.columns ?? []).map((c) => getColumn(frame, c));
  const share = opts.maxShare;
  const keep: number[] = [];
  let byColumns = 0, byShare = 0;
  for (let i = 0; i < n; i++) {
    if (must.some((c) => isMissing(c, i))) { byColumns++; continue; }
    if (share !== undefined) {
      let m = 0;
      for (const c of frame.columns) if (isMissing(c, i)) m++;
      if (m / frame.columns.length > share) { byShare++; continue; }
    }
    keep.push(i);
  }
  const why = [
    opts.columns?.length ? `${byColumns} with a missing ${opts.columns.join(' / ')}` : '',
    share !== undefined ? `${byShare} with more than ${share * 100} % of their cells missing` : '',
  ].filter(Boolean).join(', ');
  return { frame: takeRows(frame, keep), account: { step: 'drop_missing', rowsIn: n, rowsOut: keep.length, detail: `${n - keep.length} rows dropped: ${why}` } };
}
