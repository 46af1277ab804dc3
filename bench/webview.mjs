/* global document, window, Event, MutationObserver, requestAnimationFrame -- the functions given to page.evaluate run in Chromium */
// The flowchart webview in headless Chromium: time to first render and to re-render after an edit, for
// flowcharts of 10, 60 and 200 nodes with the importance overlay on (and a decision path drawn, for the path row).
//   first render     a fresh page gets its first `graph` message → the drawing is on screen (Mermaid layout)
//   label edit       the spec changes a label only (epochs 300 → 301): the SVG on screen is patched in place
//   method switch    the overlay switches importance method (new fills and value lines): patched in place
//   path overlay     a sample's decision path arrives: classes and value lines, patched in place
//   structural edit  a feature is added (a new node and edges): a full Mermaid render, the peer of the patches; the
//                    first one on a fresh page (the JIT has seen one render), then 10 more in a row (a feature added,
//                    removed, added…), as while a user edits
// Each figure runs from `postMessage` to the next animation frame after the page says it has drawn (so style and
// layout of the new DOM are included). Goal (issue 7): a 60-node flowchart re-renders in under 100 ms.
// Usage: node bench/webview.mjs [--repeats N]   (after `node scripts/build.mjs webview`)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** A pipeline graph of `total` nodes: source, steps, features, an MLP's layers, output, explainers, spec. */
export function syntheticGraph(total, { extraFeature = false, epochs = 300 } = {}) {
  const small = total < 20;
  const steps = small ? 1 : 3;
  const hidden = small ? 0 : 2;
  const explainers = small ? 1 : 2;
  const fixed = 1 + steps + 1 + 1 + hidden + 1 + 1 + explainers + 1;
  const nFeatures = total - fixed + (extraFeature ? 1 : 0);
  const range = (line) => ({ start: { line, character: 2 }, end: { line, character: 12 } });
  const nodes = [{ id: 'n_source', kind: 'source', label: 'data.csv', detail: '10000 rows', range: range(5) }];
  const edges = [];
  let last = 'n_source';
  for (let i = 0; i < steps; i++) {
    nodes.push({ id: `n_step${i}`, kind: 'step', label: ['filter', 'lags', 'standardize'][i], detail: `step ${i + 1}`, range: range(10 + i) });
    edges.push({ from: last, to: `n_step${i}` });
    last = `n_step${i}`;
  }
  const features = Array.from({ length: nFeatures }, (_, i) => `feature_${i + 1}`);
  for (const f of features) {
    nodes.push({ id: `n_feat_${f}`, kind: 'feature', label: f, feature: f, range: range(20) });
    edges.push({ from: last, to: `n_feat_${f}` }, { from: `n_feat_${f}`, to: 'n_layer_in' });
  }
  nodes.push({ id: 'n_model', kind: 'model', label: 'MLP', detail: `adam · mse · ${epochs} epochs`, range: range(30) });
  nodes.push({ id: 'n_layer_in', kind: 'layer', label: `Input · ${nFeatures} features`, range: range(31) });
  last = 'n_layer_in';
  for (let i = 1; i <= hidden; i++) {
    nodes.push({ id: `n_layer${i}`, kind: 'layer', label: `Dense 16 · ReLU`, range: range(31 + i) });
    edges.push({ from: last, to: `n_layer${i}` });
    last = `n_layer${i}`;
  }
  nodes.push({ id: 'n_layer_out', kind: 'layer', label: 'Dense 1 · linear', range: range(35) });
  edges.push({ from: last, to: 'n_layer_out' });
  nodes.push({ id: 'n_output', kind: 'output', label: 'price', detail: 'RMSE 1.23 (baseline 2.34)', range: range(6) });
  edges.push({ from: 'n_layer_out', to: 'n_output' });
  nodes.push({ id: 'n_spec', kind: 'spec', label: 'bench', detail: 'spec', range: range(1) });
  for (let i = 0; i < explainers; i++) {
    nodes.push({ id: `n_explain${i}`, kind: 'explainer', label: ['Permutation importance', 'Sobol'][i], range: range(40 + i) });
    edges.push({ from: 'n_output', to: `n_explain${i}` }, { from: `n_explain${i}`, to: 'n_spec', label: '0 runtime diagnostics' });
  }
  const order = ['source', 'step', 'feature', 'model', 'layer', 'output', 'explainer', 'spec'];
  nodes.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return { graph: { specName: 'bench', nodes, edges }, features };
}

/** A report with permutation importance and Sobol indices for every feature (so both overlay methods exist). */
export function syntheticReport(features) {
  const m = { rmse: 1.23, mae: 1, r2: 0.5 };
  return {
    reportVersion: 1, runId: 'bench', backend: 'cpu', features, target: 'price', task: 'regression',
    metrics: { split: 'validation', model: m, baseline: { ...m, rmse: 2.34, name: 'mean' } },
    importance: {
      method: 'permutation_importance', metric: 'rmse', split: 'validation', repeats: 5, baselineScore: 1, evaluations: 0,
      features: features.map((f, i) => ({ feature: f, mean: (i * 7919) % 97 / 10, std: 0.1, values: [] })),
    },
    explanations: [{ method: 'sobol', evaluations: 0, wallMs: 0, samples: 1024, indices: features.map((f, i) => ({ feature: f, first: ((i * 31) % 17) / 40, total: ((i * 31) % 17) / 35 })) }],
  };
}

