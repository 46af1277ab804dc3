/**
 * Real-Chromium harness for the Report webview: the built `dist/webview/report.js` served from 127.0.0.1 in a page
 * with the panel's CSP (client/src/panels/csp.ts), a stand-in `acquireVsCodeApi()` that records posted messages
 * and keeps `setState` across reloads (sessionStorage, as VS Code keeps it across a window reload), and real run
 * folders made by the built CLI (`xai run`) from the examples with extra explanation methods.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { contentSecurityPolicy } from '../../client/src/panels/csp';
import type { RunReport } from '../../protocol/protocol';
import { DARK_MODERN, LIGHT_MODERN, themeVarDeclarations } from '../../server/src/report/themeVars';
import { ROOT, type Served } from './harness';

/** The newest mtime of the .ts files under `dir`. */
const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .reduce((t, e) => Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs), 0);

/** The built report bundle, rebuilt (esbuild) when a webview or protocol source is newer. */
export function buildReportBundle(): string {
  const out = join(ROOT, 'dist/webview/report.js');
  const stale = !existsSync(out) || statSync(out).mtimeMs < Math.max(newest(join(ROOT, 'webview/src')), newest(join(ROOT, 'protocol')));
  if (stale) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'webview'], { cwd: ROOT, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

/** The built CLI, (re)built first when missing or older than an engine or protocol source. */
export function cliPath(): string {
  const cli = join(ROOT, 'dist/cli/xai.js');
  const stale = !existsSync(cli) || statSync(cli).mtimeMs < Math.max(newest(join(ROOT, 'server/src')), newest(join(ROOT, 'protocol')));
  if (stale) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'cli'], { cwd: ROOT, stdio: 'pipe' });
  return cli;
}

export interface RealRun { specPath: string; runDir: string; report: RunReport; explanationMarkdown: string | null }

/**
 * Runs `xai run SPEC` with the built CLI (real data, real training, real explainers) and reads the run folder.
 * @throws when the run fails (with its output).
 */
export function runSpec(specPath: string): RealRun {
  const out = execFileSync(process.execPath, [cliPath(), 'run', specPath], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const html = /Report: (.+report\.html)/.exec(out)?.[1];
  if (!html) throw new Error(`xai run printed no report path:\n${out}`);
  const runDir = html.replace(/\/report\.html$/, '');
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport;
  const md = report.artifacts.explanation ? join(runDir, report.artifacts.explanation) : '';
  return { specPath, runDir, report, explanationMarkdown: md && existsSync(md) ? readFileSync(md, 'utf8') : null };
}

/** Explainers appended to the examples' specs so that every chart of the panel has real data. */
export const STOCK_EXTRA = `  - shap:
      samples: 8
      background: 10
      coalitions: 256
  - sobol:
      samples: 128
  - partial_dependence:
      top: 3
      ice: true
`;
export const IRIS_EXTRA = `  - shap:
      samples: 15
  - partial_dependence:
      top: 2
      ice: true
`;

/** Copies an example (spec + examples/data) into `dir` with `extra` explainers and fewer epochs; returns the spec path. */
export function exampleWithExplainers(dir: string, example: 'stock-price' | 'iris', extra: string): string {
  mkdirSync(join(dir, example), { recursive: true });
  cpSync(join(ROOT, 'examples/data'), join(dir, 'data'), { recursive: true });
  const spec = readFileSync(join(ROOT, `examples/${example}/${example}.xai.yaml`), 'utf8').replace('epochs: 300', 'epochs: 80');
  const path = join(dir, example, `${example}.xai.yaml`);
  writeFileSync(path, `${spec.trimEnd()}\n${extra}`);
  return path;
}

/** The page a Report panel host writes (same CSP, `origin` as the webview source), with the theme's variables. */
export function reportPage(origin: string, theme: 'light' | 'dark'): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style id="theme">html { ${themeVarDeclarations(theme === 'dark' ? DARK_MODERN : LIGHT_MODERN)} }</style>
<title>Report</title></head>
<body class="vscode-${theme}">
<main id="xai-report"></main>
<script nonce="${nonce}">
  window.__posted = []; window.__violations = []; window.__warnings = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  const saved = sessionStorage.getItem('xai-state');
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => (saved ? JSON.parse(saved) : undefined),
    setState: (s) => sessionStorage.setItem('xai-state', JSON.stringify(s)),
  });
</script>
<script nonce="${nonce}" src="${origin}/report.js"></script>
</body></html>`;
}

/** Serves `/report.js` and `/report.html?theme=light|dark`. */
export async function serveReport(bundle: string): Promise<Served> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/report.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    else if (url.pathname === '/report.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(reportPage(`http://${req.headers.host}`, url.searchParams.get('theme') === 'dark' ? 'dark' : 'light'));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface PageLog { errors: string[]; warnings: string[]; dialogs: string[] }

/** Wires a page's errors, console warnings and dialogs into a log (a dialog is dismissed and recorded). */
export function watchPage(page: Page): PageLog {
  const log: PageLog = { errors: [], warnings: [], dialogs: [] };
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon|404/.test(m.text())) log.errors.push(m.text());
    if (m.type() === 'warning') log.warnings.push(m.text());
  });
  page.on('dialog', (d) => { log.dialogs.push(d.message()); void d.dismiss(); });
  return log;
}

/** Messages the webview posted so far. */
export function posted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
}

/** Sends a host message to the page, as `webview.postMessage` does. */
export async function send(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

/** Swaps the page's theme as VS Code does: the body class and the `--vscode-*` variables. */
export async function switchTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const css = `html { ${themeVarDeclarations(theme === 'dark' ? DARK_MODERN : LIGHT_MODERN)} }`;
  await page.evaluate(([t, c]) => { document.body.className = `vscode-${t}`; document.getElementById('theme')!.textContent = c; }, [theme, css] as const);
}
