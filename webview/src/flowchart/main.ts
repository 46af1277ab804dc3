/**
 * The flowchart webview: draws the pipeline's FlowGraph with Mermaid, shades feature nodes by the chosen importance,
 * lights the decision path of the sample picked in the Decision Path panel, exports the drawing, and talks to its
 * host only through `protocol/` messages (validated on receipt; anything else is dropped).
 *
 * Startup: a page may inline `{ graph, report }` in `<script type="application/json" id="xai-flowchart-data">`
 * (report.html does); else the state saved with `setState` is restored (panel restore). Then `{type:'ready'}` is
 * posted and the host answers with a `graph` message. Works under a CSP with nonce-only scripts and no
 * string evaluation; needs `style-src 'unsafe-inline'` for Mermaid's injected styles.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import {
  IMPORTANCE_METHODS, isHostToWebviewMessage, type DecisionPathSample, type FlowchartState, type FlowGraph, type ImportanceMethod,
  type RunReport, type WebviewToHostMessage,
} from '../../../protocol/protocol';
import { escapeHtml } from '../common/escape';
import { formatNumber } from '../common/format';
import { cssColor, isDark, themeKind } from '../common/theme';
import { draw, setCurrentGraph, warmUp, type Scene } from './draw';
import { warmUpGraph } from './warmUp';
import { pngBase64, standaloneSvg } from './exportImage';
import { availableMethods, importanceOverlay, METHOD_LABELS, type ImportanceOverlay } from './overlay';
import { pathOverlay } from './pathOverlay';
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

let state: State = readInitialState();
let highlighted: string | null = null;
/** Draws run one after another; a burst of messages collapses into one draw of the latest state. */
let drawing: Promise<void> = Promise.resolve();
let drawPending = false;

// --- page ----------------------------------------------------------------------------------------------------
const style = document.createElement('style');
style.textContent = FLOWCHART_CSS;
document.head.appendChild(style);

const root = document.getElementById('xai-flowchart') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('xai-root');
root.innerHTML = `
  <div class="xai-toolbar" role="toolbar" aria-label="Flowchart">
    <vscode-checkbox class="xai-overlay-toggle" label="Importance overlay"></vscode-checkbox>
    <vscode-single-select class="xai-method" aria-label="Importance method"></vscode-single-select>
    <vscode-checkbox class="xai-fit-toggle" label="Fit to width"></vscode-checkbox>
    <vscode-button class="xai-export-svg" secondary aria-label="Export the flowchart as SVG">Export SVG</vscode-button>
    <vscode-button class="xai-export-png" secondary aria-label="Export the flowchart as PNG">Export PNG</vscode-button>
    <vscode-button class="xai-clear-path" secondary hidden aria-label="Clear the decision path">Clear path</vscode-button>
    <span class="xai-status" role="status"></span>
  </div>
  <div class="xai-legend" hidden>
    <span class="xai-legend-caption"></span>
    <span class="xai-legend-min"></span><span class="xai-legend-bar" role="img" aria-label="colour scale, low to high"></span><span class="xai-legend-max"></span>
  </div>
  <div class="xai-path-info" role="status" aria-live="polite" hidden></div>
  <div class="xai-error" role="alert" hidden></div>
  <div class="xai-diagram"><p class="xai-empty">Waiting for the pipeline…</p></div>`;
const $ = <T extends Element>(sel: string): T => root.querySelector<T>(sel)!;
const toggle = $<HTMLElement & { checked: boolean; disabled: boolean }>('.xai-overlay-toggle');
const methodSelect = $<HTMLElement & { value: string; disabled: boolean }>('.xai-method');
const fitToggle = $<HTMLElement & { checked: boolean }>('.xai-fit-toggle');
const clearPath = $<HTMLElement>('.xai-clear-path');
const status = $<HTMLElement>('.xai-status');
const legend = $<HTMLElement>('.xai-legend');
const pathInfo = $<HTMLElement>('.xai-path-info');
const errorBox = $<HTMLElement>('.xai-error');
const diagram = $<HTMLElement>('.xai-diagram');

toggle.checked = state.overlay ?? true;
toggle.addEventListener('change', () => save({ overlay: toggle.checked }));
fitToggle.checked = state.fit ?? true;
fitToggle.addEventListener('change', () => {
  state = { ...state, fit: fitToggle.checked };
  vscode.setState(state);
  const svg = diagram.querySelector<SVGSVGElement>('svg');
  if (svg) applyFit(svg, fitToggle.checked);
});
methodSelect.addEventListener('change', () => {
  const m = IMPORTANCE_METHODS.find((x) => x === methodSelect.value);
  if (m) save({ method: m });
});
clearPath.addEventListener('click', () => save({ path: null }));
$<HTMLElement>('.xai-export-svg').addEventListener('click', () => void exportDrawing('svg'));
$<HTMLElement>('.xai-export-png').addEventListener('click', () => void exportDrawing('png'));

window.addEventListener('message', (event: MessageEvent) => {
  const msg: unknown = event.data;
  if (!isHostToWebviewMessage(msg)) return;
  if (msg.type === 'graph') {
    save({ graph: msg.graph, report: msg.report ?? null, ...(msg.specUri ? { specUri: msg.specUri } : {}) });
  } else if (msg.type === 'path') {
    save({ path: msg.sample });
  } else {
    highlight(msg.nodeId);
  }
});