/** A decision-path sample (a surrogate path on three features, and a ReLU pattern) for the path overlay. */
function syntheticPath(features) {
  const step = (k, side) => ({ node: k, feature: features[k % features.length], threshold: 0.5, value: 0.7, side, prediction: [1.5], predicted: '1.5', samples: 100 });
  return {
    row: 0, line: 2, split: 'validation', actual: '1.4', predicted: '1.5', loss: 0.1, runId: 'bench',
    features: features.map((f) => ({ name: f, value: 0.1, raw: 0.1 })),
    path: { kind: 'surrogate', outputs: ['price'], steps: [step(0, 'right'), step(1, 'left'), step(2, 'left'), { node: 7, side: 'leaf', prediction: [1.5], predicted: '1.5', samples: 40 }], fidelity: { metric: 'r2', heldOut: 0.9, train: 0.92 } },
    attribution: { method: 'linear_shap', output: 'price', base: 1, values: features.map((f) => ({ feature: f, value: 0.01 })) },
  };
}

const page = (nonce) => `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src data:;">
</head><body class="vscode-light"><div id="xai-flowchart"></div>
<script nonce="${nonce}">window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
<script nonce="${nonce}" src="/flowchart.js"></script></body></html>`;

/** In the page: posts `message` (or, for 'sobol_first', picks that method in the toolbar), resolves with ms until the next frame after the drawn counter moves. */
function timed(p, message) {
  return p.evaluate((m) => new Promise((resolve) => {
    const send = m === 'sobol_first'
      ? () => { const sel = document.querySelector('.xai-method'); sel.value = m; sel.dispatchEvent(new Event('change')); }
      : () => window.postMessage(m, '*');
    const before = Number(document.body.dataset.xaiDrawn ?? 0);
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (Number(document.body.dataset.xaiDrawn ?? 0) <= before) return;
      obs.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - t0));
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-xai-drawn'] });
    send();
  }), message);
}

/** ms of the page's last Mermaid render (parse + layout + SVG), as the webview measures it. */
const lastMermaid = (p) => p.evaluate(() => performance.getEntriesByName('xai-mermaid-render').at(-1)?.duration ?? NaN);

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };
const f1 = (v) => v.toFixed(1);

export async function benchWebview(repeats = arg('repeats', 5)) {
  const bundle = readFileSync(join(root, 'dist', 'webview', 'flowchart.js'), 'utf8');
  const nonce = 'YmVuY2gtd2Vidmlldy1ub25jZQ==';
  const server = createServer((req, res) => {
    if (req.url === '/flowchart.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(page(nonce));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'xai-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const table = new Table({ style: { head: [], border: [] }, head: ['flowchart', 'nodes', 'edges', 'first render ms', 'label edit ms', 'method switch ms', 'path overlay ms', 'structural edit ms (full render)', 'of which Mermaid ms', 'next 10 structural edits ms'] });
  try {
    for (const total of [10, 60, 200]) {
      const { graph, features } = syntheticGraph(total);
      const report = syntheticReport(features);
      const grown = syntheticGraph(total, { extraFeature: true });
      const first = []; const label = []; const method = []; const path = []; const full = []; const layout = []; const again = [];
      for (let r = 0; r < repeats; r++) {
        const p = await context.newPage();
        await p.goto(`${origin}/`);
        await p.waitForFunction(() => typeof window.acquireVsCodeApi === 'function' && document.querySelector('.xai-toolbar'));
        first.push(await timed(p, { type: 'graph', graph, report }));
        const edited = syntheticGraph(total, { epochs: 301 + r }).graph;
        label.push(await timed(p, { type: 'graph', graph: edited, report }));
        method.push(await timed(p, 'sobol_first'));
        // The path overlay on the same structure: value lines and classes (a surrogate path adds its own group,
        // so that one is a full render; a tree or ReLU path is a patch).
        const relu = { ...syntheticPath(features), path: { ...syntheticPath(features).path, kind: 'tree', steps: [] }, relu: { outputName: 'price', output: 1, pathTotal: 0.5, biasTotal: 0.5, layers: [{ units: 16, active: [1, 2, 3] }, { units: 16, active: [4, 5] }], topPaths: [{ feature: features[0], units: [0, 1, 4, 0], contribution: 0.3 }] } };
        path.push(await timed(p, { type: 'path', sample: relu }));
        full.push(await timed(p, { type: 'graph', graph: grown.graph, report: syntheticReport(grown.features) }));
        layout.push(await lastMermaid(p));
        for (let k = 0; k < 10; k++) {
          const next = k % 2 ? { graph: grown.graph, report: syntheticReport(grown.features) } : { graph, report };
          again.push(await timed(p, { type: 'graph', ...next }));
        }
        await p.close();
      }
      table.push([
        `${total} nodes`, graph.nodes.length, graph.edges.length,
        `${f1(median(first))} (p95 ${f1(p95(first))})`, `${f1(median(label))} (p95 ${f1(p95(label))})`,
        `${f1(median(method))} (p95 ${f1(p95(method))})`, `${f1(median(path))} (p95 ${f1(p95(path))})`, `${f1(median(full))} (p95 ${f1(p95(full))})`, f1(median(layout)), `${f1(median(again))} (p95 ${f1(p95(again))})`,
      ]);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server.close();
  }
  console.log(`flowchart webview in headless Chromium (${repeats} fresh pages per size; importance overlay on; median and p95 ms from postMessage to the next frame after drawing)`);
  console.log('label edit / method switch / path overlay patch the SVG on screen (same structure); structural edit is a full Mermaid render and layout');
  console.log('structural edit: the first on each fresh page; next 10: the ones that follow it on the same page (a feature added, removed, added…)');
  console.log(table.toString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchWebview();
