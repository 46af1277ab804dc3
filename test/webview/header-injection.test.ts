/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Must-show 2: a CSV whose header holds `<img src=x onerror=alert(1)>` and `"]-->X[` goes through real training
 * (the built CLI: a CART tree with permutation importance, TreeSHAP, Sobol, PD/ICE and decision paths) and through
 * every panel in real Chromium under the panels' CSP: the Report panel, the flowchart (with its tree nodes and the
 * path overlay), the Decision Path panel, and the run's standalone report.html. Everywhere the two names show as
 * text, no markup from them reaches the DOM (no <img>, no CSP violation, no dialog, so no handler ran) and every
 * diagram and chart is drawn.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionPathResult, FlowGraph, HostToReportMessage } from '../../protocol/protocol';
import { contentSecurityPolicy } from '../../client/src/panels/csp';
import { decisionPath } from '../../server/src/lsp/decisionPath';
import { runTree } from '../../server/src/lsp/flowGraph';
import { buildFlowGraph } from '../../server/src/report/flowGraph';
import { scriptForInline } from '../../server/src/report/html';
import { LIGHT_MODERN, themeVarDeclarations } from '../../server/src/report/themeVars';
import { parseSpec } from '../../server/src/spec/parse';
import { buildWebview, launch, ROOT, screenshot, serve, type Browser, type Served } from './harness';
import { buildReportBundle, runSpec, send, watchPage, type PageLog, type RealRun } from './reportHarness';

const IMG = '<img src=x onerror=alert(1)>';
const MERMAID_BREAK = '"]-->X[';
const HOSTILE = [IMG, MERMAID_BREAK];

let work: string;
let run: RealRun;
let graph: FlowGraph;
let path: DecisionPathResult;
let server: Served;
let browser: Browser;

/** A panel page with the panels' CSP and a built bundle inlined under the nonce (as report.html inlines it). */
function inlinedPage(bundleFile: string, rootId: string): string {
  const nonce = 'aGVhZGVyLWluamVjdGlvbg==';
  const bundle = readFileSync(join(ROOT, 'dist/webview', bundleFile), 'utf8');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy('http://127.0.0.1', nonce)}">
<style>html { ${themeVarDeclarations(LIGHT_MODERN)} }</style><title>panel</title></head>
<body class="vscode-light"><main id="${rootId}"></main>
<script nonce="${nonce}">
  window.__posted = []; window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => {} });
</script>
<script nonce="${nonce}">${scriptForInline(bundle)}</script></body></html>`;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'xai-hostile-'));
  const rows = [`${IMG},"${MERMAID_BREAK.replace(/"/g, '""')}",plain,y`];
  for (let i = 0; i < 160; i++) {
    const a = (i % 17) * 0.5; const b = (i * 7) % 13; const c = (i * 3) % 11;
    rows.push(`${a},${b},${c},${(3 * a - 2 * b + 0.5 * c + (((i * 37) % 10) - 4.5) * 0.1).toFixed(4)}`);
  }
  writeFileSync(join(work, 'hostile.csv'), `${rows.join('\n')}\n`);
  const spec = join(work, 'hostile.xai.yaml');
  writeFileSync(spec, `version: 1
name: hostile
task: regression
data:
  source: hostile.csv
  target: y
preprocessing:
  - split:
      method: random
      validation: 0.25
      seed: 1
model:
  type: decision_tree
  max_depth: 3
training:
  seed: 42
explanation:
  - permutation_importance:
      repeats: 5
      split: validation
  - shap:
      samples: 10
  - sobol:
      samples: 128
  - partial_dependence:
      top: 3
      ice: true
  - decision_paths:
      samples: 3
`);
  run = runSpec(spec);
  graph = buildFlowGraph(parseSpec(readFileSync(spec, 'utf8')), run.report, { tree: runTree(run.runDir) });
  path = await decisionPath({ uri: pathToFileURL(spec).href, selector: { by: 'row', row: 0 } });
  buildReportBundle();
  const flowchart = buildWebview();
  server = await serve(flowchart, { '/report-panel.html': inlinedPage('report.js', 'xai-report'), '/paths-panel.html': inlinedPage('paths.js', 'xai-paths') });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What every page must show after the hostile names went through it. */
async function expectTextOnly(page: Page, log: PageLog, scope: string): Promise<void> {
  const dom = await page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    return {
      text: el.textContent ?? '',
      images: document.querySelectorAll('img, image').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      violations: (window as unknown as { __violations?: string[] }).__violations ?? [],
      posted: (window as unknown as { __posted?: unknown[] }).__posted ?? [],
    };
  }, scope);
  for (const h of HOSTILE) expect(dom.text).toContain(h);
  expect(dom.images).toBe(0);
  expect(dom.handlers).toBe(0);
  expect(dom.violations).toEqual([]);
  expect(log.dialogs).toEqual([]);
  expect(log.errors).toEqual([]);
  expect(dom.posted.filter((m) => (m as { type?: string }).type === 'error')).toEqual([]);
}

