/**
 * What the report view draws, taken out of a RunReport: pure functions, no DOM, so that they are easy to test and
 * the charts only map rows to marks. Every section is read defensively (report.json crosses a file and two
 * processes): rows with non-finite numbers are left out rather than drawn wrong.
 */
import type { FoldMetric, RunReport } from '../../../protocol/protocol';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export interface MetricRow {
  label: string;
  model: number | null;
  baseline: number | null;
  /** Which direction is better, for the "model − baseline" column's wording. */
  better: 'lower' | 'higher';
}

/** The metrics a report table shows, in order: label, key in the report, which direction is better. */
const CLASSIFICATION_METRICS = [['accuracy', 'accuracy', 'higher'], ['balanced accuracy', 'balancedAccuracy', 'higher'],
  ['precision (macro)', 'precision', 'higher'], ['recall (macro)', 'recall', 'higher'], ['F1 (macro)', 'f1', 'higher'],
  ['ROC AUC', 'rocAuc', 'higher'], ['log loss', 'logLoss', 'lower']] as const;
const REGRESSION_METRICS = [['RMSE', 'rmse', 'lower'], ['MAE', 'mae', 'lower'], ['R²', 'r2', 'higher']] as const;

/** The validation metrics of the model and the baseline, classification metrics first for a classifier. */
export function metricRows(report: RunReport): MetricRow[] {
  const m = report.metrics;
  const c = m.classification;
  const rows: MetricRow[] = [];
  if (c) {
    for (const [label, key, better] of CLASSIFICATION_METRICS) {
      const a = c.model[key]; const b = c.baseline[key];
      rows.push({ label, model: finite(a) ? a : null, baseline: finite(b) ? b : null, better });
    }
    return rows;
  }
  for (const [label, key, better] of REGRESSION_METRICS) {
    const a = m.model[key]; const b = m.baseline[key];
    rows.push({ label, model: finite(a) ? a : null, baseline: finite(b) ? b : null, better });
  }
  return rows;
}

/** The baseline's name as the report gives it ("training mean", "majority class"…). */
export function baselineName(report: RunReport): string {
  return report.metrics.classification?.baseline.name ?? report.metrics.baseline.name ?? 'baseline';
}

export interface CrossValidationRow { label: string; model: FoldMetric; baseline: FoldMetric | null }

export interface CrossValidationView { k: number; seed: number; stratified: boolean; finalModel: string; baselineName: string; rows: CrossValidationRow[] }

/** A fold metric with a finite mean and std and finite per-fold values, else null. */
function foldMetric(x: unknown): FoldMetric | null {
  const m = x as Partial<FoldMetric> | undefined;
  return m && finite(m.mean) && finite(m.std) && Array.isArray(m.values) && m.values.every(finite) ? { mean: m.mean, std: m.std, values: m.values } : null;
}

/**
 * A k-fold run's per-metric mean ± std over the folds, of the model and of the baseline (scikit-learn's
 * `cross_validate`); undefined for a run without k-fold. Metrics with a non-finite summary are left out.
 */
export function crossValidationView(report: RunReport): CrossValidationView | undefined {
  const cv = report.crossValidation;
  if (!cv || typeof cv !== 'object' || !finite(cv.k) || typeof cv.model !== 'object' || cv.model === null) return undefined;
  const rows: CrossValidationRow[] = [];
  for (const [label, key] of [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS]) {
    const model = foldMetric(cv.model[key]);
    if (model) rows.push({ label, model, baseline: foldMetric(cv.baseline?.metrics?.[key]) });
  }
  return {
    k: cv.k, seed: finite(cv.seed) ? cv.seed : 0, stratified: cv.stratified === true, finalModel: String(cv.finalModel ?? ''),
    baselineName: String(cv.baseline?.name ?? 'baseline'), rows,
  };
}

export interface EpochPoint { epoch: number; series: 'loss' | 'validation loss'; value: number }

/** Training history as long-form points (one per epoch and series), for a line per series. */
export function trainingCurves(report: RunReport): EpochPoint[] {
  const out: EpochPoint[] = [];
  for (const e of report.history ?? []) {
    if (!finite(e.epoch)) continue;
    if (finite(e.loss)) out.push({ epoch: e.epoch, series: 'loss', value: e.loss });
    if (finite(e.valLoss)) out.push({ epoch: e.epoch, series: 'validation loss', value: e.valLoss });
  }
  return out;
}

/** The importance measures a report can hold; each is offered only when present. */
export type ImportanceKind = 'permutation_importance' | 'sobol_first' | 'sobol_total' | 'mean_abs_shap';

