/**
 * The Report view's data extraction (webview/src/report/data.ts) and the protocol's report validators, on the
 * committed stock-price report plus hand-made SHAP/Sobol sections whose sums are known: the waterfall ends at
 * base + Σφ, importance bars come sorted with their intervals, malformed rows and messages are refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHostToReportMessage, isReportToHostMessage, isRunReport, type RunReport } from '../../../protocol/protocol';
import { beeswarmPoints, importanceSeries, metricRows, shapSection, trainingCurves, waterfall } from '../../../webview/src/report/data';

const ROOT = join(__dirname, '../../..');
const STOCK = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/stock-price/report.json'), 'utf8')) as RunReport;
const FEATURES = ['a', 'b', 'c'];

function withSections(explanations: unknown[]): RunReport {
  return { ...STOCK, features: FEATURES, importance: undefined, explanations: explanations as RunReport['explanations'] };
}

const SHAP = {
  method: 'shap', algorithm: 'kernel_shap', output: 'y', baseValue: 10, ranking: [], rows: [0, 1, 2],
  values: [[1, -2, 0.5], [-3, 0.25, 4], [0, 0, 0]], x: [[1, 5, 0], [3, 5, -1], [2, 5, 1]], predictions: [9.5, 11.25, 10],
  maxEfficiencyGap: 0, exact: true, evaluations: 0, wallMs: 0,
};

describe('report view data', () => {
  it('reads the regression metrics and the training history of a real report', () => {
    const rows = metricRows(STOCK);
    expect(rows.map((r) => [r.label, r.model, r.baseline])).toEqual([
      ['RMSE', STOCK.metrics.model.rmse, STOCK.metrics.baseline.rmse], ['MAE', STOCK.metrics.model.mae, STOCK.metrics.baseline.mae],
      ['R²', STOCK.metrics.model.r2, STOCK.metrics.baseline.r2]]);
    const curves = trainingCurves(STOCK);
    expect(curves.filter((p) => p.series === 'loss')).toHaveLength(STOCK.history.length);
  });

  it('sorts each importance by decreasing value with its interval (permutation CI, Sobol bootstrap, ±1.96 SE of mean |SHAP|)', () => {
    const perm = importanceSeries(STOCK)[0]!;
    expect(perm.bars.map((b) => b.feature)).toEqual([...STOCK.importance!.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature));
    const sobol = { method: 'sobol', output: 'y', samples: 64, evaluations: 0, wallMs: 0,
      indices: [{ feature: 'a', first: 0.1, total: 0.2, firstCi: [0.05, 0.15], totalCi: [0.1, 0.3] }, { feature: 'b', first: 0.6, total: 0.7 }, { feature: 'c', first: 0.2, total: 0.1 }] };
    const series = importanceSeries(withSections([SHAP, sobol]));
    expect(series.map((s) => s.kind)).toEqual(['sobol_first', 'sobol_total', 'mean_abs_shap']);
    expect(series[0]!.bars).toEqual([{ feature: 'b', value: 0.6 }, { feature: 'c', value: 0.2 }, { feature: 'a', value: 0.1, lo: 0.05, hi: 0.15 }]);
    const shap = series[2]!.bars;
    // mean |φ| of a: (1 + 3 + 0) / 3; sample sd of |φ| = 1.5275…; half-width 1.96·sd/√3.
    expect(shap.map((b) => b.feature)).toEqual(['c', 'a', 'b']);
    const a = shap.find((b) => b.feature === 'a')!;
    expect(a.value).toBeCloseTo(4 / 3, 12);
    expect(a.hi! - a.value).toBeCloseTo(1.959963984540054 * Math.sqrt(((1 - 4 / 3) ** 2 + (3 - 4 / 3) ** 2 + (4 / 3) ** 2) / 2) / Math.sqrt(3), 12);
  });

  it('walks the waterfall from the base value to the prediction, largest |φ| first', () => {
    const shap = shapSection(withSections([SHAP]))!;
    const w = waterfall(shap, 1);
    expect(w.steps.map((s) => s.feature)).toEqual(['c', 'a', 'b']);
    expect(w.steps[0]!.start).toBe(10);
    expect(w.steps.at(-1)!.end).toBe(11.25);
    expect(w.prediction).toBe(11.25);
    for (let i = 1; i < w.steps.length; i++) expect(w.steps[i]!.start).toBe(w.steps[i - 1]!.end);
  });

  it('gives one beeswarm point per (sample, feature) with its min–max level within the feature', () => {
    const { order, points } = beeswarmPoints(shapSection(withSections([SHAP]))!);
    expect(order).toEqual(['c', 'a', 'b']);
    expect(points).toHaveLength(9);
    expect(points.filter((p) => p.feature === 'a').map((p) => p.level)).toEqual([0, 1, 0.5]);
    // A constant feature sits in the middle of the scale.
    expect(points.filter((p) => p.feature === 'b').map((p) => p.level)).toEqual([0.5, 0.5, 0.5]);
  });

  it('leaves out SHAP rows that are malformed, and the colours when a row has no values', () => {
    const bad = { ...SHAP, values: [[1, -2, 0.5], [1, 2], [0, Number.NaN, 0]], x: [[1, 5, 0], [3, 5, -1], [2, 5, 1]] };
    const s = shapSection(withSections([bad]))!;
    expect(s.values).toEqual([[1, -2, 0.5]]);
    expect(s.predictions).toEqual([9.5]);
    const noX = shapSection(withSections([{ ...SHAP, x: [[1, 5, 0], ['x', 5, 0], [2, 5, 1]] }]))!;
    expect(noX.values).toHaveLength(3);
    expect(noX.x).toBeUndefined();
    expect(shapSection(withSections([{ ...SHAP, baseValue: 'ten' }]))).toBeUndefined();
  });
});

describe('report messages (protocol validators)', () => {
  const message = { type: 'report', runDir: 'file:///r', report: STOCK, explanationMarkdown: '# x' };
  it('accepts a real report and refuses anything the view could not read', () => {
    expect(isRunReport(STOCK)).toBe(true);
    expect(isHostToReportMessage(message)).toBe(true);
    expect(isHostToReportMessage({ type: 'empty', message: 'no run' })).toBe(true);
    for (const bad of [
      { ...message, report: { ...STOCK, features: 'a,b' } },
      { ...message, report: { ...STOCK, reportVersion: 2 } },
      { ...message, report: { ...STOCK, history: [{ epoch: 1 }] } },
      { ...message, report: { ...STOCK, importance: { features: [{ feature: 1, mean: 0, std: 0 }] } } },
      { ...message, explanationMarkdown: 42 },
      { ...message, runDir: undefined },
      { type: 'empty' },
      { type: 'run', code: 'alert(1)' }, 'report', null,
    ]) expect(isHostToReportMessage(bad)).toBe(false);
    expect(isReportToHostMessage({ type: 'ready' })).toBe(true);
    expect(isReportToHostMessage({ type: 'error', message: 'x'.repeat(10_001) })).toBe(false);
    expect(isReportToHostMessage({ type: 'reveal' })).toBe(false);
  });
});
