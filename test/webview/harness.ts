/**
 * Real-Chromium harness for the webviews: a node http server on 127.0.0.1 that serves the built bundle and a test
 * page with the panel's CSP (nonce-only scripts, no unsafe-eval, inline styles allowed), a stand-in
 * `acquireVsCodeApi()` that records posted messages, and a headless Chromium (playwright-core, /usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { contentSecurityPolicy } from '../../client/src/panels/csp';
import { DARK_MODERN, LIGHT_MODERN, themeVarDeclarations } from '../../server/src/report/themeVars';

export const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, '.test-artifacts', 'webview');

/**
 * Returns the built `dist/webview/flowchart.js`, building it first (esbuild, a few seconds) when it is missing or
 * older than any source it bundles or the build's patches to Mermaid, so the test always loads the current code without rewriting a fresh bundle
 * that another suite may be reading.
 */
export function buildWebview(): string {
  const out = join(ROOT, 'dist/webview/flowchart.js');
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .reduce((t, e) => Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  // The build's patches to Mermaid (scripts/mermaid*.mjs) shape the bundle too.
  const patches = readdirSync(join(ROOT, 'scripts')).filter((n) => n.startsWith('mermaid')).map((n) => statSync(join(ROOT, 'scripts', n)).mtimeMs);
  const stale = !existsSync(out) || statSync(out).mtimeMs < Math.max(newest(join(ROOT, 'webview/src')), newest(join(ROOT, 'protocol')), ...patches);
  if (stale) execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'webview'], { cwd: ROOT, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

export interface Served { origin: string; close(): Promise<void> }

/**
 * Serves `/flowchart.js` (the bundle), `/panel.html?theme=light|dark` (the panel page) and any extra pages given.
 */
export async function serve(bundle: string, pages: Record<string, string> = {}): Promise<Served> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/flowchart.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (url.pathname === '/panel.html') {
      const origin = `http://${req.headers.host}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(panelPage(origin, url.searchParams.get('theme') === 'dark' ? 'dark' : 'light'));
    } else if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[url.pathname]);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The page a panel host would write: the same CSP as the flowchart panel, with `origin` as the webview source. */
export function panelPage(origin: string, theme: 'light' | 'dark'): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy(origin, nonce); // the policy the panel really sends
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html { ${themeVarDeclarations(theme === 'dark' ? DARK_MODERN : LIGHT_MODERN)} }</style>
<title>Flowchart</title></head>
<body class="vscode-${theme}">
<div id="xai-flowchart" role="main"></div>
<script nonce="${nonce}">
  window.__posted = []; window.__violations = []; window.__state = window.__initialState; // set by a test to restore
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script>
<script nonce="${nonce}" src="${origin}/flowchart.js"></script>
</body></html>`;
}

export interface Browser { context: BrowserContext; close(): Promise<void> }

/** Headless Chromium with a fresh profile; closing removes the profile. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'xai-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under `.test-artifacts/webview/` (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
