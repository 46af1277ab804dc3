/**
 * Feature extraction that looks at other rows of the same series (lags, rolling windows, differences, returns)
 * or at a date's calendar (date parts). Such steps fit nothing, so they run on all rows before the split.
 *
 * Forecast horizon h (default 1): the features of row t use the values of rows t − h and earlier in the row's
 * group (in the frame's current order), never row t itself, so that the model can forecast h rows ahead. Rows
 * whose window reaches before the group's start are dropped and counted in the account.
 */
import { DataError } from '../errors';
import { plural, type DataStepAccount } from './account';
import { getColumn, rowCount, takeRows, withColumns, type Column, type Frame, type ValueColumn } from './frame';

export type RollingStat = 'mean' | 'std' | 'min' | 'max';
export type DatePart = 'year' | 'month' | 'day' | 'weekday' | 'day_of_year';

export interface WindowOptions { column: string; group_by?: string; horizon?: number }

/** The row indices of each group, in frame order (one group when `groupBy` is undefined). */
function groups(frame: Frame, groupBy: string | undefined): number[][] {
  const n = rowCount(frame);
  if (groupBy === undefined) return [Array.from({ length: n }, (_, i) => i)];
  const col = getColumn(frame, groupBy);
  const map = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = col.kind === 'categorical' ? col.codes[i]! : col.values[i]!;
    let g = map.get(key);
    if (!g) map.set(key, g = []);
    g.push(i);
  }
  return [...map.values()];
}

function numericValues(frame: Frame, column: string): Float64Array {
  const col = getColumn(frame, column);
  if (col.kind === 'categorical') throw new DataError('a window step needs a numeric column, this one holds texts', { file: frame.file, column });
  return col.values instanceof Float64Array ? col.values : Float64Array.from(col.values);
}

/**
 * Runs a window feature: `make(values, pos, groupRows)` gives the new columns' values at group position `pos`
 * (only called when pos ≥ `need`); rows with pos < need are dropped.
 */
