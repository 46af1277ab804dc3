/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The flowchart's overlays and the Decision Path panel in real Chromium, with reports of real runs made here
 * (iris: CART tree; diabetes: ridge with SHAP and Sobol; penguins: MLP with one-hot groups): shading per
 * importance method, a grouped one-hot entry shading its nodes, the decision path of iris row 0 against
 * scikit-learn's reference, reveal on click with the node's range, a theme switch, state after a reload, the
 * in-place patch of an edited label, SVG/PNG export, and the Decision Path panel's picker and path.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionPathResult, DecisionPathSample, FlowGraph, HostToWebviewMessage, RunReport } from '../../protocol/protocol';
import { runTree } from '../../server/src/lsp/flowGraph';
import { decisionPath } from '../../server/src/lsp/decisionPath';
import { runPipeline } from '../../server/src/pipeline/runPipeline';
import { buildFlowGraph } from '../../server/src/report/flowGraph';
import { scriptForInline } from '../../server/src/report/html';
import { parseSpec } from '../../server/src/spec/parse';
import { selectBackend } from '../../server/src/worker/backend';
import { contentSecurityPolicy } from '../../client/src/panels/csp';
import { DARK_MODERN, LIGHT_MODERN, themeVarDeclarations } from '../../server/src/report/themeVars';
import { buildWebview, launch, ROOT, screenshot, serve, type Browser, type Served } from './harness';

interface Run { spec: string; text: string; report: RunReport; graph: FlowGraph }

let ws: string;
const runs: Record<'iris' | 'diabetes' | 'penguins', Run> = {} as never;
let server: Served;
let browser: Browser;
let row0: DecisionPathResult;

/** The Decision Path page, with the panel's CSP and the bundle inlined under the nonce. */
function pathsPage(origin: string, theme: 'light' | 'dark'): string {
  const nonce = 'cGF0aHMtdGVzdC1ub25jZQ==';
  const bundle = readFileSync(join(ROOT, 'dist/webview/paths.js'), 'utf8');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin, nonce)}">
<style>html { ${themeVarDeclarations(theme === 'dark' ? DARK_MODERN : LIGHT_MODERN)} }</style><title>Decision Path</title></head>
<body class="vscode-${theme}"><main id="xai-paths"></main>
<script nonce="${nonce}">
  window.__posted = []; window.__state = window.__initialState;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => window.__state, setState: (s) => { window.__state = s; } });
