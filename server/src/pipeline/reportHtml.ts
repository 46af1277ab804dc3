/**
 * The standalone `report.html` of a run: the spec's flow graph with the run's importance, rendered by the report
 * module with the built flowchart webview script inlined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../protocol/protocol';
import { buildFlowGraph } from '../report/flowGraph';
import { renderReportHtml } from '../report/html';
import type { ParsedSpec } from '../spec/parse';

/**
 * The built flowchart webview script: `dist/webview/flowchart.js` beside the bundle (`../webview/` from
 * `dist/worker/`), else under the working folder (tests run from source); '' when it has not been built, and the
 * page then says so and keeps its tables.
 */
export function webviewScript(): string {
  const candidates = [
    typeof __dirname === 'string' ? join(__dirname, '../webview/flowchart.js') : '',
    join(process.cwd(), 'dist/webview/flowchart.js'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  return found ? readFileSync(found, 'utf8') : '';
}

/** The built Report webview script (`dist/webview/report.js`), found like the flowchart's; '' when not built. */
export function reportScript(): string {
  const candidates = [
    typeof __dirname === 'string' ? join(__dirname, '../webview/report.js') : '',
    join(process.cwd(), 'dist/webview/report.js'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  return found ? readFileSync(found, 'utf8') : '';
}

/** The report page's HTML for a parsed spec and its run report. */
export function reportHtml(parsed: ParsedSpec, report: RunReport): string {
  return renderReportHtml(buildFlowGraph(parsed, report), report, webviewScript(), reportScript());
}
