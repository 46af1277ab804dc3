/// <reference lib="dom" />
/**
 * The build's patches to Mermaid (scripts/mermaidPatches.mjs, issue 7) change how fast it draws, not what: the
 * flowchart webview bundled with and without them draws the same SVG, byte for byte once the published one's empty
 * edge-label groups are taken out, in real Chromium: the stock example with its importance overlay, a structural
 * edit of it, and a graph that cannot be drawn without crossings, on the light and the dark theme. And each patch
 * finds its text exactly once in the installed packages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowGraph, HostToWebviewMessage, RunReport } from '../../protocol/protocol';
import { buildFlowGraph } from '../../server/src/report/flowGraph';
import { mermaidSource } from '../../webview/src/flowchart/mermaidSource';
import { parseSpec } from '../../server/src/spec/parse';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { applyPatches, mermaidPatches, PATCHES } from '../../scripts/mermaidPatches.mjs';
import { launch, ROOT, serve, type Browser, type Served } from './harness';

type Patch = { name: string; module: string; edits: { find: string }[] };
const SPEC_TEXT = readFileSync(join(ROOT, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');
const REPORT = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/stock-price/report.json'), 'utf8')) as RunReport;
const GRAPH = buildFlowGraph(parseSpec(SPEC_TEXT), REPORT);

/** The graph with one more feature node (a structural edit: a full Mermaid render). */
function grown(graph: FlowGraph): FlowGraph {
  const feature = graph.nodes.find((n) => n.kind === 'feature')!;
  const copy = { ...feature, id: `${feature.id}_copy`, label: `${feature.label} copy` };
  const edges = graph.edges.flatMap((e) => [e, ...(e.from === feature.id ? [{ ...e, from: copy.id }] : e.to === feature.id ? [{ ...e, to: copy.id }] : [])]);
  return { ...graph, nodes: [...graph.nodes, copy], edges };
}

/**
 * Three features each feeding three layers in crossed order, and a labelled edge: dagre cannot lay this out without
 * crossings, so its ordering sweeps past the first (both sweep directions run).
 */
function crossed(): FlowGraph {
  const features = ['a', 'b', 'c'].map((f) => ({ id: `n_feat_${f}`, kind: 'feature' as const, label: f, feature: f }));
  const layers = [1, 2, 3].map((k) => ({ id: `n_layer${k}`, kind: 'layer' as const, label: `Dense ${k}` }));
  const edges = features.flatMap((f, i) => layers.map((l, j) => ({ from: f.id, to: layers[(i + j) % 3]!.id, ...(i === j ? { label: `${l.label}` } : {}) })));
  return { specName: 'crossed', nodes: [...features, ...layers], edges };
}

async function bundle(patches: Patch[]): Promise<string> {
  const out = await esbuild.build({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', write: false, logLevel: 'silent', minify: true,
    entryPoints: [join(ROOT, 'webview/src/flowchart/main.ts')], plugins: [(mermaidPatches as (p: Patch[]) => esbuild.Plugin)(patches)],
  });
  return out.outputFiles[0]!.text;
}

let patched: Served;
let published: Served;
let browser: Browser;

beforeAll(async () => {
  [patched, published] = await Promise.all([bundle(PATCHES as Patch[]).then((b) => serve(b)), bundle([]).then((b) => serve(b))]);
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await patched?.close();
  await published?.close();
});

/** Sends `message` and resolves with the diagram's SVG once the page says it has drawn. */
async function drawn(page: Page, message: HostToWebviewMessage): Promise<string> {
  const before = await page.evaluate(() => Number(document.body.dataset.xaiDrawn ?? 0));
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForFunction((n) => Number(document.body.dataset.xaiDrawn ?? 0) > n, before);
  return page.$eval('.xai-diagram', (el) => el.innerHTML);
}

