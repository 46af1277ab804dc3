/**
 * The standalone `report.html` of a run: the same flowchart as the panel (the built webview script, inlined), a
 * metrics table (model vs baseline), a permutation-importance table, and the Report panel's charts (training
 * curves, importance with intervals, SHAP summary and waterfall, PD/ICE; the built report script, inlined).
 * One file, no network: it opens from disk.
 */
import { randomBytes } from 'node:crypto';
import type { FlowGraph, RunReport } from '../../../protocol/protocol';
import { DARK_MODERN, LIGHT_MODERN, themeVarDeclarations } from './themeVars';
import { explanationMarkdown } from '../explain/report';
import type { ExplanationSection } from '../explain/sections';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes raw text for HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** JSON that is safe inside a `<script type="application/json">`: no `<`, `>`, `&` or line separators in clear. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Script text that is safe inside an inline `<script>`: `</script` and `<!--` (which would end or confuse the
 * element) become `\x3C/script` and `\x3C!--`, which mean the same inside JavaScript strings and regexes, where a
 * bundle has them.
 */
export function scriptForInline(script: string): string {
  return script.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

/** 3 significant digits; exponent only below 0.001 or from 1e6 in absolute value. */
function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}

const PAGE_CSS = `
:root { ${themeVarDeclarations(LIGHT_MODERN)} color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { ${themeVarDeclarations(DARK_MODERN)} } }
body { margin: 0; }
.page { max-width: 1400px; margin: 0 auto; padding: 16px 24px 32px; color: var(--vscode-foreground);
  background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
h1 { font-size: 1.6em; font-weight: 600; margin: 0 0 4px; }
h2 { font-size: 1.2em; font-weight: 600; margin: 24px 0 8px; }
.meta, .note { color: var(--vscode-descriptionForeground); margin: 0 0 4px; }
table { border-collapse: collapse; min-width: 420px; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--vscode-editorWidget-border); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: var(--vscode-focusBorder); vertical-align: middle; }
.report-flowchart { border: 1px solid var(--vscode-editorWidget-border); border-radius: 4px; }
`;

/**
 * Renders a run's report page.
 *
 * @param graph the spec's flow graph (built with the report, so feature nodes match `report.features`).
 * @param report the run's report (report.json).
 * @param webviewScript the built flowchart webview (`dist/webview/flowchart.js`); '' leaves the page without the
 *   flowchart (with a note saying so) but with both tables.
 * @param reportScript the built Report webview (`dist/webview/report.js`); '' leaves the page without the charts.
 * @returns a complete HTML document. Every text from the spec, the data or the report is escaped; the CSP allows
 *   only the page's two nonce'd scripts (no eval, no network) and inline styles (Mermaid injects its own).
 */
