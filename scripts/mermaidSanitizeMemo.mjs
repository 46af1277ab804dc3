// Mermaid's sanitizeText, remembered: appended to Mermaid's chunk by scripts/mermaidPatches.mjs (so it is written
// self-contained, without imports or closures over this module).

/**
 * Returns `sanitize(text, config)`, computing it once per text and per the settings it depends on: the security
 * level, whether labels are HTML (`htmlLabels(config)`) and DOMPurify's options. DOMPurify's output is a function of
 * its input, its options and its hooks, and Mermaid installs its hooks once. At most 4096 texts are kept (then the
 * memory starts afresh). Non-string or empty input is passed through uncached.
 * @param {unknown} text a label as Mermaid holds it
 * @param {{ securityLevel?: string, dompurifyConfig?: unknown }} config Mermaid's configuration
 * @param {(config: object) => boolean} htmlLabels Mermaid's getEffectiveHtmlLabels
 * @param {(text: unknown, config: object) => unknown} sanitize Mermaid's own sanitizeText
 * @returns {unknown} what `sanitize` returns for these arguments
 */
export function memoSanitize(text, config, htmlLabels, sanitize) {
  if (typeof text !== 'string' || !text) return sanitize(text, config);
  const memo = (memoSanitize.memo ??= new Map());
  const key = `${config.securityLevel}\u0000${htmlLabels(config)}\u0000${JSON.stringify(config.dompurifyConfig ?? null)}\u0000${text}`;
  let out = memo.get(key);
  if (out === undefined) {
    out = sanitize(text, config);
    if (memo.size >= 4096) memo.clear();
    memo.set(key, out);
  }
  return out;
}
