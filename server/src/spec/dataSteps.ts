/**
 * The spec's data-preparation steps beyond lags / split / standardize (types.ts imports them into
 * `PreprocessingStep`). Each is a map with one snake_case key, as in YAML; server/src/data/frame/recipe.ts runs them.
 */

/** Fill missing cells with a statistic of the training rows (categorical columns: the most frequent category). */
export interface ImputeStep { impute: { strategy: 'mean' | 'median' | 'most_frequent' | 'constant'; value?: number | string; columns?: string[] } }
/** One indicator feature per training category, named `<column>=<category>`. */
export interface OneHotStep { one_hot: { columns?: string[]; unseen?: 'ignore' | 'error' } }
/** Scale to [0, 1] with the training min and max. */
export interface MinMaxStep { min_max: { columns?: string[] } }
/** Clip outliers to bounds from the training rows: Tukey's IQR fences or mean ± factor·std. */
export interface ClipStep { clip: { method: 'iqr' | 'zscore'; factor?: number; columns?: string[] } }
/** Calendar parts of a date column: `<column>_month`, `_weekday`, `_day_of_year`, `_year`, `_day`. */
export interface DatePartsStep { date_parts: { column: string; parts: ('year' | 'month' | 'day' | 'weekday' | 'day_of_year')[] } }
/** Rolling statistics over `window` rows ending `horizon` rows back, per group. */
export interface RollingStep { rolling: { column: string; window: number; stats: ('mean' | 'std' | 'min' | 'max')[]; group_by?: string; horizon?: number } }
/** Differences x[t−h] − x[t−h−periods] per group. */
export interface DiffStep { diff: { column: string; periods?: number; group_by?: string; horizon?: number } }
/** Returns x[t−h] / x[t−h−periods] − 1 per group. */
export interface ReturnsStep { returns: { column: string; periods?: number; group_by?: string; horizon?: number } }
/** Drop rows equal to an earlier row (on `columns`, default all). */
export interface DropDuplicatesStep { drop_duplicates: { columns?: string[] } }
/** Drop rows with a missing cell in `columns`, or with more than `max_share` of their cells missing. */
export interface DropMissingStep { drop_missing: { columns?: string[]; max_share?: number } }
/** Drop feature columns with more than `max_missing` of their training cells missing. */
export interface DropColumnsStep { drop_columns: { max_missing: number } }
/** Drop features whose training variance is at most `threshold`. */
export interface VarianceThresholdStep { variance_threshold: { threshold: number } }
/** Drop each feature correlated (|Pearson r| > threshold) with an earlier kept one. */
export interface CorrelationFilterStep { correlation_filter: { threshold: number } }
/** Keep the k features that score best against the target (F-test or mutual information). */
export interface KBestStep { k_best: { k: number; score?: 'f_test' | 'mutual_info' } }

export type DataPrepStep =
  | ImputeStep | OneHotStep | MinMaxStep | ClipStep | DatePartsStep | RollingStep | DiffStep | ReturnsStep
  | DropDuplicatesStep | DropMissingStep | DropColumnsStep | VarianceThresholdStep | CorrelationFilterStep | KBestStep;

export const DATA_PREP_STEP_KINDS = [
  'impute', 'one_hot', 'min_max', 'clip', 'date_parts', 'rolling', 'diff', 'returns', 'drop_duplicates', 'drop_missing',
  'drop_columns', 'variance_threshold', 'correlation_filter', 'k_best',
] as const;
export type DataPrepStepKind = (typeof DATA_PREP_STEP_KINDS)[number];

/** A declared column type (and date format) for loading. */
export interface ColumnTypeSpec {
  column: string;
  type: 'numeric' | 'categorical' | 'boolean' | 'date';
  /** For dates: tokens YYYY, MM, DD, MMM, HH, mm, ss, e.g. `DD/MM/YYYY`. */
  date_format?: string;
}
