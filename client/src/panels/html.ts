/**
 * The panels' HTML: a strict Content Security Policy, one nonce'd script from dist/webview, and nothing inline but
 * styles (Mermaid and Plot write <style> into their SVG, so style-src keeps 'unsafe-inline' and carries no nonce: a
 * nonce there would switch 'unsafe-inline' off).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { contentSecurityPolicy, escapeHtml, makeNonce } from './csp';

/** What differs between the panels' pages. */
export interface PanelPage {
  /** The bundle in dist/webview (`flowchart.js`, `report.js`, `paths.js`). */
  script: string;
  /** The id of the element the bundle draws into. */
  rootId: string;
  /** Optional stylesheets in dist/webview, linked only when the build emitted them. */
  stylesheets?: readonly string[];
}

/**
 * The document of one panel.
 * @param webviewRoot the folder holding the webview bundles (`dist/webview`), also the panel's only local resource root.
 */
export function panelHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, page: PanelPage, title: string, nonce = makeNonce()): string {
  const asset = (name: string) => vscode.Uri.joinPath(webviewRoot, name);
  const script = webview.asWebviewUri(asset(page.script));
  const styles = (page.stylesheets ?? [])
    .filter((name) => existsSync(asset(name).fsPath))
    .map((name) => `<link rel="stylesheet" href="${escapeHtml(webview.asWebviewUri(asset(name)).toString())}"${name === 'codicon.css' ? ' id="vscode-codicon-stylesheet"' : ''}>`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(title)}</title>
    ${styles}
  </head>
  <body>
    <div id="${page.rootId}" role="main" aria-label="${escapeHtml(title)}"></div>
    <script nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
  </body>
</html>`;
}

export const FLOWCHART_PAGE: PanelPage = { script: 'flowchart.js', rootId: 'xai-flowchart', stylesheets: ['codicon.css', 'flowchart.css'] };
export const REPORT_PAGE: PanelPage = { script: 'report.js', rootId: 'xai-report' };
export const DECISION_PATH_PAGE: PanelPage = { script: 'paths.js', rootId: 'xai-paths' };

/** The flowchart panel's document for one spec. */
export function flowchartHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, title: string, nonce = makeNonce()): string {
  return panelHtml(webview, webviewRoot, FLOWCHART_PAGE, title, nonce);
}
