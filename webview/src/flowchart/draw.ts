/**
 * Drawing the flowchart: a full Mermaid render when the graph's structure changes, and for everything else (an
 * edited label, an importance method switched, a sample's path) a patch of the SVG already on screen: label text,
 * fills, edge weights and path classes change in place, without a new layout. A patch whose text outgrows its box
 * schedules a quiet full render (`RELAYOUT_DELAY_MS`) that re-fits the boxes; the new SVG replaces the old one in a
 * single DOM swap, so nothing flickers.
 */
import mermaid from 'mermaid';
import type { FlowGraph, FlowNode, Range } from '../../../protocol/protocol';
import { escapeHtml } from '../common/escape';
import { mermaidTheme, type ThemeKind } from '../common/theme';
import { kindClass, mermaidSource, nodeLines, type ExtraGroup } from './mermaidSource';
import type { ImportanceOverlay } from './overlay';
import type { PathOverlay } from './pathOverlay';

/** After a patch that changed label text, the full render that re-fits the boxes waits this long for quiet. */
export const RELAYOUT_DELAY_MS = 600;

export interface Scene {
  graph: FlowGraph;
  overlay: ImportanceOverlay | null;
  path: PathOverlay | null;
  theme: ThemeKind;
}

export interface DrawHooks {
  /** A node was clicked (or Enter pressed on it): reveal its range in the spec. */
  reveal(range: Range): void;
  /** Called after every render or patch with the SVG on screen. */
  drawn(svg: SVGSVGElement, how: 'render' | 'patch'): void;
}

interface Rendered { key: string; theme: ThemeKind; labels: Map<string, string>; svg: SVGSVGElement }

let rendered: Rendered | null = null;
let renderSeq = 0;
let relayoutTimer: ReturnType<typeof setTimeout> | undefined;

/** What a patch cannot change: node ids and kinds, edges and their labels, the extra group's shape. */
function structureKey(scene: Scene): string {
  const g = scene.path?.group;
  return JSON.stringify([
    scene.graph.nodes.map((n) => `${n.id}:${n.kind}`), scene.graph.edges.map((e) => `${e.from}>${e.to}:${e.label ?? ''}`),
    g ? [g.id, g.title, g.from, g.nodes.map((n) => n.id), g.edgeLabels] : null,
  ]);
}

function labelsOf(scene: Scene): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of scene.graph.nodes) m.set(n.id, nodeLines(n, scene.overlay, scene.path?.lines).join('\n'));
  for (const n of scene.path?.group?.nodes ?? []) m.set(n.id, n.lines.join('\n'));
  return m;
}

/**
 * Draws `scene` into `container`: a patch when the structure and theme are those on screen, else a full render.
 * @returns how it drew, or null when a newer draw superseded this one.
 * @throws whatever Mermaid throws for a source it cannot lay out.
 */
export async function draw(container: HTMLElement, scene: Scene, hooks: DrawHooks, force = false): Promise<'render' | 'patch' | null> {
  const key = structureKey(scene);
  const labels = labelsOf(scene);
  if (!force && rendered && rendered.key === key && rendered.theme === scene.theme && container.contains(rendered.svg)) {
    const grew = patch(rendered, scene, labels);
    decorate(rendered.svg, scene);
    hooks.drawn(rendered.svg, 'patch');
    if (grew) scheduleRelayout(container, scene, hooks);
    return 'patch';
  }
  if (relayoutTimer) { clearTimeout(relayoutTimer); relayoutTimer = undefined; }
  const n = ++renderSeq;
  configure(scene.theme);
  const source = mermaidSource(scene.graph, { overlay: scene.overlay, extraLines: scene.path?.lines, extraGroup: scene.path?.group ?? null });
  const id = `xai-flowchart-svg-${n}`;
  const t0 = performance.now();
  const { svg } = await mermaid.render(id, source);
  // For `npm run bench`: how much of a full render is Mermaid's parse and layout.
  performance.measure('xai-mermaid-render', { start: t0, end: performance.now() });
  const nodes = sanitizedSvg.get(id);
  sanitizedSvg.delete(id);
  if (n !== renderSeq) return null;
  const { scrollLeft, scrollTop } = container;
  // One swap: the old drawing stays until the new one is complete.
  if (nodes) container.replaceChildren(...nodes.childNodes);
  else container.innerHTML = svg;
  const svgEl = container.querySelector<SVGSVGElement>('svg');
  if (!svgEl) return null;
  alignClusterTitles(svgEl);
  wireNodes(scene.graph, svgEl, hooks);
  decorate(svgEl, scene);
  container.scrollLeft = scrollLeft;
  container.scrollTop = scrollTop;
  rendered = { key, theme: scene.theme, labels, svg: svgEl };
  hooks.drawn(svgEl, 'render');
  return 'render';
}

