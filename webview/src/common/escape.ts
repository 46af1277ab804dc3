/**
 * Escaping for the two languages the webviews write text into: Mermaid's flowchart syntax and HTML.
 * Both take raw text that may come from data (a CSV header) and return text that can only ever show as text.
 */

/** Longest label text drawn in a node; longer text is cut with an ellipsis (Mermaid also caps diagram size). */
export const MAX_LABEL_CHARS = 120;

/**
 * Escapes raw text for a quoted Mermaid label (`id["…"]`, `-->|"…"|`).
 *
 * Every code point but ASCII letters, digits and the space becomes a Mermaid entity code `#<decimal>;`, which
 * Mermaid turns into the HTML character reference `&#<decimal>;` after parsing: so no quote, bracket, pipe, `<`,
 * `:`, `;` or newline of the input can close the label, start a statement or reach the DOM as markup. Control
 * characters become spaces. Text longer than `max` code points is cut and ends with `…`.
 */
export function escapeMermaidLabel(text: string, max = MAX_LABEL_CHARS): string {
  let chars = Array.from(text);
  if (chars.length > max) chars = [...chars.slice(0, max - 1), '…'];
  let out = '';
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!;
    if (/^[A-Za-z0-9 ]$/.test(ch)) out += ch;
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
    else out += `#${cp};`;
  }
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes raw text for HTML text content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
