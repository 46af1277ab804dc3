/**
 * The flowchart webview's Content Security Policy and the small text helpers of its HTML. Pure (no `vscode`), so
 * that tests can check the policy the panel really sends.
 */
import { randomBytes } from 'node:crypto';

/** A fresh 128-bit nonce, base64 (CSP nonces must be unguessable and new for every document). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The policy for one webview document: scripts only with the nonce (no string evaluation, no inline handlers),
 * styles from the extension or inline (Mermaid writes <style> into its SVG; a nonce in style-src would switch
 * 'unsafe-inline' off), images and fonts from the extension or data: URIs, nothing else (no network).
 * @param cspSource `webview.cspSource`
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ') + ';';
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] ?? c));
}
