import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowGraph, RunReport } from '../../../protocol/protocol';
import { buildFlowGraph } from '../../../server/src/report/flowGraph';
import { parseSpec } from '../../../server/src/spec/parse';
import { parseHex, relativeLuminance } from '../../../webview/src/common/color';
import { escapeMermaidLabel } from '../../../webview/src/common/escape';
import { mermaidSource } from '../../../webview/src/flowchart/mermaidSource';
import { importanceOverlay } from '../../../webview/src/flowchart/overlay';

const ROOT = join(__dirname, '..', '..', '..');
const SPEC_TEXT = readFileSync(join(ROOT, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
const REPORT = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/stock-price/report.json'), 'utf8')) as RunReport;
const GRAPH = buildFlowGraph(parseSpec(SPEC_TEXT), REPORT);

/** What Mermaid shows for an escaped label: entity codes back to characters. */
const decode = (s: string): string => s.replace(/#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));

/** The quoted label texts of a Mermaid source (node labels, subgraph titles, edge labels). */
const quoted = (src: string): string[] => [...src.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

describe('escapeMermaidLabel', () => {
  it('leaves only letters, digits, spaces and entity codes', () => {
    expect(escapeMermaidLabel('price_lag1')).toBe('price#95;lag1');
    expect(escapeMermaidLabel('<img src=x onerror=alert(1)>')).toBe('#60;img src#61;x onerror#61;alert#40;1#41;#62;');
    expect(escapeMermaidLabel('"]-->X[')).toBe('#34;#93;#45;#45;#62;X#91;');
    expect(escapeMermaidLabel('a\nb\tc')).toBe('a b c');
    expect(escapeMermaidLabel('0.5 ± 0.1 · 😀')).toBe('0#46;5 #177; 0#46;1 #183; #128512;');
  });

  it('round-trips any printable text and never lets a syntax character through', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
      const printable = Array.from(s).map((c) => { const cp = c.codePointAt(0)!; return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? ' ' : c; }).join('');
      const out = escapeMermaidLabel(s, 1000);
      expect(out).toMatch(/^(?:[A-Za-z0-9 ]|#\d+;)*$/);
      expect(decode(out)).toBe(printable);
    }), { numRuns: 300 });
  });

  it('cuts long text with an ellipsis', () => {
    expect(decode(escapeMermaidLabel('x'.repeat(500)))).toBe(`${'x'.repeat(119)}…`);
  });
});

describe('mermaidSource', () => {
  it('writes every node, the two groups and every edge of the example', () => {
    const src = mermaidSource(GRAPH);
    const lines = src.trim().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    for (const n of GRAPH.nodes) expect(src).toContain(n.kind === 'model' ? `subgraph ${n.id}[` : `  ${n.id}`);
    expect(src).toContain('  subgraph g_features["10 features"]');
    // The last step's edge to each of the 10 features is drawn once, into their box.
    const edgeLines = lines.filter((l) => / (-->|-\.->)(\|"[^"]*"\|)? /.test(l));
    const fanOut = GRAPH.edges.filter((e) => e.to.startsWith('n_feat_'));
    expect(new Set(fanOut.map((e) => e.from)).size).toBe(1);
    expect(fanOut).toHaveLength(10);
    expect(edgeLines).toContain(`  ${fanOut[0]!.from} --> g_features`);
    for (const e of fanOut) expect(src).not.toContain(` --> ${e.to}\n`);
    // Every other edge, in the graph's order; a run of unlabelled edges into one node is one `a & b --> c` line.
    const written = edgeLines.flatMap((l) => {
      const m = /^ {2}(.+?) (-->|-\.->)(\|"[^"]*"\|)? (\w+)$/.exec(l)!;
      return m[1]!.split(' & ').map((from) => `${from}>${m[4]}`);
    });
    expect(written).toEqual([`${fanOut[0]!.from}>g_features`, ...GRAPH.edges.filter((e) => !fanOut.includes(e)).map((e) => `${e.from}>${e.to}`)]);
    expect(edgeLines).toContain(`  ${fanOut.map((e) => e.to).join(' & ')} --> n_layer_in`);
    expect(src).toContain('  n_explain0_permutation_importance -.->|"0 diagnostics"| n_spec');
    expect(src).toContain('  n_source[("stocks#46;csv<br>560 rows")]'); // the CSV's own rows, as loaded
    expect(src).toMatch(/ {4}n_feat_price_lag1\("price#95;lag1"\)/);
    expect(src).not.toMatch(/^ {2}class /m); // kind classes are set on the drawn SVG (draw.ts)
    expect(src).not.toContain('style ');
  });

  it('keeps hostile text inside its label', () => {
    const hostile = ['<img src=x onerror=alert(1)>', '"]-->X[', 'a"|b', 'end', '%%{init: {"securityLevel": "loose"}}%%', 'click n_source call alert()'];
    const graph: FlowGraph = {
      specName: hostile[0]!,
      nodes: [
        ...hostile.map((h, i) => ({ id: `n_feat_${i}`, kind: 'feature' as const, label: h, detail: h, feature: h })),
        { id: 'n_spec', kind: 'spec', label: hostile[1]! },
        { id: 'bad id"]', kind: 'step', label: 'dropped' },
        { id: 'end', kind: 'step', label: 'dropped too' },
      ],
      edges: [{ from: 'n_feat_0', to: 'n_spec', label: hostile[1] }, { from: 'bad id"]', to: 'n_spec' }, { from: 'end', to: 'n_spec' }],
    };
    const src = mermaidSource(graph);
    for (const q of quoted(src)) expect(q).toMatch(/^(?:[A-Za-z0-9 ]|#\d+;|<br>)*$/);
    // Outside quotes, only ids, shapes, arrows and keywords remain.
    const bare = src.replace(/"[^"]*"/g, '""');
    expect(bare).not.toMatch(/img|onerror|alert|X\[|%%|click|securityLevel/);
    expect(bare).not.toContain('bad id');
    expect(bare).not.toMatch(/\bend --/);
    expect(src.match(/ -(?:->|\.->)/g)).toHaveLength(1);
    const labels = quoted(src).map((q) => q.split('<br>').map(decode));
    for (const h of hostile) expect(labels.some((l) => l[0] === h)).toBe(true);
  });

  it('with the overlay, writes each feature\'s importance into its label and leaves the shading to the page', () => {
    const overlay = importanceOverlay(GRAPH, REPORT, 'light')!;
    const src = mermaidSource(GRAPH, { overlay });
    // Fills and edge weights are applied to the drawn SVG (draw.ts decorate): no style lines for Mermaid to parse.
    expect(src).not.toMatch(/^ {2}(style|linkStyle) /m);
    const top = [...REPORT.importance!.features].sort((a, b) => b.mean - a.mean)[0]!;
    expect(src).toContain(`n_feat_${top.feature}("${escapeMermaidLabel(top.feature)}<br>${escapeMermaidLabel(`${Number(top.mean.toPrecision(3))} ± ${Number(top.std.toPrecision(3))}`)}")`);
  });

  it('keeps one edge per feature when the features do not all come from one node', () => {
    const graph: FlowGraph = {
      specName: 's',
      nodes: [{ id: 'n_a', kind: 'step', label: 'a' }, { id: 'n_b', kind: 'step', label: 'b' },
        { id: 'n_feat_x', kind: 'feature', label: 'x', feature: 'x' }, { id: 'n_feat_y', kind: 'feature', label: 'y', feature: 'y' }],
      edges: [{ from: 'n_a', to: 'n_feat_x' }, { from: 'n_b', to: 'n_feat_y' }],
    };
    const src = mermaidSource(graph);
    expect(src).toContain('  n_a --> n_feat_x\n');
    expect(src).toContain('  n_b --> n_feat_y\n');
    expect(src).not.toContain('g_features\n');
  });
});

describe('importanceOverlay', () => {
  const graphWith = (names: string[]): FlowGraph => ({
    specName: 's', edges: [], nodes: names.map((n, i) => ({ id: `f${i}`, kind: 'feature', label: n, feature: n })),
  });
  const reportWith = (means: number[]): RunReport => ({
    ...REPORT,
    importance: { ...REPORT.importance!, features: means.map((m, i) => ({ feature: `x${i}`, mean: m, std: 0.1, values: [m] })) },
  });

  it('orders the shades as the importances: darker on light themes, brighter on dark ones', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.double({ min: -1, max: 100, noNaN: true }), { minLength: 2, maxLength: 12 }), (means) => {
      const graph = graphWith(means.map((_, i) => `x${i}`));
      for (const palette of ['light', 'dark'] as const) {
        const o = importanceOverlay(graph, reportWith(means), palette)!;
        const lum = means.map((_, i) => relativeLuminance(parseHex(o.byNode.get(`f${i}`)!.fill)!));
        for (let i = 0; i < means.length; i++) {
          for (let j = 0; j < means.length; j++) {
            if (means[i]! > means[j]!) {
              if (palette === 'light') expect(lum[i]).toBeLessThanOrEqual(lum[j]!);
              else expect(lum[i]).toBeGreaterThanOrEqual(lum[j]!);
            }
          }
        }
        const top = means.indexOf(Math.max(...means));
        const bottom = means.indexOf(Math.min(...means));
        expect(o.byNode.get(`f${top}`)!.t).toBe(1);
        expect(o.byNode.get(`f${bottom}`)!.t).toBe(0);
        expect(o.byNode.get(`f${top}`)!.edgeWidth).toBeGreaterThan(o.byNode.get(`f${bottom}`)!.edgeWidth);
      }
    }), { numRuns: 200 });
  });

  it('gives the fixture a strict shading order equal to the importance order', () => {
    const o = importanceOverlay(GRAPH, REPORT, 'light')!;
    const byLuminance = [...o.byNode.entries()]
      .sort((a, b) => relativeLuminance(parseHex(a[1].fill)!) - relativeLuminance(parseHex(b[1].fill)!))
      .map(([id]) => GRAPH.nodes.find((n) => n.id === id)!.feature);
    expect(byLuminance).toEqual([...REPORT.importance!.features].sort((a, b) => b.mean - a.mean).map((f) => f.feature));
    expect(o.min).toBe(Math.min(...REPORT.importance!.features.map((f) => f.mean)));
    expect(o.max).toBe(Math.max(...REPORT.importance!.features.map((f) => f.mean)));
  });

  it('is null without importance or without matching features', () => {
    expect(importanceOverlay(GRAPH, null, 'light')).toBeNull();
    expect(importanceOverlay(GRAPH, { ...REPORT, importance: undefined }, 'light')).toBeNull();
    expect(importanceOverlay(graphWith(['other']), REPORT, 'light')).toBeNull();
  });
});
