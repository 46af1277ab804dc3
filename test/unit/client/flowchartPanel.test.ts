/**
 * The flowchart panel's pure parts, on the real example: which node the editor's cursor selects (nodeAtPosition
 * over the flow graph the server builds from stock-price.xai.yaml), and the Content Security Policy the panel sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { contentSecurityPolicy, escapeHtml, makeNonce } from '../../../client/src/panels/csp';
import { nodeAtPosition, rangeContains } from '../../../client/src/panels/nodeAtPosition';
import { buildFlowGraph } from '../../../server/src/report/flowGraph';
import { parseSpec } from '../../../server/src/spec/parse';

const text = readFileSync(join(__dirname, '../../../examples/stock-price/stock-price.xai.yaml'), 'utf8');
const lines = text.split('\n');
const graph = buildFlowGraph(parseSpec(text));

/** The position of the first occurrence of `needle` on the line that contains it (zero-based, like LSP). */
function at(needle: string, offset = 0): { line: number; character: number } {
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`'${needle}' is not in the example`);
  return { line, character: lines[line]!.indexOf(needle) + offset };
}

describe('nodeAtPosition on the stock-price flow graph', () => {
  test('the cursor on a preprocessing step key selects that step', () => {
    const id = nodeAtPosition(graph, at('standardize:', 3));
    expect(graph.nodes.find((n) => n.id === id)?.label).toBe('standardize');
  });

  test('the cursor inside a hidden layer selects the layer, not the whole model', () => {
    const id = nodeAtPosition(graph, at('units: 10', 2));
    const node = graph.nodes.find((n) => n.id === id);
    expect(node?.kind).toBe('layer');
    expect(node?.label).toMatch(/Dense 10/);
  });

  test('the cursor on the lag count selects a lag feature, and every picked node holds the cursor', () => {
    const pos = at('count: 10', 8);
    const id = nodeAtPosition(graph, pos);
    const node = graph.nodes.find((n) => n.id === id);
    expect(node?.kind).toBe('feature');
    expect(rangeContains(node!.range!, pos)).toBe(true);
  });

  test('a comment line or a missing graph selects nothing', () => {
    expect(nodeAtPosition(graph, { line: 0, character: 5 })).toBeNull();
    expect(nodeAtPosition(null, { line: 3, character: 0 })).toBeNull();
  });
});

describe('the flowchart webview CSP', () => {
  test('scripts need the nonce, styles stay inline-capable without a nonce, nothing else is allowed', () => {
    const nonce = makeNonce();
    const csp = contentSecurityPolicy('https://*.vscode-cdn.net', nonce);
    const directives: Record<string, string[]> = Object.fromEntries(csp.replace(/;$/, '').split('; ').map((d) => { const [k, ...v] = d.split(' '); return [k, v]; }));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual([`'nonce-${nonce}'`]);
    expect(directives['style-src']).toEqual(['https://*.vscode-cdn.net', "'unsafe-inline'"]);
    expect(directives['style-src']!.some((s) => s.startsWith("'nonce-"))).toBe(false);
    expect(csp).not.toContain('unsafe-eval');
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    expect(makeNonce()).not.toBe(nonce);
  });

  test('titles are escaped into the HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});