</script>
<script nonce="${nonce}">${scriptForInline(bundle)}</script></body></html>`;
}

beforeAll(async () => {
  expect(await selectBackend('cpu')).toBe('cpu');
  ws = mkdtempSync(join(tmpdir(), 'xai-webview-paths-'));
  for (const name of ['iris', 'diabetes', 'penguins', 'data']) {
    cpSync(join(ROOT, 'examples', name), join(ws, name), { recursive: true, filter: (s) => !s.includes('/.xai') });
  }
  for (const name of ['iris', 'diabetes', 'penguins'] as const) {
    const spec = join(ws, name, `${name}.xai.yaml`);
    const { runDir, report } = await runPipeline(spec, { backend: 'cpu' });
    const text = readFileSync(spec, 'utf8');
    runs[name] = { spec, text, report, graph: buildFlowGraph(parseSpec(text), report, { tree: runTree(runDir), runtimeDiagnostics: 0 }) };
  }
  row0 = await decisionPath({ uri: pathToFileURL(runs.iris.spec).href, selector: { by: 'row', row: 0 } });
  const bundle = buildWebview();
  server = await serve(bundle, { '/paths-light.html': pathsPage('http://127.0.0.1', 'light') });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Win = { __posted: unknown[]; __state: Record<string, unknown>; __violations?: string[] };

async function openFlowchart(theme: 'light' | 'dark', message: HostToWebviewMessage, state?: unknown): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
  if (state) await page.addInitScript((s) => { (window as unknown as { __initialState: unknown }).__initialState = s; }, state);
  await page.goto(`${server.origin}/panel.html?theme=${theme}`);
  await page.waitForFunction(() => (window as unknown as Win).__posted.length > 0);
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForSelector('.xai-diagram svg g.node[data-xai-node]');
  return { page, errors };
}

/** Waits until the page has drawn `count` times in all (render or patch). */
const drawnAtLeast = (page: Page, count: number) => page.waitForFunction((c) => Number(document.body.dataset.xaiDrawn ?? 0) >= c, count);
const drawn = (page: Page): Promise<number> => page.evaluate(() => Number(document.body.dataset.xaiDrawn ?? 0));

/** Feature → relative luminance of its node's fill. */
async function luminances(page: Page): Promise<Map<string, number>> {
  const list = await page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => els.map((el) => {
    const fill = getComputedStyle(el.querySelector('rect, path, polygon')!).fill;
    const [r, g, b] = (fill.match(/[\d.]+/g) ?? []).map(Number).map((v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return [el.getAttribute('data-xai-feature')!, 0.2126 * r! + 0.7152 * g! + 0.0722 * b!] as const;
  }));
  return new Map(list);
}

/** On a light theme a larger value is never lighter, and strictly darker when the values differ by > 2 % of the range. */
function expectDarkerWhenLarger(lum: Map<string, number>, values: Map<string, number>): void {
  const vs = [...values.values()];
  const span = Math.max(...vs) - Math.min(...vs);
  for (const [a, va] of values) for (const [b, vb] of values) {
    if (va <= vb) continue;
    expect(lum.get(a)!, `${a} vs ${b}`).toBeLessThanOrEqual(lum.get(b)!);
    if ((va - vb) / span > 0.02) expect(lum.get(a)!, `${a} vs ${b}`).toBeLessThan(lum.get(b)!);
  }
}

describe('flowchart overlays', () => {
  it('offers the importance methods of the diabetes run and shades in each one\'s order', async () => {
    const { report, graph } = runs.diabetes;
    const { page, errors } = await openFlowchart('light', { type: 'graph', graph, report });
    const options = await page.$$eval('vscode-single-select.xai-method vscode-option', (els) => els.map((e) => e.getAttribute('value')));
    expect(options).toEqual(['permutation_importance', 'sobol_first', 'sobol_total', 'mean_abs_shap']);
    const sections = report.explanations as unknown as { method: string; indices?: { feature: string; first: number; total: number }[]; ranking?: { feature: string; meanAbs: number }[] }[];
    const sobol = sections.find((s) => s.method === 'sobol')!.indices!;
    const shap = sections.find((s) => s.method === 'shap')!.ranking!;
    const expected: Record<string, { values: Map<string, number>; caption: RegExp; label: (f: string) => string }> = {
      permutation_importance: {
        values: new Map(report.importance!.features.map((f) => [f.feature, f.mean])), caption: /^Permutation importance: loss in RMSE/,
        label: (f) => { const x = report.importance!.features.find((y) => y.feature === f)!; return `${Number(x.mean.toPrecision(3))} ± ${Number(x.std.toPrecision(3))}`; },
      },
      sobol_first: { values: new Map(sobol.map((s) => [s.feature, s.first])), caption: /^Sobol first-order index/, label: (f) => `S1 ${Number(sobol.find((s) => s.feature === f)!.first.toPrecision(3))}` },
      sobol_total: { values: new Map(sobol.map((s) => [s.feature, s.total])), caption: /^Sobol total index/, label: (f) => `ST ${Number(sobol.find((s) => s.feature === f)!.total.toPrecision(3))}` },
      mean_abs_shap: { values: new Map(shap.map((s) => [s.feature, s.meanAbs])), caption: /^Mean \|SHAP\|/, label: (f) => `|φ| ${Number(shap.find((s) => s.feature === f)!.meanAbs.toPrecision(3))}` },
    };
    for (const [method, want] of Object.entries(expected)) {
      const before = await drawn(page);
      await page.evaluate((m) => {
        const sel = document.querySelector('vscode-single-select.xai-method') as HTMLElement & { value: string };
        sel.value = m;
        sel.dispatchEvent(new Event('change'));
      }, method);
      if (method !== 'permutation_importance') await drawnAtLeast(page, before + 1);
      expectDarkerWhenLarger(await luminances(page), want.values);
      expect(await page.textContent('.xai-legend-caption')).toMatch(want.caption);
      const top = [...want.values].sort((a, b) => b[1] - a[1])[0]![0];
      expect(await page.textContent(`.xai-diagram g.node[data-xai-feature="${top}"] .nodeLabel`)).toContain(want.label(top));
      await screenshot(page, `overlay-${method}`);
    }
    expect((await page.evaluate(() => (window as unknown as Win).__state)).method).toBe('mean_abs_shap');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shades every node of a grouped one-hot entry (Island=… from the penguins run\'s Island)', async () => {
    const { report, graph } = runs.penguins;
    const island = report.importance!.features.find((f) => f.feature === 'Island')!;
    expect(island.columns).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);
    const { page, errors } = await openFlowchart('light', { type: 'graph', graph, report });
    const fills = await page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => Object.fromEntries(els.map((el) =>
      [el.getAttribute('data-xai-feature'), getComputedStyle(el.querySelector('rect, path, polygon')!).fill])));
    const plain = await page.$eval('.xai-diagram g.node[data-xai-kind="source"]', (el) => getComputedStyle(el.querySelector('rect, path, polygon')!).fill);
    for (const c of island.columns!) expect(fills[c], c).not.toBe(plain);
    expect(new Set(island.columns!.map((c) => fills[c])).size).toBe(1);
    const text = await page.textContent('.xai-diagram g.node[data-xai-feature="Island=Dream"] .nodeLabel');
    expect(text).toContain(`Island: ${Number(island.mean.toPrecision(3))} ± ${Number(island.std.toPrecision(3))}`);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('path overlay and Decision Path panel', () => {
  const sample = (): DecisionPathSample => row0.sample!;

  it('iris row 0: the tree path root → leaf lit, values against thresholds, leaf setosa as scikit-learn predicts', async () => {
    const reference = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sklearn/explain_iris_tree.json'), 'utf8')) as { classes: string[]; predict_proba: number[][] };
    const { graph, report } = runs.iris;
    expect(graph.nodes.filter((n) => n.kind === 'tree').map((n) => n.label)).toContain('petal_length ≤ 2.45');
    const { page, errors } = await openFlowchart('light', { type: 'graph', graph, report });
    await page.evaluate((s) => window.postMessage({ type: 'path', sample: s }, '*'), sample());
    await page.waitForSelector('.xai-diagram svg.xai-has-path');
    const lit = await page.$$eval('.xai-diagram g.node.xai-path[data-xai-kind="tree"]', (els) => els.map((e) => e.getAttribute('data-xai-node')));
    expect(lit.sort()).toEqual(['n_tree_0', 'n_tree_1']);
    expect(await page.textContent('.xai-diagram g.node[data-xai-node="n_tree_0"] .nodeLabel')).toContain('petal_length = 1.4 ≤ 2.45');
    const leafText = await page.textContent('.xai-diagram g.node[data-xai-node="n_tree_1"] .nodeLabel');
    const sk = reference.predict_proba[0]!;
    expect(leafText).toContain(`→ ${reference.classes[sk.indexOf(Math.max(...sk))]} (1)`);
    expect(await page.$$eval('.xai-diagram g.node.xai-path[data-xai-kind="feature"]', (els) => els.map((e) => e.getAttribute('data-xai-feature')))).toEqual(['petal_length']);
    // The path's edges are drawn in the charts' orange; the tree's other nodes are faded.
    const edge = await page.$eval('.xai-diagram path.xai-path-edge[id*="L_n_tree_0_n_tree_1_"]', (e) => getComputedStyle(e).stroke);
    expect(edge).toBe('rgb(209, 134, 22)');
    expect(await page.$eval('.xai-diagram g.node[data-xai-node="n_tree_2"]', (e) => getComputedStyle(e).opacity)).toBe('0.4');
    expect(await page.textContent('.xai-path-info')).toContain('Row 0 (line 2, ');
    await screenshot(page, 'flowchart-iris-path-row0');

    // A click on a tree node posts reveal with its range: the `max_depth: 3` line of the spec.
    await page.click('.xai-diagram g.node[data-xai-node="n_tree_0"]');
    const treeNode = graph.nodes.find((n) => n.id === 'n_tree_0')!;
    const reveal = (await page.evaluate(() => (window as unknown as Win).__posted)).at(-1) as { type: string; range: typeof treeNode.range };
    expect(reveal).toEqual({ type: 'reveal', range: treeNode.range });
    const lines = runs.iris.text.split(/\r?\n/);
    expect(lines[reveal.range!.start.line]!.slice(reveal.range!.start.character, reveal.range!.end.character)).toBe('3');
    expect(lines[reveal.range!.start.line]).toContain('max_depth: 3');

    // A theme switch redraws the path in the dark theme's orange and the nodes on the dark editor colours.
    const nodeFill = () => page.$eval('.xai-diagram g.node[data-xai-node="n_tree_0"] rect', (e) => getComputedStyle(e).fill);
    const lightFill = await nodeFill();
    const before = await drawn(page);
    // As VS Code does: the body class and the --vscode-* variables change together.
    await page.evaluate((vars) => { document.documentElement.setAttribute('style', vars); document.body.className = 'vscode-dark'; }, themeVarDeclarations(DARK_MODERN));
    await drawnAtLeast(page, before + 1);
    expect(await nodeFill()).not.toBe(lightFill);
    expect(await page.$$eval('.xai-diagram g.node.xai-path[data-xai-kind="tree"]', (els) => els.length)).toBe(2);
    expect(errors).toEqual([]);
    await screenshot(page, 'flowchart-iris-path-row0-dark');

    // State survives a reload: a new page restored from the saved state draws the same path before any message.
    const state = await page.evaluate(() => (window as unknown as Win).__state);
    await page.close();
    const restored = await browser.context.newPage();
    await restored.addInitScript((s) => { (window as unknown as { __initialState: unknown }).__initialState = s; }, state);
    await restored.goto(`${server.origin}/panel.html?theme=light`);
    await restored.waitForSelector('.xai-diagram svg.xai-has-path g.node.xai-path[data-xai-node="n_tree_1"]');
    expect(await restored.evaluate(() => (window as unknown as Win).__posted)).toEqual([{ type: 'ready' }]);
    await restored.close();
  });

  it('penguins MLP: active units on the hidden layer, the top paths\' features, and the surrogate path with its fidelity', async () => {
    const r = await decisionPath({ uri: pathToFileURL(runs.penguins.spec).href, selector: { by: 'row', row: 0 } });
    const s = r.sample!;
    const { graph, report } = runs.penguins;
    const { page, errors } = await openFlowchart('light', { type: 'graph', graph, report });
    await page.evaluate((x) => window.postMessage({ type: 'path', sample: x }, '*'), s);
    await page.waitForSelector('.xai-diagram svg.xai-has-path g.node.xai-path[data-xai-node="n_layer1"]');
    const active = s.relu!.layers[0]!.active;
    expect(await page.textContent('.xai-diagram g.node[data-xai-node="n_layer1"] .nodeLabel')).toContain(`${active.length}/8 active: ${active.slice(0, 12).join(', ')}`);
    // The surrogate's path: one extra node per step, under a title with its held-out fidelity.
    const steps = await page.$$eval('.xai-diagram g.node.xai-k-pathstep', (els) => els.map((e) => e.querySelector('.nodeLabel')!.textContent));
    expect(steps).toHaveLength(s.path.steps.length);
    expect(steps.at(-1)).toContain(`leaf → ${s.path.steps.at(-1)!.predicted}`);
    expect(await page.textContent('.xai-diagram g.cluster .cluster-label')).toBeTruthy();
    expect(await page.textContent('.xai-path-info')).toContain(`fidelity agreement ${Number(s.path.fidelity!.heldOut.toPrecision(3))}`);
    const lit = await page.$$eval('.xai-diagram g.node.xai-path[data-xai-kind="feature"]', (els) => els.map((e) => e.getAttribute('data-xai-feature')));
    expect(lit).toContain(s.relu!.topPaths[0]!.feature);
    await screenshot(page, 'flowchart-penguins-mlp-path');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('patches an edited label in place (same SVG element), and exports SVG and PNG', async () => {
    const { graph, report } = runs.iris;
    const { page, errors } = await openFlowchart('light', { type: 'graph', graph, report });
    await page.evaluate(() => document.querySelector('.xai-diagram svg')!.setAttribute('data-test-mark', '1'));
    const edited = { ...graph, nodes: graph.nodes.map((n) => (n.id === 'n_source' ? { ...n, detail: '151 rows' } : n)) };
    const before = await drawn(page);
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'graph', graph: edited, report });
    await drawnAtLeast(page, before + 1);
    expect(await page.textContent('.xai-diagram g.node[data-xai-node="n_source"] .nodeLabel')).toContain('151 rows');
    expect(await page.$eval('.xai-diagram svg', (e) => e.getAttribute('data-test-mark'))).toBe('1');

    await page.click('vscode-button.xai-export-svg');
    await page.waitForFunction(() => (window as unknown as Win).__posted.some((m) => (m as { type: string }).type === 'export'));
    await page.click('vscode-button.xai-export-png');
    await page.waitForFunction(() => (window as unknown as Win).__posted.filter((m) => (m as { type: string }).type === 'export').length === 2);
    const exports = (await page.evaluate(() => (window as unknown as Win).__posted)).filter((m) => (m as { type: string }).type === 'export') as { format: string; data: string }[];
    expect(exports[0]!.format).toBe('svg');
    expect(exports[0]!.data).toMatch(/^<\?xml[^>]*>\n<svg /);
    expect(exports[0]!.data).toContain('petal_length ≤ 2.45');
    expect(exports[1]!.format).toBe('png');
    const png = Buffer.from(exports[1]!.data, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(400); // width in px (2× the drawing)
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Decision Path panel: the path step by step, the attribution, a candidate row picked, state after a reload', async () => {
    const worst = await decisionPath({ uri: pathToFileURL(runs.iris.spec).href, selector: { by: 'worst', rank: 0 } });
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/paths-light.html`);
    await page.waitForFunction(() => (window as unknown as Win).__posted.length > 0);
    expect(await page.evaluate(() => (window as unknown as Win).__posted)).toEqual([{ type: 'ready' }]);
    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'decisionPath', selector: { by: 'row', row: 0 }, result: row0 });
    await page.waitForSelector('.xai-steps li');
    const steps = await page.$$eval('.xai-steps li .xai-step-test', (els) => els.map((e) => e.textContent!.replace(/\s+/g, ' ').trim()));
    expect(steps).toEqual(['petal_length = 1.4 ≤ 2.45', 'Leaf: setosa (1)']);
    expect(await page.textContent('.xai-steps li:first-child .xai-step-detail')).toContain('here the prediction is versicolor');
    const bars = await page.$$eval('.xai-bars .xai-bar-row', (els) => els.map((e) => e.getAttribute('aria-label')));
    expect(bars).toHaveLength(4);
    expect(bars[0]).toMatch(/^petal_length: /);
    expect(await page.textContent('.xai-summary')).toContain('actual setosa');

    await page.evaluate((m) => window.postMessage(m, '*'), { type: 'decisionPath', selector: { by: 'worst', rank: 0 }, result: worst });
    await page.waitForSelector('table.xai-candidates button.xai-pick-row');
    const second = worst.candidates![1]!.row;
    await page.click(`button.xai-pick-row[data-row="${second}"]`);
    expect((await page.evaluate(() => (window as unknown as Win).__posted)).at(-1)).toEqual({ type: 'pick', selector: { by: 'row', row: second } });
    // The form sends what it shows: filter on a column.
    await page.evaluate(() => {
      const set = (sel: string, v: string) => { const el = document.querySelector(sel) as HTMLElement & { value: string }; el.value = v; el.dispatchEvent(new Event('change')); };
      set('.xai-mode', 'filter'); set('.xai-column', 'petal_width'); set('.xai-op', '>'); set('.xai-value', '2.4');
    });
    await page.click('vscode-button.xai-show');
    expect((await page.evaluate(() => (window as unknown as Win).__posted)).at(-1)).toEqual({ type: 'pick', selector: { by: 'filter', column: 'petal_width', op: '>', value: '2.4' } });
    await screenshot(page, 'decision-path-panel');

    const state = await page.evaluate(() => (window as unknown as Win).__state);
    await page.close();
    const restored = await browser.context.newPage();
    await restored.addInitScript((s) => { (window as unknown as { __initialState: unknown }).__initialState = s; }, state);
    await restored.goto(`${server.origin}/paths-light.html`);
    await restored.waitForSelector('table.xai-candidates');
    expect(await restored.$$eval('table.xai-candidates tbody tr', (els) => els.length)).toBe(worst.candidates!.length);
    expect(errors).toEqual([]);
    await restored.close();
  });
});