export function renderReportHtml(graph: FlowGraph, report: RunReport, webviewScript: string, reportScript = ''): string {
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src data:; font-src data:`;
  const m = report.metrics;
  const c = m.classification;
  const metricRows = c
    ? ([['accuracy', 'accuracy'], ['balanced accuracy', 'balancedAccuracy'], ['precision (macro)', 'precision'], ['recall (macro)', 'recall'],
      ['F1 (macro)', 'f1'], ['ROC AUC', 'rocAuc'], ['log loss', 'logLoss']] as const).map(([label, key]) => {
      const a = c.model[key]; const b = c.baseline[key];
      return `<tr><th scope="row">${label}</th><td class="num">${a === null ? '—' : num(a)}</td><td class="num">${b === null ? '—' : num(b)}</td>` +
        `<td class="num">${a === null || b === null ? '—' : num(a - b)}</td></tr>`;
    }).join('\n')
    : ([['RMSE', 'rmse'], ['MAE', 'mae'], ['R²', 'r2']] as const).map(([label, key]) =>
      `<tr><th scope="row">${label}</th><td class="num">${num(m.model[key])}</td><td class="num">${num(m.baseline[key])}</td>` +
      `<td class="num">${num(m.model[key] - m.baseline[key])}</td></tr>`).join('\n');
  const metricNote = c
    ? `Higher accuracy, F1 and ROC AUC are better; lower log loss is better. Confusion matrix (rows: true ${c.model.classes.map(escapeHtml).join(', ')}; columns: predicted): ${escapeHtml(JSON.stringify(c.model.confusion))}.`
    : 'Lower RMSE and MAE are better; R² closer to 1 is better.';
  // A k-fold run: its per-fold scores are in the charts' section (the Report panel's code); its metrics are out-of-fold.
  const cv = report.crossValidation;
  const split = cv ? `${cv.k}-fold cross-validation` : `${report.data.trainRows} training, ${report.data.validationRows} validation`;
  const imp = report.importance;
  const maxMean = imp ? Math.max(0, ...imp.features.map((f) => f.mean)) : 0;
  const importanceRows = imp
    ? [...imp.features].sort((a, b) => b.mean - a.mean).map((f, i) => {
      const width = maxMean > 0 ? Math.max(0, (f.mean / maxMean) * 160) : 0;
      return `<tr><td class="num">${i + 1}</td><td>${escapeHtml(f.feature)}</td><td class="num">${num(f.mean)}</td>` +
        `<td class="num">${num(f.std)}</td><td><span class="bar" style="width:${width.toFixed(1)}px"></span></td></tr>`;
    }).join('\n')
    : '';
  const importanceSection = imp
    ? `<h2>Permutation importance</h2>
<p class="note">Increase in validation ${escapeHtml(imp.metric.toUpperCase())} when one feature's values are shuffled
(${escapeHtml(imp.split)} part, ${imp.repeats} repeats, ${imp.evaluations} model evaluations); higher means the model relies on it more.</p>
<table class="importance"><thead><tr><th class="num">#</th><th>feature</th><th class="num">mean</th><th class="num">std</th><th></th></tr></thead>
<tbody>
${importanceRows}
</tbody></table>`
    : '<h2>Permutation importance</h2>\n<p class="note">This run has no importance results.</p>';
  // The automatic explanation report (server/src/explain/report.ts), shown as its Markdown text.
  const explanationSection = report.explanations?.length
    ? `<h2>Explanation report</h2>\n<pre class="explanation" style="white-space:pre-wrap">${escapeHtml(explanationMarkdown({
      name: report.spec.name, task: report.task, importance: report.importance, sections: report.explanations as unknown as ExplanationSection[],
    }))}</pre>`
    : '';
  const flowchart = webviewScript
    ? `<div id="xai-flowchart" class="report-flowchart"></div>
<script type="application/json" id="xai-flowchart-data">${jsonForScript({ graph, report })}</script>
<script nonce="${nonce}">window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
<script nonce="${nonce}">${scriptForInline(webviewScript)}</script>`
    : '<p class="note">The flowchart is missing: the webview bundle was not built (run <code>npm run build</code>).</p>';
  // The Report panel's charts, drawn by its own bundle from the report embedded as JSON (text, never markup).
  const charts = reportScript
    ? `<h2>Charts</h2>
<main id="xai-report" class="report-charts" aria-label="Charts of the run"></main>
<script type="application/json" id="xai-report-data">${jsonForScript({ type: 'report', runDir: '', report, explanationMarkdown: null, pinned: true })}</script>
<script nonce="${nonce}">${scriptForInline(reportScript)}</script>`
    : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.spec.name)} · XAI Pipelines report</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<div class="page">
<h1>${escapeHtml(report.spec.name)}</h1>
<p class="meta">Run ${escapeHtml(report.runId)} · ${escapeHtml(report.createdAt)} · backend ${escapeHtml(report.backend)} · seed ${report.seed}</p>
<p class="meta">Data ${escapeHtml(report.data.path)}: ${report.data.rows} rows (${split}) · target ${escapeHtml(report.target)} · ${report.features.length} features</p>
<h2>Pipeline</h2>
${flowchart}
<h2>${cv ? 'Out-of-fold metrics (every row, predicted by the fold model that did not see it)' : 'Validation metrics'}</h2>
<table class="metrics"><thead><tr><th>metric</th><th class="num">model (${escapeHtml(report.model.type)})</th><th class="num">baseline (${escapeHtml(c ? c.baseline.name : m.baseline.name)})</th><th class="num">model − baseline</th></tr></thead>
<tbody>
${metricRows}
</tbody></table>
<p class="note">${metricNote}</p>
${importanceSection}
${charts}
${explanationSection}
<p class="meta">XAI Pipelines ${escapeHtml(report.versions.xaiPipelines)} · TensorFlow.js ${escapeHtml(report.versions.tfjs)} · Node ${escapeHtml(report.versions.node)} · ${Math.round(report.timings.totalMs)} ms</p>
</div>
</body>
</html>
`;
}
