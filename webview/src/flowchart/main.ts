/**
 * The flowchart webview: draws the pipeline's FlowGraph with Mermaid, shades feature nodes by importance, and
 * talks to its host only through `protocol/` messages (validated on receipt; anything else is dropped).
 *
 * Startup: a page may inline `{ graph, report }` in `<script type="application/json" id="xai-flowchart-data">`
 * (report.html does); else the state saved with `setState` is restored (panel restore). Then `{type:'ready'}` is
 * posted and the host answers with a `graph` message. Works under a CSP with nonce-only scripts and no
 * string evaluation; needs `style-src 'unsafe-inline'` for Mermaid's injected styles.
 */
import mermaid from 'mermaid';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import {
  isHostToWebviewMessage, type FlowchartState, type FlowGraph, type FlowNode, type ImportanceMethod, type Range, type RunReport,
  type WebviewToHostMessage,
} from '../../../protocol/protocol';
import { formatNumber } from '../common/format';
import { isDark, mermaidTheme, themeKind } from '../common/theme';
import { mermaidSource } from './mermaidSource';
import { importanceOverlay, type ImportanceOverlay } from './overlay';
import { FLOWCHART_CSS } from './styles';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the webview persists: the protocol's FlowchartState plus its own controls. */
interface State extends FlowchartState { overlay?: boolean; method?: ImportanceMethod; fit?: boolean }

const vscode = acquireVsCodeApi();
const METHOD_LABELS: Record<ImportanceMethod, string> = { permutation_importance: 'Permutation importance' };
const METRIC_LABELS: Record<string, string> = { rmse: 'RMSE', mae: 'MAE', mse: 'MSE' };

let state: State = readInitialState();
let renderCount = 0;
let highlighted: string | null = null;

// --- page ----------------------------------------------------------------------------------------------------
const style = document.createElement('style');
style.textContent = FLOWCHART_CSS;
document.head.appendChild(style);

const root = document.getElementById('xai-flowchart') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('xai-root');
root.innerHTML = `
  <div class="xai-toolbar">
    <vscode-checkbox class="xai-overlay-toggle" label="Importance overlay"></vscode-checkbox>
    <vscode-single-select class="xai-method" aria-label="Importance method">
      <vscode-option value="permutation_importance" selected>${METHOD_LABELS.permutation_importance}</vscode-option>
    </vscode-single-select>
    <vscode-checkbox class="xai-fit-toggle" label="Fit to width"></vscode-checkbox>
    <span class="xai-status"></span>
  </div>
  <div class="xai-legend" hidden>
    <span class="xai-legend-caption"></span>
    <span class="xai-legend-min"></span><span class="xai-legend-bar"></span><span class="xai-legend-max"></span>
  </div>
  <div class="xai-error" role="alert" hidden></div>
  <div class="xai-diagram"><p class="xai-empty">Waiting for the pipeline…</p></div>`;
const $ = <T extends Element>(sel: string): T => root.querySelector<T>(sel)!;
const toggle = $<HTMLElement & { checked: boolean; disabled: boolean }>('.xai-overlay-toggle');
const methodSelect = $<HTMLElement & { value: string; disabled: boolean }>('.xai-method');
const fitToggle = $<HTMLElement & { checked: boolean }>('.xai-fit-toggle');
const status = $<HTMLElement>('.xai-status');
const legend = $<HTMLElement>('.xai-legend');
const errorBox = $<HTMLElement>('.xai-error');
const diagram = $<HTMLElement>('.xai-diagram');

toggle.checked = state.overlay ?? true;
toggle.addEventListener('change', () => {
  state = { ...state, overlay: toggle.checked };
  vscode.setState(state);
  void render();
});
fitToggle.checked = state.fit ?? true;
fitToggle.addEventListener('change', () => {
  state = { ...state, fit: fitToggle.checked };
  vscode.setState(state);
  const svg = diagram.querySelector<SVGSVGElement>('svg');
  if (svg) applyFit(svg, fitToggle.checked);
});
methodSelect.addEventListener('change', () => {
  state = { ...state, method: methodSelect.value === 'permutation_importance' ? 'permutation_importance' : state.method };
  vscode.setState(state);
  void render();
});

