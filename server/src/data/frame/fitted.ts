/**
 * Transforms with fitted statistics: missing-column drop, imputation, outlier clipping, one-hot encoding,
 * standardization and min-max scaling. Each `fit…` learns from the TRAINING rows only (the indices it is given)
 * and returns a JSON-able fitted step; `applyFitted` applies a fitted step to any frame (training, validation,
 * or the raw CSV reloaded later) so that the features are reproduced exactly.
 */
import { DataError } from '../errors';
import { plural, type DataStepAccount } from './account';
import { getColumn, missingCount, rowCount, withColumns, withoutColumns, type CategoricalColumn, type Column, type Frame, type ValueColumn } from './frame';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';
export type UnseenRule = 'ignore' | 'error';

/** A fitted step, saved as JSON in the data pipeline file. */
export type FittedStep =
  | { step: 'drop_columns'; columns: { column: string; reason: string }[] }
  | { step: 'impute'; strategy: ImputeStrategy; values: Record<string, number | string> }
  | { step: 'clip'; method: 'iqr' | 'zscore'; factor: number; bounds: Record<string, { low: number; high: number }> }
  | { step: 'one_hot'; unseen: UnseenRule; columns: Record<string, { categories: string[]; names: string[] }> }
  | { step: 'standardize'; params: Record<string, { mean: number; std: number }> }
  | { step: 'min_max'; params: Record<string, { min: number; max: number }> }
  | { step: 'select'; by: 'variance_threshold' | 'correlation_filter' | 'k_best'; method: string; keep: string[]; dropped: { column: string; reason: string }[] };

/** Non-missing training values of a numeric column, as a new array. */
export function trainValues(col: ValueColumn, rows: ArrayLike<number>): Float64Array {
  const values = col.values;
  let m = 0;
  for (let i = 0; i < rows.length; i++) if (values[rows[i]!] === values[rows[i]!]) m++;
  const out = new Float64Array(m);
  m = 0;
  for (let i = 0; i < rows.length; i++) { const v = values[rows[i]!]!; if (v === v) out[m++] = v; }
  return out;
}

/** Linear-interpolation quantile of sorted values (NumPy's default, `linear`). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Mean and population std (ddof 0, as scikit-learn's StandardScaler); std 0 becomes 1. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  const mean = s / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  const std = Math.sqrt(ss / values.length);
  return { mean, std: std > 0 ? std : 1 };
}

function noTrainingValues(frame: Frame, column: string, step: string): DataError {
  return new DataError(`${step}: the column has no value in the training rows`, { file: frame.file, column });
}

/** Columns whose missing share in the training rows exceeds `maxShare`. */
export function fitDropColumns(frame: Frame, train: ArrayLike<number>, columns: readonly string[], maxShare: number): FittedStep {
  const out: { column: string; reason: string }[] = [];
  for (const name of columns) {
    const col = getColumn(frame, name);
    let m = 0;
    for (let i = 0; i < train.length; i++) {
      const r = train[i]!;
      if (col.kind === 'categorical' ? col.codes[r]! < 0 : Number.isNaN(col.values[r]!)) m++;
    }
    if (m / train.length > maxShare) out.push({ column: name, reason: `${((100 * m) / train.length).toFixed(1)} % missing in the training rows (limit ${maxShare * 100} %)` });
  }
  return { step: 'drop_columns', columns: out };
}

/**
 * Imputation values from the training rows: mean, median or most frequent value (ties: the smallest number,
 * or the category first in sort order, as scikit-learn's SimpleImputer) or a constant. Categorical columns take
 * the most frequent category unless the strategy is `constant`.
 */
export function fitImpute(frame: Frame, train: ArrayLike<number>, columns: readonly string[], strategy: ImputeStrategy, constant?: number | string): FittedStep {
  const values: Record<string, number | string> = {};
  for (const name of columns) {
    const col = getColumn(frame, name);
    if (strategy === 'constant') {
      if (constant === undefined) throw new DataError('impute: strategy constant needs a value', { file: frame.file, column: name });
      values[name] = col.kind === 'categorical' ? String(constant) : Number(constant);
      continue;
    }
    if (col.kind === 'categorical') {
      const counts = new Int32Array(col.categories.length);
      for (let i = 0; i < train.length; i++) { const c = col.codes[train[i]!]!; if (c >= 0) counts[c]!++; }
      let best = -1;
      for (let c = 0; c < counts.length; c++) {
        if (counts[c]! > 0 && (best < 0 || counts[c]! > counts[best]! || (counts[c] === counts[best] && col.categories[c]! < col.categories[best]!))) best = c;
      }
      if (best < 0) throw noTrainingValues(frame, name, 'impute');
      values[name] = col.categories[best]!;
      continue;
    }
    const v = trainValues(col, train);
    if (v.length === 0) throw noTrainingValues(frame, name, 'impute');
    if (strategy === 'mean') values[name] = meanStd(v).mean;
    else if (strategy === 'median') values[name] = quantile(v.sort(), 0.5);
    else {
      const counts = new Map<number, number>();
      for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
      let best = NaN, bestN = 0;
      for (const [x, k] of counts) if (k > bestN || (k === bestN && x < best)) { best = x; bestN = k; }
      values[name] = best;
    }
  }
  return { step: 'impute', strategy, values };
}

