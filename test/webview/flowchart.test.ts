/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The built flowchart webview in real Chromium, under the panel's CSP, with the stock-price report:
 * a node per pipeline stage and per feature, shading in importance order, reveal on click, hostile labels shown
 * as text, and the standalone report.html.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph, HostToWebviewMessage, RunReport } from '../../protocol/protocol';
import { buildFlowGraph } from '../../server/src/report/flowGraph';
import { renderReportHtml } from '../../server/src/report/html';
import { parseSpec } from '../../server/src/spec/parse';
import { ARTIFACTS, buildWebview, launch, ROOT, screenshot, serve, type Browser, type Served } from './harness';

const SPEC_TEXT = readFileSync(join(ROOT, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
const REPORT = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/stock-price/report.json'), 'utf8')) as RunReport;
const GRAPH = buildFlowGraph(parseSpec(SPEC_TEXT), REPORT);
/** Features by decreasing mean importance. */
const BY_IMPORTANCE = [...REPORT.importance!.features].sort((a, b) => b.mean - a.mean);

let bundle: string;
let server: Served;
let browser: Browser;

beforeAll(async () => {
  bundle = buildWebview();
  server = await serve(bundle);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PageLog { errors: string[] }

/** Opens the panel page, sends the graph like the host does, and waits for Mermaid's SVG. */
async function openPanel(theme: 'light' | 'dark', message: HostToWebviewMessage): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.context.newPage();
  const log: PageLog = { errors: [] };
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) log.errors.push(m.text()); });
  page.on('dialog', (d) => { log.errors.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(`${server.origin}/panel.html?theme=${theme}`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForSelector('.xai-diagram svg g.node[data-xai-node]');
  return { page, log };
}

/** Per rendered feature node: its feature, fill colour (computed) and relative luminance. */
async function featureFills(page: Page): Promise<{ feature: string; fill: string; luminance: number }[]> {
  return page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => els.map((el) => {
    const shape = el.querySelector('rect, path, polygon')!;
    const fill = getComputedStyle(shape).fill;
    const [r, g, b] = (fill.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return { feature: el.getAttribute('data-xai-feature')!, fill, luminance: 0.2126 * r! + 0.7152 * g! + 0.0722 * b! };
  }));
}

/**
 * Asserts that the shading orders the features as their importances do: a more important feature is never
 * lighter (light theme; never darker on dark themes), and is strictly darker when the importances differ by more
 * than 1 % of their range (closer ones may share a shade: fills are 8-bit colours). The most important is alone
 * at its end of the scale.
 */
function expectShadingInImportanceOrder(fills: { feature: string; luminance: number }[], direction: 'darker' | 'brighter'): void {
  const means = new Map(BY_IMPORTANCE.map((f) => [f.feature, f.mean]));
  const span = BY_IMPORTANCE[0]!.mean - BY_IMPORTANCE.at(-1)!.mean;
  const sign = direction === 'darker' ? 1 : -1;
  for (const a of fills) {
    for (const b of fills) {
      const gap = (means.get(a.feature)! - means.get(b.feature)!) / span;
      if (gap <= 0) continue;
      expect(sign * a.luminance, `${a.feature} vs ${b.feature}`).toBeLessThanOrEqual(sign * b.luminance);
      if (gap > 0.01) expect(sign * a.luminance, `${a.feature} vs ${b.feature}`).toBeLessThan(sign * b.luminance);
    }
  }
  const ordered = [...fills].sort((x, y) => sign * (x.luminance - y.luminance));
  expect(ordered[0]!.feature).toBe(BY_IMPORTANCE[0]!.feature);
  expect(sign * ordered[0]!.luminance).toBeLessThan(sign * ordered[1]!.luminance);
}

function posted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

describe('flowchart webview in Chromium', () => {
  it('draws a node per pipeline stage and per feature, shaded in importance order (light theme)', async () => {
    const { page, log } = await openPanel('light', { type: 'graph', graph: GRAPH, report: REPORT, specUri: 'file:///spec.xai.yaml' });
    // One rendered node per graph node (the model node is the box around the layers).
    const rendered = await page.$$eval('.xai-diagram [data-xai-node]', (els) => els.map((e) => e.getAttribute('data-xai-node')));
    expect([...rendered].sort()).toEqual(GRAPH.nodes.map((n) => n.id).sort());
    const texts = await page.$$eval('.xai-diagram g.node[data-xai-node]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-xai-node'), `${e.getAttribute('data-xai-kind')}:${e.querySelector('.label')?.textContent}`])));
    const stages = GRAPH.nodes.filter((n) => n.kind !== 'feature' && n.kind !== 'model');
    expect(stages.map((n) => texts[n.id]?.split(':')[0] + ':' + n.label)).toEqual([
      'source:stocks.csv', 'step:filter', 'step:sort', 'step:lags', 'step:split', 'step:standardize',
      'layer:Input · 10 features', 'layer:Dense 10 · ReLU', 'layer:Dense 1 · linear', 'output:price',
      'explainer:Permutation importance', 'spec:stock-price',
    ]);
    for (const n of stages) expect(texts[n.id]).toBe(`${n.kind}:${n.label}${n.detail ?? ''}`);
    expect(texts.n_output).toBe(`output:priceRMSE ${Number(REPORT.metrics.model.rmse.toPrecision(3))} (baseline ${Number(REPORT.metrics.baseline.rmse.toPrecision(3))})`);

    // Ten feature nodes, each with mean ± std, shaded so that luminance order = importance order.
    const fills = await featureFills(page);
    expect(fills.map((f) => f.feature).sort()).toEqual(REPORT.features.slice().sort());
    expect(fills).toHaveLength(10);
    expectShadingInImportanceOrder(fills, 'darker');
    const topText = await page.textContent(`.xai-diagram g.node[data-xai-feature="${BY_IMPORTANCE[0]!.feature}"]`);
    expect(topText).toContain(`${Number(BY_IMPORTANCE[0]!.mean.toPrecision(3))} ± ${Number(BY_IMPORTANCE[0]!.std.toPrecision(3))}`);

    // Edges into the model are weighted by importance too.
    const widths: Record<string, number> = await page.$$eval('.xai-diagram path.flowchart-link', (els) =>
      Object.fromEntries(els.filter((e) => /L_n_feat_\w+_n_layer_in_/.test(e.id))
        .map((e) => [/L_n_feat_(\w+)_n_layer_in_/.exec(e.id)![1], parseFloat(getComputedStyle(e).strokeWidth)])));
    const widthOrder = Object.entries(widths).sort((a, b) => b[1] - a[1]).map(([f]) => f);
    expect(widthOrder[0]).toBe(BY_IMPORTANCE[0]!.feature);
    expect(widths[BY_IMPORTANCE[0]!.feature]).toBeGreaterThan(widths[BY_IMPORTANCE.at(-1)!.feature]! * 3);

    // The legend names the method and the scale's ends; the state is kept for panel restore.
    expect(await page.isVisible('.xai-legend')).toBe(true);
    expect(await page.textContent('.xai-legend')).toContain('Permutation importance');
    const state = await page.evaluate(() => (window as unknown as { __state: { specUri?: string; graph?: FlowGraph } }).__state);
    expect(state.specUri).toBe('file:///spec.xai.yaml');
    expect(state.graph?.nodes).toHaveLength(GRAPH.nodes.length);
    expect(await violations(page)).toEqual([]);
    expect(log.errors).toEqual([]);
    const shot = await screenshot(page, 'flowchart-light-overlay');
    if (process.env.XAI_UPDATE_DOCS === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(shot, join(ROOT, 'docs/flowchart.png'));
    }

    // The checkbox turns the overlay off: feature nodes lose their shading, the legend goes.
    await page.click('vscode-checkbox.xai-overlay-toggle');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.xai-legend')!.hidden);
    const plain = await featureFills(page);
    expect(new Set(plain.map((f) => f.fill)).size).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __state: { overlay?: boolean } }).__state.overlay)).toBe(false);
    await page.close();
  });

  it('shades more important features brighter on a dark theme', async () => {
    const { page, log } = await openPanel('dark', { type: 'graph', graph: GRAPH, report: REPORT });
    const fills = await featureFills(page);
    expectShadingInImportanceOrder(fills, 'brighter');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(31, 31, 31)');
    await screenshot(page, 'flowchart-dark-overlay');
    // A theme switch (VS Code swaps the body class) redraws with the light scale: the top feature turns dark.
    const top = BY_IMPORTANCE[0]!.feature;
    const topLuminance = (): Promise<number> => featureFills(page).then((f) => f.find((x) => x.feature === top)!.luminance);
    expect(await topLuminance()).toBeGreaterThan(0.5);
    await page.evaluate(() => { document.body.className = 'vscode-light'; });
    await page.waitForFunction((feature) => {
      const shape = document.querySelector(`.xai-diagram g.node[data-xai-feature="${feature}"] rect`);
      return shape !== null && getComputedStyle(shape).fill === 'rgb(8, 48, 107)';
    }, top);
    expect(await topLuminance()).toBeLessThan(0.05);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('posts reveal with the range of a clicked node, outlines a highlighted one, drops malformed messages', async () => {
    const { page, log } = await openPanel('light', { type: 'graph', graph: GRAPH, report: REPORT });
    const lag3 = GRAPH.nodes.find((n) => n.feature === 'price_lag3')!;
    await page.click(`.xai-diagram g.node[data-xai-node="${lag3.id}"]`);
    const source = GRAPH.nodes.find((n) => n.kind === 'source')!;
    await page.click(`.xai-diagram g.node[data-xai-node="${source.id}"]`);
    expect(await posted(page)).toEqual([{ type: 'ready' }, { type: 'reveal', range: lag3.range }, { type: 'reveal', range: source.range }]);
    expect(lag3.range!.start.line).toBe(SPEC_TEXT.split('\n').findIndex((l) => l.includes('count: 10')));

    await page.evaluate(() => window.postMessage({ type: 'highlight', nodeId: 'n_layer1' }, '*'));
    await page.waitForSelector('.xai-diagram g.node.xai-highlight[data-xai-node="n_layer1"]');
    const stroke = await page.$eval('.xai-diagram g.node.xai-highlight', (el) => getComputedStyle(el.querySelector('rect, path, polygon')!).strokeWidth);
    expect(stroke).toBe('3px');

    // In a narrow panel the diagram fits the width; unticking "Fit to width" shows it at natural size, scrolling.
    await page.setViewportSize({ width: 700, height: 900 });
    const svgWidth = (): Promise<number> => page.$eval('.xai-diagram svg', (el) => el.getBoundingClientRect().width);
    expect(await svgWidth()).toBeLessThanOrEqual(700);
    await page.click('vscode-checkbox.xai-fit-toggle');
    await page.waitForFunction(() => document.querySelector('.xai-diagram svg')!.getBoundingClientRect().width > 700);
    expect(await page.$eval('.xai-diagram', (el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __state: { fit?: boolean } }).__state.fit)).toBe(false);
    await page.click('vscode-checkbox.xai-fit-toggle');
    expect(await svgWidth()).toBeLessThanOrEqual(700);

    // Not protocol messages: ignored, the drawing stays.
    const before = await page.innerHTML('.xai-diagram');
    await page.evaluate(() => {
      window.postMessage({ type: 'graph', graph: 'not a graph' }, '*');
      window.postMessage({ type: 'run', code: 'alert(1)' }, '*');
      window.postMessage('graph', '*');
    });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    expect(await page.innerHTML('.xai-diagram')).toBe(before);
    expect(await page.isHidden('.xai-error')).toBe(true);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('says so, in the page and to the host, when Mermaid cannot draw a graph', async () => {
    // 600 edges: over Mermaid's edge limit (500), so rendering throws.
    const nodes = Array.from({ length: 31 }, (_, i) => ({ id: `n${i}`, kind: 'step' as const, label: `s${i}` }));
    const edges = Array.from({ length: 600 }, (_, k) => ({ from: `n${k % 30}`, to: `n${(k % 30) + 1}` }));
    const { page } = await openPanel('light', { type: 'graph', graph: GRAPH, report: REPORT });
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'graph', graph: { specName: 'big', nodes, edges } });
    await page.waitForSelector('.xai-error:not([hidden])');
    expect(await page.textContent('.xai-error')).toMatch(/^The flowchart could not be drawn: /);
    const errors = (await posted(page)).filter((m) => (m as { type: string }).type === 'error') as { message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message.length).toBeLessThanOrEqual(2000);
    // The last good drawing stays.
    expect(await page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => els.length)).toBe(10);
    await page.close();
  });

  it('warms Mermaid up off-screen while it waits for the first graph, and leaves nothing of it behind', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/panel.html`);
    await page.waitForFunction(() => document.body.dataset.xaiWarmedUp === 'true');
    // Nothing drawn, nothing left in the page: the diagram still waits, and Mermaid's scratch element is gone.
    expect(await page.$eval('.xai-diagram', (el) => el.textContent)).toBe('Waiting for the pipeline…');
    expect(await page.evaluate(() => document.body.dataset.xaiDrawn)).toBeUndefined();
    expect(await page.$$eval('body > *', (els) => els.map((e) => e.id || e.localName).filter((id) => /warm|^d/.test(id)))).toEqual([]);
    expect(await page.$$('svg g.node')).toHaveLength(0);
    // The first graph then draws as usual.
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'graph', graph: GRAPH, report: REPORT, specUri: 'file:///spec.xai.yaml' } as HostToWebviewMessage);
    await page.waitForSelector('.xai-diagram svg g.node[data-xai-kind="feature"]');
    expect(await page.$$eval('svg', (els) => els.filter((e) => e.closest('.xai-diagram') === null && e.querySelector('g.node')).length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('restores from its saved state (panel restore) before the host says anything', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript((state) => { (window as unknown as { __initialState: unknown }).__initialState = state; },
      { specUri: 'file:///restored.xai.yaml', graph: GRAPH, report: REPORT, overlay: false });
    await page.goto(`${server.origin}/panel.html`);
    await page.waitForSelector('.xai-diagram svg g.node[data-xai-kind="feature"]');
    expect(await posted(page)).toEqual([{ type: 'ready' }]);
    expect(await page.$eval('vscode-checkbox.xai-overlay-toggle', (el) => (el as HTMLElement & { checked: boolean }).checked)).toBe(false);
    expect(await page.isHidden('.xai-legend')).toBe(true);
    expect(new Set((await featureFills(page)).map((f) => f.fill)).size).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile CSV header as text and runs no script', async () => {
    const hostile = ['<img src=x onerror="window.__pwned=1">', '"]-->X[', '<script>window.__pwned=2</script>', 'a|b"c'];
    const specText = `version: 1\nname: "<b>hostile</b>"\ntask: regression\ndata:\n  source: "<svg onload=alert(1)>.csv"\n  target: price\n` +
      `  features: ${JSON.stringify(hostile)}\nmodel:\n  type: mlp\n  hidden_layers: [{units: 4, activation: relu}]\n` +
      'explanation:\n  - permutation_importance: {repeats: 5}\n';
    const report: RunReport = {
      ...REPORT, features: hostile,
      importance: { ...REPORT.importance!, features: hostile.map((f, i) => ({ feature: f, mean: 4 - i, std: 0.1, values: [4 - i] })) },
    };
    const graph = buildFlowGraph(parseSpec(specText), report);
    const { page, log } = await openPanel('light', { type: 'graph', graph, report });
    const texts = await page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => els.map((e) => e.querySelector('.label')?.textContent));
    for (const [i, h] of hostile.entries()) expect(texts[i]).toContain(h);
    expect(await page.textContent('.xai-diagram')).toContain('<svg onload=alert(1)>.csv');
    expect(await page.textContent('.xai-diagram')).toContain('<b>hostile</b>');
    // No element came out of a label, no extra node "X" appeared, nothing ran and the CSP had nothing to block.
    expect(await page.$$eval('.xai-diagram img, .xai-diagram script, .xai-diagram b, .xai-diagram svg svg', (els) => els.length)).toBe(0);
    expect(await page.$$eval('.xai-diagram g.node', (els) => els.length)).toBe(graph.nodes.filter((n) => n.kind !== 'model').length);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await violations(page)).toEqual([]);
    expect(log.errors).toEqual([]);
    await screenshot(page, 'flowchart-hostile');
    await page.close();
  });

  it('opens report.html from disk with its flowchart and tables', async () => {
    const html = renderReportHtml(GRAPH, REPORT, bundle);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'report.html');
    writeFileSync(file, html);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.xai-diagram svg g.node[data-xai-kind="feature"]');
    const fills = await featureFills(page);
    expectShadingInImportanceOrder(fills, 'darker');
    const metrics = await page.$$eval('table.metrics tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(metrics[0]).toEqual(['RMSE', String(Number(REPORT.metrics.model.rmse.toPrecision(3))), String(Number(REPORT.metrics.baseline.rmse.toPrecision(3))), expect.any(String)]);
    const importance = await page.$$eval('table.importance tbody tr', (rows) => rows.map((r) => r.children[1]!.textContent));
    expect(importance).toEqual(BY_IMPORTANCE.map((f) => f.feature));
    expect(errors).toEqual([]);
    await screenshot(page, 'report-html');
    // Without VS Code the page follows the system's colour scheme: dark variables, dark scale.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction((feature) => {
      const shape = document.querySelector(`.xai-diagram g.node[data-xai-feature="${feature}"] rect`);
      return shape !== null && getComputedStyle(shape).fill === 'rgb(227, 238, 249)';
    }, BY_IMPORTANCE[0]!.feature);
    expect(await page.$eval('.page', (el) => getComputedStyle(el).backgroundColor)).toBe('rgb(31, 31, 31)');
    expectShadingInImportanceOrder(await featureFills(page), 'brighter');
    await screenshot(page, 'report-html-dark');
    await page.close();
  });
});
