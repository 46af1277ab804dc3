/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The built Report webview in real Chromium, under the panel's CSP, with real runs made by the built CLI in
 * beforeAll (the stock-price MLP with Kernel SHAP, Sobol and PD/ICE; the iris tree with TreeSHAP and PD/ICE; the iris
 * tree by 5-fold cross-validation): the metric table shows the run's values, a k-fold run its per-fold scores
 * (scikit-learn's), bars follow the importance, one beeswarm dot per (sample, feature), the waterfall sums to the
 * prediction, a theme switch recolours, state survives a reload, malformed messages are dropped.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostToReportMessage } from '../../protocol/protocol';
import { formatNumber } from '../../webview/src/common/format';
import { importanceSeries, shapSection } from '../../webview/src/report/data';
import { irisKfoldSpec, SKLEARN_KFOLD_IRIS } from '../fixtures/irisKfold';
import { launch, screenshot, type Browser, type Served } from './harness';
import {
  buildReportBundle, exampleWithExplainers, IRIS_EXTRA, posted, runSpec, send, serveReport, STOCK_EXTRA, switchTheme, watchPage,
  type PageLog, type RealRun,
} from './reportHarness';

let bundle: string;
let server: Served;
let browser: Browser;
let work: string;
let stock: RealRun;
let iris: RealRun;
let irisKfold: RealRun;

/** The iris tree by 5-fold cross-validation, as test/unit/data/kfold.test.ts checks it against scikit-learn. */
function irisKfoldRun(dir: string): string {
  mkdirSync(join(dir, 'iris-kfold'), { recursive: true });
  const path = join(dir, 'iris-kfold', 'iris-kfold.xai.yaml');
  writeFileSync(path, irisKfoldSpec());
  return path;
}