/**
 * Where the build's patched Mermaid (scripts/mermaidPatches.mjs) leaves each render's sanitised SVG nodes, by render
 * id, so they move onto the screen without a serialise-and-parse round trip.
 */
const sanitizedSvg = new Map<string, HTMLElement>();
(globalThis as { __xaiSanitizedSvg?: Map<string, HTMLElement> }).__xaiSanitizedSvg = sanitizedSvg;

let configured = '';

/** Initialises Mermaid for `theme` when its colours differ from the last ones (initialising recomputes its theme). */
function configure(theme: ThemeKind): void {
  const config = {
    // A fixed seed: shapes Mermaid draws with rough.js (the output's) come out the same on every render, not jittered.
    startOnLoad: false, securityLevel: 'strict', handDrawnSeed: 1, ...mermaidTheme(theme),
    flowchart: { htmlLabels: true, useMaxWidth: true, curve: 'basis' }, maxTextSize: 400_000,
  } as const;
  const key = JSON.stringify(config);
  if (key === configured) return;
  mermaid.initialize(config);
  configured = key;
}

/**
 * Renders `graph` off-screen and discards the drawing (nothing on screen or in the draw state changes): see
 * warmUp.ts. Errors are swallowed; a real draw reports its own.
 */
export async function warmUp(graph: FlowGraph, theme: ThemeKind): Promise<void> {
  configure(theme);
  const id = 'xai-flowchart-warm-up';
  try {
    await mermaid.render(id, mermaidSource(graph));
  } catch { /* a real draw reports its own errors */ } finally {
    sanitizedSvg.delete(id);
  }
}

/** Forgets what is on screen (the next draw renders fully). */
export function invalidate(): void {
  rendered = null;
}

function scheduleRelayout(container: HTMLElement, scene: Scene, hooks: DrawHooks): void {
  if (relayoutTimer) clearTimeout(relayoutTimer);
  relayoutTimer = setTimeout(() => {
    relayoutTimer = undefined;
    void draw(container, scene, hooks, true).catch(() => { /* the patched drawing stays */ });
  }, RELAYOUT_DELAY_MS);
}

/** Elements of one drawn SVG by graph id, indexed once per render (patches look hundreds of them up). */
interface SvgIndex { nodes: Map<string, SVGGElement>; edges: Map<string, SVGPathElement> }
const indexes = new WeakMap<SVGSVGElement, SvgIndex>();

/** Mermaid's ids: nodes `<svg>-flowchart-<id>-<n>`, subgraphs `<svg>-<id>`, edges `<svg>-L_<from>_<to>_<n>`. */
function indexOf(svg: SVGSVGElement): SvgIndex {
  let index = indexes.get(svg);
  if (index) return index;
  index = { nodes: new Map(), edges: new Map() };
  const prefix = `${svg.id}-`;
  for (const el of svg.querySelectorAll<SVGGElement>('g.node, g.cluster')) {
    const local = el.id.startsWith(prefix) ? el.id.slice(prefix.length) : el.id;
    const m = /^flowchart-(.+)-\d+$/.exec(local);
    index.nodes.set(el.getAttribute('data-xai-node') ?? (m ? m[1]! : local), el);
  }
  for (const el of svg.querySelectorAll<SVGPathElement>('path.flowchart-link')) {
    index.edges.set(el.id.startsWith(prefix) ? el.id.slice(prefix.length) : el.id, el);
  }
  indexes.set(svg, index);
  return index;
}