// Redraw when the editor's theme changes (VS Code swaps the body class) or the OS scheme does (report.html).
new MutationObserver(() => requestDraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => requestDraw());

requestDraw();
vscode.postMessage({ type: 'ready' });
// While the host computes the first graph: draws queue behind this one.
if (!state.graph) {
  drawing = drawing.then(async () => {
    await warmUp(warmUpGraph(), themeKind());
    document.body.dataset.xaiWarmedUp = 'true';
  });
}

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

function save(change: Partial<State>): void {
  state = { ...state, ...change };
  vscode.setState(state);
  requestDraw();
}

// --- drawing -------------------------------------------------------------------------------------------------
/** Queues one draw of the latest state after the running one (if any). */
function requestDraw(): void {
  if (drawPending) return;
  drawPending = true;
  drawing = drawing.then(async () => {
    drawPending = false;
    await drawNow();
  });
}

async function drawNow(): Promise<void> {
  const graph = state.graph;
  if (!graph) return;
  setCurrentGraph(graph);
  const theme = themeKind();
  const methods = availableMethods(state.report);
  const method = state.method && methods.includes(state.method) ? state.method : methods[0];
  syncMethodSelect(methods, method);
  const full = method ? importanceOverlay(graph, state.report, isDark(theme) ? 'dark' : 'light', method) : null;
  toggle.disabled = !full;
  methodSelect.disabled = !full;
  const overlay = full && toggle.checked ? full : null;
  const path = pathOverlay(graph, state.path ?? null);
  const scene: Scene = { graph, overlay, path, theme };
  try {
    const how = await draw(diagram, scene, {
      reveal: (range) => vscode.postMessage({ type: 'reveal', range }),
      drawn: (svg, kind) => { if (kind === 'render') applyFit(svg, fitToggle.checked); },
    });
    if (how === null) return;
    if (highlighted) highlight(highlighted);
    showStatus(graph, state.report ?? null);
    showLegend(overlay);
    showPath(path?.summary ?? null);
    errorBox.hidden = true;
    document.body.dataset.xaiDrawn = String(Number(document.body.dataset.xaiDrawn ?? 0) + 1);
  } catch (err) {
    // Mermaid's parse errors quote the source; keep the message short (the host drops messages over 10 000 chars).
    const message = `The flowchart could not be drawn: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2000);
    errorBox.textContent = message;
    errorBox.hidden = false;
    vscode.postMessage({ type: 'error', message });
  }
}

/** Offers the methods the report holds (the select is rebuilt only when that list changes). */
function syncMethodSelect(methods: ImportanceMethod[], chosen: ImportanceMethod | undefined): void {
  const key = methods.join(',');
  if (methodSelect.dataset.methods !== key) {
    methodSelect.dataset.methods = key;
    methodSelect.innerHTML = (methods.length ? methods : ['permutation_importance' as const])
      .map((m) => `<vscode-option value="${m}">${escapeHtml(METHOD_LABELS[m])}</vscode-option>`).join('');
  }
  if (chosen && methodSelect.value !== chosen) methodSelect.value = chosen;
}

/** Fit to the panel's width (the whole pipeline at a glance), or natural size with scrolling, centred. */
function applyFit(svg: SVGSVGElement, fit: boolean): void {
  const natural = parseFloat(svg.style.maxWidth);
  if (!Number.isFinite(natural) || natural <= 0) return;
  svg.style.minWidth = fit ? '' : `${Math.round(natural)}px`;
  diagram.scrollLeft = fit ? 0 : (diagram.scrollWidth - diagram.clientWidth) / 2;
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
  $<HTMLElement>('.xai-legend-caption').textContent = overlay.caption;
  $<HTMLElement>('.xai-legend-min').textContent = formatNumber(overlay.min);
  $<HTMLElement>('.xai-legend-max').textContent = formatNumber(overlay.max);
  $<HTMLElement>('.xai-legend-bar').style.background = `linear-gradient(to right, ${overlay.stops.join(', ')})`;
  legend.hidden = false;
}

function showPath(summary: string[] | null): void {
  clearPath.hidden = !summary;
  pathInfo.hidden = !summary;
  pathInfo.replaceChildren(...(summary ?? []).map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    return p;
  }));
}

// --- export --------------------------------------------------------------------------------------------------
async function exportDrawing(format: 'svg' | 'png'): Promise<void> {
  const svg = diagram.querySelector<SVGSVGElement>('svg');
  if (!svg) return;
  try {
    const background = cssColor('--vscode-editor-background', isDark(themeKind()) ? '#1e1e1e' : '#ffffff');
    const doc = standaloneSvg(svg, background);
    const data = format === 'svg' ? doc.text : await pngBase64(doc.text, doc.width, doc.height);
    vscode.postMessage({ type: 'export', format, data });
  } catch (err) {
    vscode.postMessage({ type: 'error', message: `Export as ${format.toUpperCase()} failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

export type { DecisionPathSample };