beforeAll(async () => {
  bundle = buildReportBundle();
  work = mkdtempSync(join(tmpdir(), 'xai-report-'));
  stock = runSpec(exampleWithExplainers(work, 'stock-price', STOCK_EXTRA));
  iris = runSpec(exampleWithExplainers(work, 'iris', IRIS_EXTRA));
  irisKfold = runSpec(irisKfoldRun(work));
  server = await serveReport(bundle);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function messageOf(run: RealRun): HostToReportMessage {
  return {
    type: 'report', runDir: pathToFileURL(run.runDir).href, report: run.report, explanationMarkdown: run.explanationMarkdown,
    specUri: pathToFileURL(run.specPath).href,
  };
}

async function openReport(run: RealRun, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.context.newPage();
  const log = watchPage(page);
  await page.goto(`${server.origin}/report.html?theme=${theme}`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  await send(page, messageOf(run));
  await page.waitForSelector('.xai-s-metrics:not([hidden]) tbody tr');
  return { page, log };
}

/** Sets a vscode-single-select's value as a user's pick does (its change event). */
async function choose(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(selector, (el, v) => { (el as HTMLElement & { value: string }).value = v; el.dispatchEvent(new Event('change')); }, value);
}

/** Feature names of the importance bars from top to bottom (by the bars' y position). */
async function barOrder(page: Page): Promise<string[]> {
  return page.$$eval('.xai-importance .xai-importance-bar rect', (rects) => rects
    .map((r) => ({ f: r.getAttribute('aria-label')!, y: Number(r.getAttribute('y')) }))
    .sort((a, b) => a.y - b.y).map((r) => r.f));
}

describe('report webview (real Chromium, real runs)', () => {
  it('shows the regression metrics of the run against its baseline, and the training curves', async () => {
    const { page, log } = await openReport(stock);
    const m = stock.report.metrics;
    const rows = await page.$$eval('table.xai-metrics tbody tr', (trs) => trs.map((tr) => ({
      label: tr.querySelector('th')!.textContent, cells: [...tr.querySelectorAll('td')].map((td) => ({ text: td.textContent, value: td.dataset.value })),
    })));
    expect(rows.map((r) => r.label)).toEqual(['RMSE', 'MAE', 'R²']);
    for (const [i, key] of (['rmse', 'mae', 'r2'] as const).entries()) {
      expect(Number(rows[i]!.cells[0]!.value)).toBe(m.model[key]);
      expect(Number(rows[i]!.cells[1]!.value)).toBe(m.baseline[key]);
      expect(rows[i]!.cells[0]!.text).toBe(formatNumber(m.model[key]));
      expect(Number(rows[i]!.cells[2]!.value)).toBeCloseTo(m.model[key] - m.baseline[key], 12);
    }
    expect(await page.textContent('.xai-baseline-head')).toBe(`baseline (${m.baseline.name})`);
    // One point per epoch in each line (d3's linear path: M then one L per further point).
    // Plot may fold a one-path group into the path itself: take the path, or the group's path.
    const lines = await page.$$eval('.xai-curves svg :is(.xai-curve-loss, .xai-curve-validation)', (els) => els.map((el) => {
      const p = el.tagName === 'path' ? el : el.querySelector('path')!;
      return { name: el.getAttribute('aria-description'), points: (p.getAttribute('d') ?? '').split(/[ML]/).filter(Boolean).length };
    }));
    expect(stock.report.history.length).toBe(80);
    expect(lines).toEqual([{ name: 'loss', points: 80 }, { name: 'validation loss', points: 80 }]);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('draws one importance bar per feature in the order of each method, with error bars', async () => {
    const { page, log } = await openReport(stock);
    const series = importanceSeries(stock.report);
    expect(series.map((s) => s.kind)).toEqual(['permutation_importance', 'sobol_first', 'sobol_total', 'mean_abs_shap']);
    // Permutation importance straight from report.json: bars by decreasing mean.
    const byMean = [...stock.report.importance!.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature);
    expect(await barOrder(page)).toEqual(byMean);
    expect(await page.$$eval('.xai-importance .xai-error-bar line', (l) => l.length)).toBe(stock.report.features.length);
    await screenshot(page, 'report-importance-light');
    for (const s of series.slice(1)) {
      await choose(page, '.xai-importance-method', s.kind);
      await page.waitForFunction((label) => document.querySelector('.xai-importance svg')?.getAttribute('aria-label')?.startsWith(label), s.label);
      const order = await barOrder(page);
      expect(order).toHaveLength(stock.report.features.length);
      expect(order).toEqual(s.bars.map((b) => b.feature));
    }
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('has one beeswarm dot per (sample, feature) and a waterfall that sums to the prediction', async () => {
    const { page, log } = await openReport(stock);
    const shap = shapSection(stock.report)!;
    const features = stock.report.features;
    expect(shap.values.length).toBe(8);
    const titles = await page.$$eval('.xai-beeswarm .xai-beeswarm-dot circle', (cs) => cs.map((c) => c.querySelector('title')?.textContent ?? ''));
    expect(titles).toHaveLength(8 * features.length);
    for (const f of features) expect(titles.filter((t) => t.startsWith(`${f}, sample `))).toHaveLength(8);
    // Colour follows the feature's value (SHAP's summary plot): within a feature, a higher value is redder and less blue.
    expect(shap.x).toHaveLength(8);
    const dots = await page.$$eval('.xai-beeswarm .xai-beeswarm-dot circle', (cs) => cs.map((c) => ({
      title: c.querySelector('title')?.textContent ?? '', rgb: (getComputedStyle(c).fill.match(/[\d.]+/g) ?? []).map(Number),
    })));
    for (const [j, f] of features.entries()) {
      const mine = dots.filter((d) => d.title.startsWith(`${f}, sample `))
        .map((d) => ({ value: shap.x![Number(/sample (\d+)/.exec(d.title)![1]) - 1]![j]!, rgb: d.rgb }))
        .sort((a, b) => a.value - b.value);
      const channels = (k: number): number[] => mine.map((d) => d.rgb.length === 3 && d.rgb.every((v) => v <= 1) ? d.rgb[k]! * 255 : d.rgb[k]!);
      const red = channels(0); const blue = channels(2);
      for (let i = 1; i < mine.length; i++) {
        expect(red[i]!).toBeGreaterThanOrEqual(red[i - 1]! - 1e-6);
        expect(blue[i]!).toBeLessThanOrEqual(blue[i - 1]! + 1e-6);
      }
      if (mine[0]!.value < mine.at(-1)!.value) expect(red.at(-1)!).toBeGreaterThan(red[0]!);
    }

    const section = stock.report.explanations!.find((s) => s.method === 'shap') as unknown as { maxEfficiencyGap: number };
    const checkWaterfall = async (sample: number): Promise<void> => {
      const rows = await page.$$eval('.xai-waterfall-table tbody tr', (trs) => trs.map((tr) => ({ kind: tr.dataset.kind, value: Number(tr.querySelector('td')!.dataset.value) })));
      const base = rows.find((r) => r.kind === 'base')!.value;
      const prediction = rows.find((r) => r.kind === 'prediction')!.value;
      const contributions = rows.filter((r) => r.kind === 'contribution');
      expect(contributions).toHaveLength(features.length);
      expect(base).toBe(shap.baseValue);
      expect(prediction).toBe(shap.predictions[sample]);
      expect(Math.abs(base + contributions.reduce((a, r) => a + r.value, 0) - prediction)).toBeLessThanOrEqual(section.maxEfficiencyGap + 1e-9);
      expect(await page.$$eval('.xai-waterfall .xai-waterfall-bar rect', (r) => r.length)).toBe(features.length);
    };
    await checkWaterfall(0);
    // Keyboard: Tab to "Next", Enter picks sample 2.
    await page.focus('.xai-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.xai-waterfall-caption')?.textContent?.startsWith('Sample 2 of 8'));
    await checkWaterfall(1);
    await screenshot(page, 'report-shap-light');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('draws partial dependence with one ICE line per sample, and the explanation report as Markdown', async () => {
    const { page, log } = await openReport(stock);
    const pd = stock.report.explanations!.find((s) => s.method === 'partial_dependence') as unknown as { curves: { feature: string; ice: number[][] }[] };
    expect(await page.$$eval('.xai-pd .xai-ice-line path', (p) => p.length)).toBe(pd.curves[0]!.ice.length);
    expect(await page.$$eval('.xai-pd .xai-pd-line path', (p) => p.length)).toBe(1);
    const options = await page.$$eval('.xai-pd-feature vscode-option', (os) => os.map((o) => o.textContent));
    expect(options).toEqual(pd.curves.map((c) => c.feature));
    await choose(page, '.xai-pd-feature', pd.curves[1]!.feature);
    await page.waitForFunction((f) => document.querySelector('.xai-pd svg')?.getAttribute('aria-label')?.includes(f), pd.curves[1]!.feature);
    expect(await page.textContent('.xai-markdown h1')).toBe('Explanation report: stock-price');
    expect(await page.$$eval('.xai-markdown table', (t) => t.length)).toBeGreaterThan(0);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('shows classification metrics and TreeSHAP for the iris tree (dark theme)', async () => {
    const { page, log } = await openReport(iris, 'dark');
    const c = iris.report.metrics.classification!;
    const accuracy = await page.$eval('table.xai-metrics tbody tr[data-metric="accuracy"] td', (td) => Number((td as HTMLElement).dataset.value));
    expect(accuracy).toBe(c.model.accuracy);
    expect(await page.isHidden('.xai-s-curves')).toBe(true); // a tree has no epochs
    const shap = shapSection(iris.report)!;
    expect(await page.$$eval('.xai-beeswarm .xai-beeswarm-dot circle', (cs) => cs.length)).toBe(shap.values.length * iris.report.features.length);
    await screenshot(page, 'report-iris-dark');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('shows a k-fold run\'s scores per fold beside the baseline (scikit-learn\'s), its metrics as out-of-fold; report.html too', async () => {
    const cv = irisKfold.report.crossValidation!;
    expect(cv.k).toBe(5);
    const { page, log } = await openReport(irisKfold);
    expect(await page.textContent('#xai-h-metrics')).toMatch(/^Out-of-fold metrics/);
    expect(await page.textContent('.xai-data')).toContain('150 rows (5-fold cross-validation)');
    await page.waitForSelector('.xai-s-cv:not([hidden])');
    expect(await page.textContent('#xai-h-cv')).toBe('5-fold cross-validation (stratified)');
    const row = (metric: string) => page.$eval(`table.xai-cv tbody tr[data-metric="${metric}"]`, (tr) => {
      const [model, baseline, folds] = [...tr.querySelectorAll('td')] as HTMLElement[];
      return { mean: Number(model!.dataset.mean), std: Number(model!.dataset.std), baseline: Number(baseline!.dataset.mean), folds: folds!.textContent };
    });
    const accuracy = await row('accuracy');
    expect(accuracy.mean).toBeCloseTo(SKLEARN_KFOLD_IRIS.accuracy_mean, 12);
    expect(accuracy.std).toBeCloseTo(SKLEARN_KFOLD_IRIS.accuracy_std, 12);
    expect(accuracy.folds).toBe(SKLEARN_KFOLD_IRIS.accuracy.map(formatNumber).join(', '));
    expect(accuracy.baseline).toBe(cv.baseline.metrics.accuracy!.mean);
    expect(await page.$$eval('table.xai-cv tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.metric)))
      .toEqual(['accuracy', 'balanced accuracy', 'precision (macro)', 'recall (macro)', 'F1 (macro)', 'ROC AUC', 'log loss']);
    expect(await page.textContent('.xai-cv-note')).toContain(cv.finalModel.slice(1));
    await screenshot(page, 'report-iris-kfold');
    expect(log.errors).toEqual([]);
    // The run's report.html: the same headings, and the table drawn by the embedded report code.
    const html = await browser.context.newPage();
    const htmlLog = watchPage(html);
    await html.goto(pathToFileURL(join(irisKfold.runDir, 'report.html')).href);
    await html.waitForSelector('.xai-s-cv:not([hidden]) tbody tr');
    expect(await html.textContent('body')).toContain('Out-of-fold metrics');
    expect(await html.$eval('table.xai-cv tbody tr[data-metric="accuracy"] td', (td) => Number((td as HTMLElement).dataset.mean))).toBe(cv.model.accuracy!.mean);
    expect(htmlLog.errors).toEqual([]);
    await html.close();
    await page.close();
  });

  it('recolours on a theme switch', async () => {
    const { page, log } = await openReport(stock, 'light');
    const colours = (): Promise<{ bar: string; background: string; axis: string }> => page.evaluate(() => ({
      bar: getComputedStyle(document.querySelector('.xai-importance .xai-importance-bar rect')!).fill,
      background: getComputedStyle(document.body).backgroundColor,
      axis: getComputedStyle(document.querySelector('.xai-importance svg')!).color,
    }));
    const light = await colours();
    expect(light).toEqual({ bar: 'rgb(26, 133, 255)', background: 'rgb(255, 255, 255)', axis: 'rgb(97, 97, 97)' });
    await switchTheme(page, 'dark');
    const dark = await colours();
    expect(dark).toEqual({ bar: 'rgb(55, 148, 255)', background: 'rgb(31, 31, 31)', axis: 'rgb(204, 204, 204)' });
    await screenshot(page, 'report-dark');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('keeps its report and choices across a reload (setState), before the host answers', async () => {
    const { page, log } = await openReport(stock);
    await choose(page, '.xai-importance-method', 'sobol_total');
    await choose(page, '.xai-sample', '5');
    const pdFeature = (stock.report.explanations!.find((s) => s.method === 'partial_dependence') as unknown as { curves: { feature: string }[] }).curves[2]!.feature;
    await choose(page, '.xai-pd-feature', pdFeature);
    await page.reload();
    // Nothing is sent after the reload: what shows comes from the saved state.
    await page.waitForSelector('.xai-s-metrics:not([hidden]) tbody tr');
    expect(await posted(page)).toEqual([{ type: 'ready' }]);
    expect(await page.textContent('.xai-waterfall-caption')).toMatch(/^Sample 6 of 8/);
    expect(await page.$eval('.xai-importance-method', (el) => (el as HTMLElement & { value: string }).value)).toBe('sobol_total');
    expect(await page.$eval('.xai-importance svg', (el) => el.getAttribute('aria-label'))).toMatch(/^Sobol total index/);
    expect(await page.$eval('.xai-pd svg', (el) => el.getAttribute('aria-label'))).toContain(pdFeature);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('drops malformed and unknown messages and logs them, keeping the drawing', async () => {
    const { page, log } = await openReport(stock);
    const before = await page.innerHTML('#xai-report');
    await send(page, { type: 'report', runDir: 'x', report: { ...stock.report, features: 'not a list' }, explanationMarkdown: null });
    await send(page, { type: 'report', runDir: 'x', report: { reportVersion: 1 }, explanationMarkdown: null });
    await send(page, { type: 'run', code: 'alert(1)' });
    await send(page, 'report');
    await page.waitForFunction(() => true);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await page.innerHTML('#xai-report')).toBe(before);
    expect(log.warnings.filter((w) => w.startsWith('[report] dropped an invalid message'))).toHaveLength(4);
    expect(log.errors).toEqual([]);
    expect(log.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    await page.close();
  });

  it('ships a bundle without string evaluation', () => {
    expect(bundle).not.toMatch(/new Function|\beval\(/);
    expect(readFileSync(join(__dirname, '../../dist/webview/report.js'), 'utf8')).toBe(bundle);
  });
});