export interface ImportanceBar {
  feature: string;
  value: number;
  /** The interval drawn as an error bar; absent when the method gives none. */
  lo?: number;
  hi?: number;
}

export interface ImportanceSeries {
  kind: ImportanceKind;
  label: string;
  /** What the bar length measures and what the error bar is. */
  caption: string;
  /** By decreasing value. */
  bars: ImportanceBar[];
}

interface SobolIndex { feature: string; first: number; total: number; firstCi?: [number, number]; totalCi?: [number, number] }
export interface ShapSectionView {
  algorithm: string;
  output: string;
  baseValue: number;
  /** Column order of `values`: the report's features. */
  features: string[];
  rows: number[];
  /** [n_samples, n_features] */
  values: number[][];
  /** The samples' feature values as the model sees them [n_samples, n_features]; absent in older runs. */
  x?: number[][];
  predictions: number[];
}
interface PdCurve { feature: string; grid: number[]; average: number[]; ice?: number[][] }

function section<T>(report: RunReport, method: string): T | undefined {
  return (report.explanations ?? []).find((s) => s.method === method) as T | undefined;
}

const interval = (ci: unknown): { lo?: number; hi?: number } =>
  (Array.isArray(ci) && ci.length === 2 && finite(ci[0]) && finite(ci[1]) ? { lo: ci[0], hi: ci[1] } : {});

/** Two-sided 95 % normal quantile, for the mean |SHAP| interval (±1.96 standard errors over the samples). */
const Z95 = 1.959963984540054;

/**
 * Every importance measure in the report, as bars with intervals: permutation importance (the report's CI, else
 * mean ± std), Sobol first-order and total indices (bootstrap CIs), mean |SHAP| (±1.96 standard errors of the
 * mean over the explained samples).
 */
