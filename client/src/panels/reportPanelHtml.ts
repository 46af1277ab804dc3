/**
 * The Report webview's HTML: the same strict Content Security Policy as the flowchart (scripts by nonce only, no
 * string evaluation; inline styles, which Observable Plot writes into its SVG), one script from dist/webview.
 */
import * as vscode from 'vscode';
import { contentSecurityPolicy, escapeHtml, makeNonce } from './csp';

/** The document of one Report panel; `webviewRoot` (dist/webview) is its only local resource root. */
export function reportHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, title: string, nonce = makeNonce()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'report.js'));
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(title)}</title>
  </head>
  <body>
    <main id="xai-report" aria-label="${escapeHtml(title)}"></main>
    <script nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
  </body>
</html>`;
}