function nodeElement(svg: SVGSVGElement, id: string): SVGGElement | undefined {
  return indexOf(svg).nodes.get(id);
}

function edgeElement(svg: SVGSVGElement, from: string, to: string): SVGPathElement | undefined {
  return indexOf(svg).edges.get(`L_${from}_${to}_0`);
}

/**
 * Replaces the text of labels that changed; true when a new text needs more room than its box (a relayout then
 * re-fits the boxes). Writes, then reads, then writes: one reflow for any number of labels.
 */
function patch(r: Rendered, scene: Scene, labels: Map<string, string>): boolean {
  const changed: SVGGElement[] = [];
  const byId = new Map(scene.graph.nodes.map((x) => [x.id, x]));
  for (const [id, text] of labels) {
    if (r.labels.get(id) === text) continue;
    const el = nodeElement(r.svg, id);
    const p = el?.querySelector<HTMLElement>('.nodeLabel p') ?? el?.querySelector<HTMLElement>('.nodeLabel');
    if (!el || !p) continue;
    p.innerHTML = text.split('\n').map((line) => escapeHtml(line)).join('<br>');
    const node = byId.get(id);
    const title = el.querySelector(':scope > title');
    if (node && title) title.textContent = [node.label, node.detail].filter(Boolean).join('\n');
    changed.push(el);
  }
  r.labels = labels;
  const sizes = changed.map(measureLabel);
  const shape = (el: SVGGElement): DOMRect | undefined => shapesOf(el)[0]?.getBoundingClientRect();
  const room = changed.map((el) => shape(el));
  changed.forEach((el, i) => refit(el, sizes[i]));
  const scale = r.svg.getScreenCTM()?.a ?? 1;
  return changed.some((_, i) => {
    const s = sizes[i];
    const box = room[i];
    return !s || !box || s.w * scale > box.width - 4 || s.h * scale > box.height - 2;
  });
}

/** The size a label's new text needs, in px. */
function measureLabel(el: SVGGElement): { w: number; h: number } | undefined {
  const div = el.querySelector(':scope > g.label foreignObject')?.firstElementChild as HTMLElement | null | undefined;
  return div ? { w: Math.max(div.scrollWidth, 1), h: Math.max(div.scrollHeight, 1) } : undefined;
}

/** Grows a label's foreignObject to its new text and keeps it centred on the node. */
function refit(el: SVGGElement, size: { w: number; h: number } | undefined): void {
  const label = el.querySelector<SVGGElement>(':scope > g.label');
  const fo = label?.querySelector('foreignObject');
  if (!label || !fo || !size) return;
  fo.setAttribute('width', String(size.w));
  fo.setAttribute('height', String(size.h));
  label.setAttribute('transform', `translate(${-size.w / 2}, ${-size.h / 2})`);
}

/** The shape of a node (rect, polygon, path…), where fills and outlines go. */
function shapesOf(el: Element): SVGElement[] {
  return [...el.querySelectorAll<SVGElement>(':scope > rect, :scope > polygon, :scope > path, :scope > circle, :scope > ellipse, :scope > g > path, :scope > g > rect')]
    .filter((s) => !s.closest('g.label'));
}