/** The SVGs one bundle draws for the sequence of messages, on a fresh page. */
async function drawings(server: Served, theme: 'light' | 'dark'): Promise<string[]> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/panel.html?theme=${theme}`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    const out = [await drawn(page, { type: 'graph', graph: GRAPH, report: REPORT, specUri: 'file:///spec.xai.yaml' })];
    out.push(await drawn(page, { type: 'graph', graph: grown(GRAPH), report: REPORT, specUri: 'file:///spec.xai.yaml' }));
    out.push(await drawn(page, { type: 'graph', graph: crossed(), specUri: 'file:///crossed.xai.yaml' }));
    return out;
  } finally {
    await page.close();
  }
}

/** '' when equal, else both texts around their first difference (an SVG is too long for a readable diff). */
function firstDifference(a: string, b: string): string {
  if (a === b) return '';
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const around = (s: string): string => JSON.stringify(s.slice(Math.max(0, i - 120), i + 120));
  return `at ${i} of ${a.length}/${b.length}: patched ${around(a)}, published ${around(b)}`;
}

describe("the build's patches to Mermaid", () => {
  it('each finds its text exactly once in what the build reads of Mermaid and dagre', () => {
    const under = (dir: string): string[] => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((n) => /\.m?js$/.test(n)).map((n) => join(ROOT, dir, n));
    const files: Record<string, string[]> = {
      // The ESM build the bundle imports: its entry and its chunks.
      mermaid: [join(ROOT, 'node_modules/mermaid/dist/mermaid.core.mjs'), ...under('node_modules/mermaid/dist/chunks/mermaid.core')],
      'dagre-d3-es': under('node_modules/dagre-d3-es/src'),
    };
    for (const p of PATCHES as Patch[]) {
      for (const e of p.edits) {
        const count = files[p.module]!.reduce((n, f) => n + readFileSync(f, 'utf8').split(e.find).length - 1, 0);
        expect(count, p.name).toBe(1);
      }
    }
  });

  it('apply all of a patch\'s edits or none of them, and refuse an ambiguous text', () => {
    const apply = applyPatches as (text: string, patches: unknown[]) => { text: string; applied: string[] };
    const patch = { name: 'two edits', module: 'mermaid', edits: [{ find: 'let a = 1;', replace: 'let a = 2;' }, { find: 'use(a);', replace: 'use(a, b);' }] };
    expect(apply('let a = 1;\nuse(a);\n', [patch])).toEqual({ text: 'let a = 2;\nuse(a, b);\n', applied: ['two edits'] });
    // One text missing (an upgrade changed it): the file stays as published.
    expect(apply('let a = 1;\nuse(a, c);\n', [patch])).toEqual({ text: 'let a = 1;\nuse(a, c);\n', applied: [] });
    expect(() => apply('let a = 1;\nuse(a);\nuse(a);\n', [patch])).toThrow("mermaid patch 'two edits': its text occurs more than once");
  });

  it.each(['light', 'dark'] as const)('leave the drawn SVG unchanged (%s theme, the stock example and a structural edit)', async (theme) => {
    const [ours, theirs] = [await drawings(patched, theme), await drawings(published, theme)];
    expect(ours[0]).toContain('data-xai-node="n_output"');
    expect(ours[1]).toContain('_copy');
    expect(ours[2]).toContain('Dense 3');
    expect(ours[0]!.length).toBeGreaterThan(10_000);
    // The one intended difference: the published Mermaid gives unlabelled edges an empty, 0 × 0 label group.
    const emptyLabel = /<g class="edgeLabel"><g class="label" data-id="[^"]+" transform="translate\(0, 0\)"><foreignObject width="0" height="0"><div [^>]*><span class="edgeLabel"><\/span><\/div><\/foreignObject><\/g><\/g>/g;
    const unlabelled = mermaidSource(GRAPH).split('\n').filter((l) => / -(->|\.->) /.test(l) && !l.includes('|'))
      .reduce((n, l) => n + l.split(' & ').length, 0);
    expect(theirs[0]!.match(emptyLabel)?.length).toBe(unlabelled);
    ours.forEach((svg, i) => expect(firstDifference(svg, theirs[i]!.replace(emptyLabel, '')), `drawing ${i + 1}`).toBe(''));
  }, 120_000);
});
