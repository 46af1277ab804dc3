/**
 * The explanation report's Markdown (explanation.md, written by the engine from data-derived names) rendered
 * with markdown-it with raw HTML off: any `<tag>` in the text is shown as text. Links and images are switched
 * off too: the report needs neither, and a webview should not navigate or load anything.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable(['link', 'image', 'autolink']);

/** HTML for `markdown`; every character of the input outside Markdown syntax comes out escaped. */
export function renderMarkdown(markdown: string): string {
  return md.render(markdown);
}
