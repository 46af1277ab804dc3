/**
 * The flowchart webview's HTML: a strict Content Security Policy, one nonce'd script from dist/webview, and
 * nothing inline but styles (Mermaid writes <style> into its SVG, so style-src keeps 'unsafe-inline' and carries
 * no nonce: a nonce there would switch 'unsafe-inline' off).
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { contentSecurityPolicy, escapeHtml, makeNonce } from './csp';

/**
 * The document for the flowchart panel of one spec.
 * @param webviewRoot the folder holding the webview bundle (`dist/webview`), also the panel's only local resource root.
 */
export function flowchartHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, title: string, nonce = makeNonce()): string {
  const asset = (name: string) => vscode.Uri.joinPath(webviewRoot, name);
  const script = webview.asWebviewUri(asset('flowchart.js'));
  // Optional stylesheets, linked only when the webview build emits them.
  const styles = ['codicon.css', 'flowchart.css']
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
    <div id="xai-flowchart" role="main" aria-label="${escapeHtml(title)}"></div>
    <script nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
  </body>
</html>`;
}