describe('a hostile CSV header through training and every panel', () => {
  it('trains with the two names as features', () => {
    expect(run.report.features).toEqual([IMG, MERMAID_BREAK, 'plain']);
    expect(run.report.importance!.features.map((f) => f.feature).sort()).toEqual([...run.report.features].sort());
    expect(graph.nodes.filter((n) => n.kind === 'feature').map((n) => n.feature)).toEqual(run.report.features);
    expect(path.ok).toBe(true);
  });

  it('Report panel: every chart drawn, the names as text', async () => {
    const page = await browser.context.newPage();
    const log = watchPage(page);
    await page.goto(`${server.origin}/report-panel.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    const message: HostToReportMessage = { type: 'report', runDir: pathToFileURL(run.runDir).href, report: run.report, explanationMarkdown: run.explanationMarkdown };
    await send(page, message);
    await page.waitForSelector('.xai-s-shap:not([hidden]) .xai-waterfall svg');
    expect(await page.$$eval('.xai-importance .xai-importance-bar rect', (r) => r.map((x) => x.getAttribute('aria-label')))).toEqual(
      [...run.report.importance!.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature));
    expect(await page.$$eval('.xai-beeswarm .xai-beeswarm-dot circle', (c) => c.length)).toBe(10 * 3);
    expect(await page.$$eval('.xai-waterfall .xai-waterfall-bar rect', (r) => r.length)).toBe(3);
    const axisTicks = await page.$$eval('.xai-importance svg text', (t) => t.map((x) => x.textContent));
    for (const h of HOSTILE) expect(axisTicks).toContain(h);
    expect(await page.$$eval('.xai-pd-feature vscode-option', (o) => o.map((x) => x.textContent))).toEqual(expect.arrayContaining(HOSTILE));
    const markdown = await page.textContent('.xai-markdown');
    for (const h of HOSTILE) expect(markdown).toContain(h);
    await screenshot(page, 'header-injection-report');
    await expectTextOnly(page, log, '#xai-report');
    await page.close();
  });

  it('Flowchart: the diagram draws every node, the names as labels, with the path overlay', async () => {
    const page = await browser.context.newPage();
    const log = watchPage(page);
    await page.goto(`${server.origin}/panel.html?theme=light`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    await send(page, { type: 'graph', graph, report: run.report });
    await page.waitForSelector('.xai-diagram svg g.node[data-xai-kind="feature"]');
    // Nodes and subgraphs (the model box holds the tree's nodes).
    const nodes = await page.$$eval('.xai-diagram :is(g.node, g.cluster)[data-xai-node]', (els) => els.map((e) => e.getAttribute('data-xai-node')));
    expect(nodes.sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    const labels = await page.$$eval('.xai-diagram g.node[data-xai-kind="feature"]', (els) => els.map((e) => e.textContent ?? ''));
    for (const [i, h] of HOSTILE.entries()) expect(labels[i]).toContain(h);
    // "]-->X[ did not become an edge to a node X.
    expect(nodes).not.toContain('X');
    expect(await page.isHidden('.xai-error')).toBe(true);
    if (path.sample) {
      await send(page, { type: 'path', sample: path.sample });
      await page.waitForSelector('.xai-diagram svg.xai-has-path g.node.xai-path[data-xai-kind="tree"]');
      // The path's tree nodes are the sample's steps, root first.
      const onPath = await page.$$eval('.xai-diagram g.node.xai-path[data-xai-kind="tree"]', (els) => els.length);
      expect(onPath).toBeGreaterThan(0);
    }
    await screenshot(page, 'header-injection-flowchart');
    await expectTextOnly(page, log, '.xai-diagram');
    await page.close();
  });

  it('Decision Path panel: the path and attribution name the features as text', async () => {
    const page = await browser.context.newPage();
    const log = watchPage(page);
    await page.goto(`${server.origin}/paths-panel.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    await send(page, { type: 'decisionPath', result: path, selector: { by: 'row', row: 0 } });
    await page.waitForFunction(() => !document.querySelector('.xai-result .xai-message'));
    const usedOnPath = new Set(path.sample!.path.steps.map((s) => s.feature).filter(Boolean));
    expect([...usedOnPath].some((f) => HOSTILE.includes(f!))).toBe(true);
    await screenshot(page, 'header-injection-paths');
    await expectTextOnly(page, log, '#xai-paths');
    await page.close();
  });

  it('report.html of the run: flowchart, tables and charts drawn, the names as text', async () => {
    const page = await browser.context.newPage();
    const log = watchPage(page);
    await page.goto(pathToFileURL(join(run.runDir, 'report.html')).href);
    await page.waitForSelector('#xai-flowchart svg g.node[data-xai-kind="feature"]');
    expect(await page.$$eval('#xai-flowchart g.node[data-xai-kind="feature"]', (e) => e.length)).toBe(3);
    expect(await page.$$eval('table.importance tbody tr', (rows) => rows.map((r) => r.children[1]!.textContent))).toEqual(
      [...run.report.importance!.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature));
    // The Report panel's charts, embedded: bars per feature, one dot per (sample, feature), names as axis text.
    await page.waitForSelector('#xai-report .xai-beeswarm svg');
    expect(await page.$$eval('#xai-report .xai-importance .xai-importance-bar rect', (r) => r.length)).toBe(3);
    expect(await page.$$eval('#xai-report .xai-beeswarm .xai-beeswarm-dot circle', (c) => c.length)).toBe(10 * 3);
    const ticks = await page.$$eval('#xai-report .xai-importance svg text', (t) => t.map((x) => x.textContent));
    for (const h of HOSTILE) expect(ticks).toContain(h);
    await screenshot(page, 'header-injection-report-html');
    await expectTextOnly(page, log, 'body');
    await page.close();
  });
});