/**
 * Clipping bounds from the training rows: `iqr` → [Q1 − f·IQR, Q3 + f·IQR] (Tukey's fences, f = 1.5 by default);
 * `zscore` → mean ± f·std (f = 3 by default).
 */
export function fitClip(frame: Frame, train: ArrayLike<number>, columns: readonly string[], method: 'iqr' | 'zscore', factor?: number): FittedStep {
  const f = factor ?? (method === 'iqr' ? 1.5 : 3);
  const bounds: Record<string, { low: number; high: number }> = {};
  for (const name of columns) {
    const col = numeric(frame, name, 'clip');
    const v = trainValues(col, train).sort((a, b) => a - b);
    if (v.length === 0) throw noTrainingValues(frame, name, 'clip');
    if (method === 'iqr') {
      const q1 = quantile(v, 0.25), q3 = quantile(v, 0.75);
      bounds[name] = { low: q1 - f * (q3 - q1), high: q3 + f * (q3 - q1) };
    } else {
      const { mean, std } = meanStd(v);
      bounds[name] = { low: mean - f * std, high: mean + f * std };
    }
  }
  return { step: 'clip', method, factor: f, bounds };
}

/**
 * One-hot categories from the training rows, sorted (so the columns do not depend on row order); feature names
 * `<column>=<category>`. Unseen categories later: `ignore` → all zeros, `error` → DataError with row and column.
 * A missing cell is all zeros (impute first to give it a category).
 */
export function fitOneHot(frame: Frame, train: ArrayLike<number>, columns: readonly string[], unseen: UnseenRule): FittedStep {
  const out: Record<string, { categories: string[]; names: string[] }> = {};
  for (const name of columns) {
    const col = getColumn(frame, name);
    if (col.kind !== 'categorical') throw new DataError(`one_hot needs a categorical column; this one is ${col.kind}`, { file: frame.file, column: name });
    const seen = new Uint8Array(col.categories.length);
    for (let i = 0; i < train.length; i++) { const c = col.codes[train[i]!]!; if (c >= 0) seen[c] = 1; }
    const categories = col.categories.filter((_, c) => seen[c]).sort();
    out[name] = { categories, names: categories.map((c) => `${name}=${c}`) };
  }
  return { step: 'one_hot', unseen, columns: out };
}

function numeric(frame: Frame, name: string, step: string): ValueColumn {
  const col = getColumn(frame, name);
  if (col.kind === 'categorical') throw new DataError(`${step} needs a numeric column; this one is categorical (one_hot it first)`, { file: frame.file, column: name });
  return col;
}

/** z-score parameters from the training rows. */
export function fitStandardize(frame: Frame, train: ArrayLike<number>, columns: readonly string[]): FittedStep {
  const params: Record<string, { mean: number; std: number }> = {};
  for (const name of columns) {
    const v = trainValues(numeric(frame, name, 'standardize'), train);
    if (v.length === 0) throw noTrainingValues(frame, name, 'standardize');
    params[name] = meanStd(v);
  }
  return { step: 'standardize', params };
}

/** Min and max from the training rows (a constant column maps to 0). */
export function fitMinMax(frame: Frame, train: ArrayLike<number>, columns: readonly string[]): FittedStep {
  const params: Record<string, { min: number; max: number }> = {};
  for (const name of columns) {
    const v = trainValues(numeric(frame, name, 'min_max'), train);
    if (v.length === 0) throw noTrainingValues(frame, name, 'min_max');
    let min = Infinity, max = -Infinity;
    for (const x of v) { if (x < min) min = x; if (x > max) max = x; }
    params[name] = { min, max };
  }
  return { step: 'min_max', params };
}

function mapValues(col: ValueColumn, f: (v: number) => number): ValueColumn {
  const out = new Float64Array(col.values.length);
  for (let i = 0; i < out.length; i++) out[i] = f(col.values[i]!);
  return { name: col.name, kind: 'numeric', values: out };
}

/**
 * Applies a fitted step to a frame with the same columns as at fit time.
 * @throws DataError for a missing column, or (one_hot with `unseen: error`) a category not seen in training,
 *   with its row and column.
 */