export function importanceSeries(report: RunReport): ImportanceSeries[] {
  const out: ImportanceSeries[] = [];
  const sorted = (bars: ImportanceBar[]): ImportanceBar[] => bars.filter((b) => finite(b.value)).sort((a, b) => b.value - a.value);
  const imp = report.importance;
  if (imp) {
    const level = Math.round((imp.confidenceLevel ?? 0.95) * 100);
    const anyCi = imp.features.some((f) => f.ci);
    out.push({
      kind: 'permutation_importance', label: 'Permutation importance',
      caption: `Increase of the ${imp.split} ${String(imp.metric).toUpperCase()} when the feature is shuffled (${imp.repeats} repeats); ` +
        (anyCi ? `error bars: ${level} % confidence interval of the mean.` : 'error bars: ± one standard deviation.'),
      bars: sorted(imp.features.map((f) => ({ feature: f.feature, value: f.mean, ...(f.ci ? interval(f.ci) : { lo: f.mean - f.std, hi: f.mean + f.std }) }))),
    });
  }
  const sobol = section<{ indices?: SobolIndex[]; samples?: number }>(report, 'sobol');
  if (Array.isArray(sobol?.indices)) {
    out.push({ kind: 'sobol_first', label: 'Sobol first-order index', caption: `Share of the prediction's variance due to the feature alone (N = ${sobol.samples ?? '?'}); error bars: bootstrap confidence interval.`,
      bars: sorted(sobol.indices.map((i) => ({ feature: i.feature, value: i.first, ...interval(i.firstCi) }))) });
    out.push({ kind: 'sobol_total', label: 'Sobol total index', caption: `Share of the prediction's variance due to the feature with all its interactions (N = ${sobol.samples ?? '?'}); error bars: bootstrap confidence interval.`,
      bars: sorted(sobol.indices.map((i) => ({ feature: i.feature, value: i.total, ...interval(i.totalCi) }))) });
  }
  const shap = shapSection(report);
  if (shap && shap.values.length > 0) {
    const n = shap.values.length;
    const bars = shap.features.map((feature, j) => {
      const abs = shap.values.map((row) => Math.abs(row[j]!));
      const mean = abs.reduce((a, b) => a + b, 0) / n;
      const sd = n > 1 ? Math.sqrt(abs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
      const half = n > 1 ? Z95 * sd / Math.sqrt(n) : 0;
      return { feature, value: mean, lo: mean - half, hi: mean + half };
    });
    out.push({ kind: 'mean_abs_shap', label: 'Mean |SHAP value|', caption: `Mean absolute SHAP value of ${shap.output} over ${n} explained samples; error bars: ± 1.96 standard errors of the mean.`, bars: sorted(bars) });
  }
  return out;
}

/**
 * The report's SHAP section with its rows checked: every row has one finite value per feature (`report.features`
 * order) and a finite prediction; others are left out.
 */
export function shapSection(report: RunReport): ShapSectionView | undefined {
  const s = section<{ algorithm?: unknown; output?: unknown; baseValue?: unknown; rows?: unknown; values?: unknown; x?: unknown; predictions?: unknown }>(report, 'shap');
  if (!s || !finite(s.baseValue) || !Array.isArray(s.values) || !Array.isArray(s.predictions)) return undefined;
  const features = report.features;
  const rows: number[] = []; const values: number[][] = []; const predictions: number[] = []; const xs: number[][] = [];
  const rowIds = Array.isArray(s.rows) ? s.rows : [];
  const sx = Array.isArray(s.x) && s.x.length === s.values.length ? s.x as unknown[] : undefined;
  const row = (v: unknown): v is number[] => Array.isArray(v) && v.length === features.length && v.every(finite);
  let allX = sx !== undefined;
  (s.values as unknown[]).forEach((v, i) => {
    const p = (s.predictions as unknown[])[i];
    if (!row(v) || !finite(p)) return;
    rows.push(finite(rowIds[i]) ? rowIds[i] as number : i); values.push(v); predictions.push(p);
    if (sx && row(sx[i])) xs.push(sx[i] as number[]); else allX = false;
  });
  return {
    algorithm: String(s.algorithm ?? 'shap'), output: String(s.output ?? report.target), baseValue: s.baseValue, features, rows, values, predictions,
    ...(allX ? { x: xs } : {}),
  };
}

export interface BeeswarmPoint {
  feature: string;
  sample: number;
  phi: number;
  /** The feature's value in this sample, and where it lies between the feature's lowest (0) and highest (1) explained value. */
  value?: number;
  level?: number;
}

/**
 * One point per (sample, feature), features in decreasing mean |SHAP| order (the beeswarm's rows). With the
 * samples' feature values, each point carries its min–max level within its feature (the summary plot's colour).
 */
export function beeswarmPoints(shap: ShapSectionView): { order: string[]; points: BeeswarmPoint[] } {
  const meanAbs = shap.features.map((_, j) => shap.values.reduce((a, row) => a + Math.abs(row[j]!), 0));
  const order = shap.features.map((f, j) => ({ f, m: meanAbs[j]! })).sort((a, b) => b.m - a.m).map((x) => x.f);
  const points: BeeswarmPoint[] = [];
  const x = shap.x;
  const lo = x ? shap.features.map((_, j) => Math.min(...x.map((r) => r[j]!))) : [];
  const hi = x ? shap.features.map((_, j) => Math.max(...x.map((r) => r[j]!))) : [];
  shap.values.forEach((row, sample) => row.forEach((phi, j) => {
    const value = x?.[sample]?.[j];
    const level = value === undefined ? undefined : hi[j]! > lo[j]! ? (value - lo[j]!) / (hi[j]! - lo[j]!) : 0.5;
    points.push({ feature: shap.features[j]!, sample, phi, ...(value !== undefined ? { value, level } : {}) });
  }));
  return { order, points };
}

export interface WaterfallStep { feature: string; phi: number; start: number; end: number }

/**
 * One sample's attribution as a waterfall: from the base value, each feature's SHAP value added in decreasing |φ|
 * order; the last step ends at base + Σφ, which is the prediction (SHAP's efficiency property, up to the
 * section's efficiency gap).
 */
export function waterfall(shap: ShapSectionView, sample: number): { base: number; prediction: number; steps: WaterfallStep[] } {
  const row = shap.values[sample] ?? [];
  const order = row.map((phi, j) => ({ feature: shap.features[j]!, phi })).sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi));
  let at = shap.baseValue;
  const steps = order.map(({ feature, phi }) => {
    const step = { feature, phi, start: at, end: at + phi };
    at += phi;
    return step;
  });
  return { base: shap.baseValue, prediction: shap.predictions[sample] ?? at, steps };
}

/** The partial-dependence curves, each with its ICE lines when the run computed them. */
export function pdCurves(report: RunReport): PdCurve[] {
  const s = section<{ curves?: unknown }>(report, 'partial_dependence');
  if (!Array.isArray(s?.curves)) return [];
  return (s.curves as PdCurve[]).filter((c) => typeof c?.feature === 'string' && Array.isArray(c.grid) && Array.isArray(c.average) &&
    c.grid.length === c.average.length && c.grid.every(finite) && c.average.every(finite));
}

/** The output a partial-dependence section explains (a class for classifiers). */
export function pdOutput(report: RunReport): string {
  const s = section<{ output?: unknown }>(report, 'partial_dependence');
  return typeof s?.output === 'string' ? s.output : report.target;
}