/** Applies the overlay's fills and edge weights and the path's classes to the SVG on screen. */
function decorate(svg: SVGSVGElement, scene: Scene): void {
  const { graph, overlay, path } = scene;
  for (const node of graph.nodes) {
    if (node.kind !== 'feature') continue;
    const el = nodeElement(svg, node.id);
    if (!el) continue;
    const shade = overlay?.byNode.get(node.id);
    for (const s of shapesOf(el)) s.style.fill = shade ? shade.fill : '';
    const label = el.querySelector<HTMLElement>('.nodeLabel');
    if (label) label.style.color = shade ? shade.textColor : '';
  }
  graph.edges.forEach((e) => {
    const el = edgeElement(svg, e.from, e.to);
    if (!el) return;
    const shade = overlay?.byNode.get(e.from);
    const weighted = shade && !overlay!.byNode.has(e.to);
    el.style.stroke = weighted ? shade.edgeColor : '';
    el.style.strokeWidth = weighted ? `${shade.edgeWidth.toFixed(1)}px` : '';
    el.classList.toggle('xai-path-edge', !!path?.edges.has(`${e.from}>${e.to}`));
  });
  svg.classList.toggle('xai-has-path', !!path);
  for (const [id, el] of indexOf(svg).nodes) if (el.classList.contains('node')) el.classList.toggle('xai-path', !!path?.nodes.has(id));
  for (const g of path?.group?.nodes ?? []) nodeElement(svg, g.id)?.classList.add('xai-path');
}

/** Moves subgraph titles to the box's top-left corner, clear of the edges that converge on its centre. */
function alignClusterTitles(svg: SVGSVGElement): void {
  for (const cluster of svg.querySelectorAll<SVGGElement>('g.cluster')) {
    const rect = cluster.querySelector<SVGRectElement>(':scope > rect');
    const label = cluster.querySelector<SVGGElement>(':scope > g.cluster-label');
    const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(label?.getAttribute('transform') ?? '');
    if (!rect || !label || !m) continue;
    label.setAttribute('transform', `translate(${rect.x.baseVal.value + 8}, ${m[2]})`);
  }
}

/** The graph node id a rendered Mermaid element stands for. */
function nodeIdOf(el: Element, svgId: string, ids: Set<string>): string | undefined {
  const local = el.id.startsWith(`${svgId}-`) ? el.id.slice(svgId.length + 1) : el.id;
  const m = /^flowchart-(.+)-\d+$/.exec(local);
  if (m && ids.has(m[1]!)) return m[1];
  return ids.has(local) ? local : undefined;
}

/** Makes nodes (and the model's box) clickable: a click or Enter posts `reveal` with the node's spec range. */
function wireNodes(graph: FlowGraph, svg: SVGSVGElement, hooks: DrawHooks): void {
  const byId = new Map<string, FlowNode>(graph.nodes.map((node) => [node.id, node]));
  const ids = new Set(byId.keys());
  for (const el of svg.querySelectorAll<SVGGElement>('g.node, g.cluster')) {
    const id = nodeIdOf(el, svg.id, ids);
    if (!id) continue;
    const node = byId.get(id)!;
    el.setAttribute('data-xai-node', id);
    el.setAttribute('data-xai-kind', node.kind);
    if (el.classList.contains('node')) el.classList.add(kindClass(node.kind));
    if (node.feature !== undefined) el.setAttribute('data-xai-feature', node.feature);
    if (node.treeNode !== undefined) el.setAttribute('data-xai-tree-node', String(node.treeNode));
    // The full, untruncated text as a tooltip (textContent: never markup).
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = [node.label, node.detail].filter(Boolean).join('\n');
    el.prepend(title);
    if (!node.range) continue;
    el.setAttribute('data-xai-range', `${node.range.start.line}:${node.range.start.character}`);
    if (el.classList.contains('node')) {
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', `${node.label}: show in the spec`);
    }
    // Read the node's range when clicked: a patch may have brought a newer graph with moved ranges.
    const reveal = (event: Event): void => {
      event.stopPropagation();
      const current = currentGraph?.nodes.find((x) => x.id === id)?.range ?? node.range!;
      hooks.reveal(current);
    };
    el.addEventListener('click', reveal);
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); reveal(event); }
    });
  }
}

let currentGraph: FlowGraph | null = null;

/** The graph whose ranges clicks reveal (set by the page on every graph message). */
export function setCurrentGraph(graph: FlowGraph | null): void {
  currentGraph = graph;
}

export type { ExtraGroup };