export function applyFitted(frame: Frame, f: FittedStep): { frame: Frame; account: DataStepAccount } {
  const n = rowCount(frame);
  const base = { step: f.step, rowsIn: n, rowsOut: n };
  switch (f.step) {
    case 'drop_columns':
      return { frame: withoutColumns(frame, f.columns.map((c) => c.column)), account: { ...base, dropped: f.columns, detail: f.columns.length ? f.columns.map((c) => `${c.column}: ${c.reason}`).join('; ') : 'no column over the limit' } };
    case 'impute': {
      let total = 0;
      const cols: Column[] = Object.entries(f.values).map(([name, value]) => {
        const col = getColumn(frame, name);
        total += missingCount(col);
        if (col.kind === 'categorical') {
          let code = col.categories.indexOf(String(value));
          const categories = code < 0 ? [...col.categories, String(value)] : col.categories;
          if (code < 0) code = categories.length - 1;
          const codes = col.codes.map((c) => (c < 0 ? code : c));
          return { ...col, codes, categories } satisfies CategoricalColumn;
        }
        const v = Number(value);
        const values = col.values.map((x) => (x === x ? x : v));
        return { ...col, values };
      });
      const detail = `${f.strategy}: ${Object.entries(f.values).map(([c, v]) => `${c} ← ${typeof v === 'number' ? +v.toPrecision(6) : v}`).join(', ')}; ${plural(total, 'value')} imputed`;
      return { frame: withColumns(frame, cols), account: { ...base, imputed: total, detail } };
    }
    case 'clip': {
      let clipped = 0;
      const cols = Object.entries(f.bounds).map(([name, { low, high }]) => mapValues(numeric(frame, name, 'clip'), (v) => {
        if (v < low) { clipped++; return low; }
        if (v > high) { clipped++; return high; }
        return v;
      }));
      return { frame: withColumns(frame, cols), account: { ...base, clipped, detail: `${f.method} (factor ${f.factor}) on ${Object.keys(f.bounds).join(', ')}; ${plural(clipped, 'value')} clipped` } };
    }
    case 'one_hot': {
      const added: string[] = [];
      let next = frame;
      for (const [name, { categories, names }] of Object.entries(f.columns)) {
        const col = getColumn(next, name);
        if (col.kind !== 'categorical') throw new DataError('one_hot needs a categorical column', { file: frame.file, column: name });
        const index = col.categories.map((c) => categories.indexOf(c));
        // Indicators are 0/1: one byte each (8 times less memory than Float64 for many categories).
        const outs = names.map(() => new Uint8Array(n));
        for (let i = 0; i < n; i++) {
          const c = col.codes[i]!;
          if (c < 0) continue;
          const k = index[c]!;
          if (k >= 0) outs[k]![i] = 1;
          else if (f.unseen === 'error') {
            throw new DataError(`the category '${col.categories[c]}' was not seen in the training rows (seen: ${categories.join(', ')})`, { file: frame.file, line: frame.lines[i], column: name });
          }
        }
        next = withColumns(withoutColumns(next, [name]), names.map((nm, k): ValueColumn => ({ name: nm, kind: 'numeric', values: outs[k]! })));
        added.push(...names);
      }
      return { frame: next, account: { ...base, added, dropped: Object.keys(f.columns).map((c) => ({ column: c, reason: 'one-hot encoded' })), detail: `${Object.keys(f.columns).join(', ')} → ${plural(added.length, 'column')} (unseen categories: ${f.unseen === 'ignore' ? 'all zeros' : 'error'})` } };
    }
    case 'standardize': {
      const cols = Object.entries(f.params).map(([name, p]) => mapValues(numeric(frame, name, 'standardize'), (v) => (v - p.mean) / p.std));
      return { frame: withColumns(frame, cols), account: { ...base, detail: `z-score of ${plural(cols.length, 'column')} with training mean and std` } };
    }
    case 'min_max': {
      const cols = Object.entries(f.params).map(([name, p]) => mapValues(numeric(frame, name, 'min_max'), (v) => (p.max > p.min ? (v - p.min) / (p.max - p.min) : 0)));
      return { frame: withColumns(frame, cols), account: { ...base, detail: `min-max to [0, 1] of ${plural(cols.length, 'column')} with training min and max` } };
    }
    case 'select': {
      return { frame: withoutColumns(frame, f.dropped.map((d) => d.column)), account: { ...base, step: f.by, dropped: f.dropped, detail: `${f.method}: kept ${plural(f.keep.length, 'feature')}, dropped ${f.dropped.length}` } };
    }
  }
}