function windowStep(
  frame: Frame, step: string, opts: WindowOptions, need: number, names: string[],
  make: (v: Float64Array, rows: number[], pos: number, out: number[]) => void,
): { frame: Frame; account: DataStepAccount } {
  const h = opts.horizon ?? 1;
  if (!Number.isInteger(h) || h < 0) throw new DataError(`${step}: horizon must be a non-negative integer, not ${h}`, { file: frame.file });
  for (const name of names) if (frame.columns.some((c) => c.name === name)) throw new DataError(`${step}: the column '${name}' already exists`, { file: frame.file, column: name });
  const v = numericValues(frame, opts.column);
  const n = rowCount(frame);
  const outs = names.map(() => new Float64Array(n));
  const keep = new Uint8Array(n);
  const gs = groups(frame, opts.group_by);
  const tmp: number[] = new Array(names.length);
  for (const rows of gs) {
    for (let pos = need; pos < rows.length; pos++) {
      make(v, rows, pos, tmp);
      const i = rows[pos]!;
      keep[i] = 1;
      for (let k = 0; k < names.length; k++) outs[k]![i] = tmp[k]!;
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) kept.push(i);
  const added: Column[] = names.map((name, k) => ({ name, kind: 'numeric', values: outs[k]! }));
  const next = takeRows(withColumns(frame, added), kept);
  const per = opts.group_by !== undefined ? `, per ${opts.group_by} (${plural(gs.length, 'group')})` : '';
  return {
    frame: next,
    account: {
      step, rowsIn: n, rowsOut: kept.length, added: names,
      detail: `${names.join(', ')} (horizon ${h})${per}; ${n - kept.length} rows with an incomplete window dropped`,
    },
  };
}

/** `<column>_lag<s>` for s = h … h + count − 1: the value s rows earlier in the group. */
export function lagFrame(frame: Frame, opts: WindowOptions & { count: number }): { frame: Frame; account: DataStepAccount } {
  const h = opts.horizon ?? 1;
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new DataError(`lags: count must be a positive integer, not ${opts.count}`, { file: frame.file });
  if (!Number.isInteger(h) || h < 1) throw new DataError(`lags: horizon must be a positive integer, not ${h}`, { file: frame.file });
  const shifts = Array.from({ length: opts.count }, (_, k) => h + k);
  const names = shifts.map((s) => `${opts.column}_lag${s}`);
  return windowStep(frame, 'lags', opts, shifts[shifts.length - 1]!, names, (v, rows, pos, out) => {
    shifts.forEach((s, k) => { out[k] = v[rows[pos - s]!]!; });
  });
}

/**
 * `<column>_rolling<w>_<stat>`: mean, population std (ddof 0), min, max over the w values at rows t − h − w + 1 …
 * t − h of the group. A missing value inside a window makes that window's statistics missing (NaN).
 */
export function rollingFrame(frame: Frame, opts: WindowOptions & { window: number; stats: readonly RollingStat[] }): { frame: Frame; account: DataStepAccount } {
  const h = opts.horizon ?? 1;
  const w = opts.window;
  if (!Number.isInteger(w) || w < 1) throw new DataError(`rolling: window must be a positive integer, not ${w}`, { file: frame.file });
  const names = opts.stats.map((s) => `${opts.column}_rolling${w}_${s}`);
  return windowStep(frame, 'rolling', opts, h + w - 1, names, (v, rows, pos, out) => {
    let sum = 0, min = Infinity, max = -Infinity;
    for (let k = pos - h - w + 1; k <= pos - h; k++) {
      const x = v[rows[k]!]!;
      sum += x; if (x < min) min = x; if (x > max) max = x;
    }
    const mean = sum / w;
    let ss = 0;
    for (let k = pos - h - w + 1; k <= pos - h; k++) ss += (v[rows[k]!]! - mean) ** 2;
    opts.stats.forEach((s, j) => {
      out[j] = Number.isNaN(mean) ? NaN : s === 'mean' ? mean : s === 'std' ? Math.sqrt(ss / w) : s === 'min' ? min : max;
    });
  });
}

/**
 * `<column>_diff<p>` = x[t−h] − x[t−h−p], or with `returns`, `<column>_return<p>` = x[t−h] / x[t−h−p] − 1 (a
 * zero denominator gives a missing value). With horizon 0 the current value is used (for columns known at t).
 */
export function diffFrame(frame: Frame, opts: WindowOptions & { periods?: number; returns?: boolean }): { frame: Frame; account: DataStepAccount } {
  const h = opts.horizon ?? 1;
  const p = opts.periods ?? 1;
  if (!Number.isInteger(p) || p < 1) throw new DataError(`periods must be a positive integer, not ${p}`, { file: frame.file });
  const name = `${opts.column}_${opts.returns ? 'return' : 'diff'}${p}`;
  return windowStep(frame, opts.returns ? 'returns' : 'diff', opts, h + p, [name], (v, rows, pos, out) => {
    const a = v[rows[pos - h]!]!, b = v[rows[pos - h - p]!]!;
    out[0] = opts.returns ? (b === 0 ? NaN : a / b - 1) : a - b;
  });
}

const DAY = 86_400_000;

/**
 * `<column>_<part>` from a date column: year, month (1–12), day (1–31), weekday (0 = Monday … 6 = Sunday, as
 * pandas' `dt.weekday`), day_of_year (1–366). Missing dates give missing parts. Rows are kept.
 */
export function datePartsFrame(frame: Frame, column: string, parts: readonly DatePart[]): { frame: Frame; account: DataStepAccount } {
  const col = getColumn(frame, column);
  if (col.kind !== 'date') throw new DataError(`date_parts needs a date column; this one is ${col.kind}`, { file: frame.file, column });
  const n = rowCount(frame);
  const added: ValueColumn[] = parts.map((part) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = col.values[i]!;
      if (Number.isNaN(t)) { out[i] = NaN; continue; }
      const d = new Date(t);
      out[i] = part === 'year' ? d.getUTCFullYear() : part === 'month' ? d.getUTCMonth() + 1 : part === 'day' ? d.getUTCDate()
        : part === 'weekday' ? (d.getUTCDay() + 6) % 7 : Math.floor((t - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
    }
    return { name: `${column}_${part}`, kind: 'numeric', values: out };
  });
  for (const a of added) if (frame.columns.some((c) => c.name === a.name)) throw new DataError(`date_parts: the column '${a.name}' already exists`, { file: frame.file, column: a.name });
  return {
    frame: withColumns(frame, added),
    account: { step: 'date_parts', rowsIn: n, rowsOut: n, added: added.map((a) => a.name), detail: `${added.map((a) => a.name).join(', ')} from ${column}` },
  };
}