window.addEventListener('message', (event: MessageEvent) => {
  const msg: unknown = event.data;
  if (!isHostToWebviewMessage(msg)) return;
  if (msg.type === 'graph') {
    state = { ...state, graph: msg.graph, report: msg.report ?? null, ...(msg.specUri ? { specUri: msg.specUri } : {}) };
    vscode.setState(state);
    void render();
  } else {
    highlight(msg.nodeId);
  }
});

// Re-render when the editor's theme changes (VS Code swaps the body class) or the OS scheme does (report.html).
new MutationObserver(() => void render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => void render());

void render();
vscode.postMessage({ type: 'ready' });

// --- state ---------------------------------------------------------------------------------------------------
function readInitialState(): State {
  const inline = document.getElementById('xai-flowchart-data');
  if (inline?.textContent) {
    try {
      const data = JSON.parse(inline.textContent) as { graph?: FlowGraph; report?: RunReport | null };
      if (isHostToWebviewMessage({ type: 'graph', graph: data.graph })) return { graph: data.graph, report: data.report ?? null, overlay: true };
    } catch { /* fall through to the saved state */ }
  }
  const saved = vscode.getState();
  return typeof saved === 'object' && saved !== null ? (saved as State) : {};
}

// --- drawing -------------------------------------------------------------------------------------------------
async function render(): Promise<void> {
  const graph = state.graph;
  if (!graph) return;
  const n = ++renderCount;
  const kind = themeKind();
  const fullOverlay = importanceOverlay(graph, state.report, isDark(kind) ? 'dark' : 'light');
  toggle.disabled = !fullOverlay;
  methodSelect.disabled = !fullOverlay;
  const overlay = fullOverlay && toggle.checked ? fullOverlay : null;
  try {
    mermaid.initialize({
      startOnLoad: false, securityLevel: 'strict', ...mermaidTheme(kind),
      flowchart: { htmlLabels: true, useMaxWidth: true, curve: 'basis' }, maxTextSize: 200_000,
    });
    const { svg } = await mermaid.render(`xai-flowchart-svg-${n}`, mermaidSource(graph, { overlay }));
    if (n !== renderCount) return; // a newer render started meanwhile
    diagram.innerHTML = svg;
    const svgEl = diagram.querySelector<SVGSVGElement>('svg');
    if (svgEl) {
      alignClusterTitles(svgEl);
      wireNodes(graph, svgEl);
      applyFit(svgEl, fitToggle.checked);
    }
    if (highlighted) highlight(highlighted);
    showStatus(graph, state.report ?? null);
    showLegend(overlay);
    errorBox.hidden = true;
  } catch (err) {
    if (n !== renderCount) return;
    // Mermaid's parse errors quote the source; keep the message short (the host drops messages over 10 000 chars).
    const message = `The flowchart could not be drawn: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2000);
    errorBox.textContent = message;
    errorBox.hidden = false;
    vscode.postMessage({ type: 'error', message });
  }
}

/**
 * The graph node id a rendered Mermaid element stands for. Mermaid 11 prefixes element ids with the svg's id:
 * nodes are `<svg>-flowchart-<id>-<n>`, subgraphs `<svg>-<id>`.
 */
function nodeIdOf(el: Element, svgId: string, ids: Set<string>): string | undefined {
  const local = el.id.startsWith(`${svgId}-`) ? el.id.slice(svgId.length + 1) : el.id;
  const m = /^flowchart-(.+)-\d+$/.exec(local);
  if (m && ids.has(m[1]!)) return m[1];
  return ids.has(local) ? local : undefined;
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

/** Fit to the panel's width (the whole pipeline at a glance), or natural size with scrolling, centred. */
function applyFit(svg: SVGSVGElement, fit: boolean): void {
  const natural = parseFloat(svg.style.maxWidth);
  if (!Number.isFinite(natural) || natural <= 0) return;
  svg.style.minWidth = fit ? '' : `${Math.round(natural)}px`;
  diagram.scrollLeft = fit ? 0 : (diagram.scrollWidth - diagram.clientWidth) / 2;
}

/** Makes nodes (and the model's box) clickable: a click or Enter posts `reveal` with the node's spec range. */
function wireNodes(graph: FlowGraph, svg: SVGSVGElement): void {
  const byId = new Map<string, FlowNode>(graph.nodes.map((node) => [node.id, node]));
  const ids = new Set(byId.keys());
  for (const el of svg.querySelectorAll<SVGGElement>('g.node, g.cluster')) {
    const id = nodeIdOf(el, svg.id, ids);
    if (!id) continue;
    const node = byId.get(id)!;
    el.setAttribute('data-xai-node', id);
    el.setAttribute('data-xai-kind', node.kind);
    if (node.feature !== undefined) el.setAttribute('data-xai-feature', node.feature);
    // The full, untruncated text as a tooltip (textContent: never markup).
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = [node.label, node.detail].filter(Boolean).join('\n');
    el.prepend(title);
    if (!node.range) continue;
    const range: Range = node.range;
    el.setAttribute('data-xai-range', `${range.start.line}:${range.start.character}`);
    if (el.classList.contains('node')) {
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', `${node.label}: show in the spec`);
    }
    const reveal = (event: Event): void => {
      event.stopPropagation();
      vscode.postMessage({ type: 'reveal', range });
    };
    el.addEventListener('click', reveal);
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); reveal(event); }
    });
  }
}

/** Outlines one node (null clears); the host sends this when the cursor moves in the spec. */
function highlight(nodeId: string | null): void {
  highlighted = nodeId;
  for (const el of diagram.querySelectorAll('.xai-highlight')) el.classList.remove('xai-highlight');
  if (!nodeId) return;
  const el = [...diagram.querySelectorAll('[data-xai-node]')].find((e) => e.getAttribute('data-xai-node') === nodeId);
  el?.classList.add('xai-highlight');
  el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

function showStatus(graph: FlowGraph, report: RunReport | null): void {
  if (!report) {
    status.textContent = `${graph.specName}: not trained yet`;
    return;
  }
  const m = report.metrics as Partial<RunReport['metrics']> | undefined; // from disk: checked, not trusted
  const c = m?.classification;
  const metrics = c?.model && c.baseline ? ` · validation accuracy ${formatNumber(c.model.accuracy)} (baseline ${formatNumber(c.baseline.accuracy)})`
    : m?.model && m.baseline ? ` · validation RMSE ${formatNumber(m.model.rmse)} (baseline ${formatNumber(m.baseline.rmse)})` : '';
  status.textContent = `${graph.specName} · run ${String(report.runId)} · ${String(report.backend)}${metrics}`;
}

function showLegend(overlay: ImportanceOverlay | null): void {
  if (!overlay) {
    legend.hidden = true;
    return;
  }
  const metric = METRIC_LABELS[overlay.metric] ?? overlay.metric;
  $<HTMLElement>('.xai-legend-caption').textContent =
    `${METHOD_LABELS[overlay.method]}: increase in ${metric} when a feature is permuted (${overlay.split}, mean ± std over ${overlay.repeats} repeats)`;
  $<HTMLElement>('.xai-legend-min').textContent = formatNumber(overlay.min);
  $<HTMLElement>('.xai-legend-max').textContent = formatNumber(overlay.max);
  $<HTMLElement>('.xai-legend-bar').style.background = `linear-gradient(to right, ${overlay.stops.join(', ')})`;
  legend.hidden = false;
}
