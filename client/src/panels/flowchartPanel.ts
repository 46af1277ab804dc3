/**
 * The flowchart panel of one spec: a webview beside the editor that draws the spec's flow graph with Mermaid
 * (dist/webview/flowchart.js) and, after a run, the importance overlay.
 *
 * Host ⇄ webview (protocol/protocol.ts): the webview posts `ready`, the host answers `graph` (graph + report);
 * the host posts `highlight` when the editor's cursor enters a node's range; the webview posts `reveal` to select
 * a node's range in the spec. Anything the webview posts that `isWebviewToHostMessage` rejects is dropped and logged.
 * The graph follows the text as it is typed (debounced `xai/flowGraph` requests), not only saved states.
 */
import * as vscode from 'vscode';
import {
  isWebviewToHostMessage,
  type DecisionPathSample, type FlowchartState, type FlowGraph, type HostToWebviewMessage, type LatestRunResult, type RunReport,
  type WebviewToHostMessage,
} from '../../../protocol/protocol';
import { flowchartHtml } from './html';
import { nodeAtPosition } from './nodeAtPosition';

export const FLOWCHART_VIEW_TYPE = 'xaiPipelines.flowchart';

/** How long the text must rest before the graph is rebuilt, in ms. */
const REFRESH_DEBOUNCE_MS = 300;

/** What a panel needs from the language server; the LanguageClient is hidden behind it. */
export interface FlowchartSource {
  flowGraph(uri: vscode.Uri): Promise<FlowGraph | null>;
  latestRun(uri: vscode.Uri): Promise<LatestRunResult>;
}

export interface FlowchartPanelDeps {
  source: FlowchartSource;
  output: vscode.OutputChannel;
  /** dist/webview: the bundle's folder and the webview's only local resource root. */
  webviewRoot: vscode.Uri;
}

/** `stock-price.xai.yaml` → `stock-price`. */
export function specNameOf(uri: vscode.Uri): string {
  const base = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return base.replace(/\.xai\.ya?ml$/i, '');
}

/** Options every flowchart webview is created (or restored) with. */
export function webviewOptions(webviewRoot: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot], enableFindWidget: false };
}

export class FlowchartPanel implements vscode.Disposable {
  private graph: FlowGraph | null;
  private report: RunReport | null;
  /** The sample whose decision path the overlay shows (picked in the Decision Path panel). */
  private path: DecisionPathSample | null;
  private ready = false;
  private disposed = false;
  private highlighted: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped per refresh so that a slow, older answer never overwrites a newer one. */
  private refreshSeq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  /** Opens a new panel for `specUri` in `column` without taking the focus. */
  static create(specUri: vscode.Uri, column: vscode.ViewColumn, deps: FlowchartPanelDeps): FlowchartPanel {
    const panel = vscode.window.createWebviewPanel(
      FLOWCHART_VIEW_TYPE, `Flowchart: ${specNameOf(specUri)}`, { viewColumn: column, preserveFocus: true },
      webviewOptions(deps.webviewRoot),
    );
    return new FlowchartPanel(panel, specUri, deps);
  }

  /** Adopts a webview panel (new, or restored by the serializer with the webview's last state). */
  constructor(readonly panel: vscode.WebviewPanel, readonly specUri: vscode.Uri, private readonly deps: FlowchartPanelDeps, restored?: FlowchartState) {
    this.graph = restored?.graph ?? null;
    this.report = restored?.report ?? null;
    this.path = restored?.path ?? null;
    panel.title = `Flowchart: ${specNameOf(specUri)}`;
    panel.webview.options = webviewOptions(deps.webviewRoot);
    panel.webview.html = flowchartHtml(panel.webview, deps.webviewRoot, panel.title);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.specUri.toString() && e.contentChanges.length > 0) this.scheduleRefresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() !== this.specUri.toString()) return;
        const active = e.selections[0]?.active;
        if (active) this.highlight(nodeAtPosition(this.graph, { line: active.line, character: active.character }));
      }),
    );
  }

  /** Brings the panel to view where it is, leaving the focus in the editor. */
  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /** Shows a run's report as the importance overlay (null clears it). */
  setReport(report: RunReport | null): void {
    this.report = report;
    this.postGraph();
  }

  /** Shows one sample's decision path on the flowchart (null clears it). */
  setPath(sample: DecisionPathSample | null): void {
    this.path = sample;
    if (this.ready) this.post({ type: 'path', sample });
  }

  /** Rebuilds the graph from the spec's current text; loads the latest run's report when the panel has none. */
  async refresh(options: { loadLatestRun?: boolean } = {}): Promise<void> {
    const seq = ++this.refreshSeq;
    try {
      const [graph, latest] = await Promise.all([
        this.deps.source.flowGraph(this.specUri),
        options.loadLatestRun ? this.deps.source.latestRun(this.specUri) : Promise.resolve(undefined),
      ]);
      if (seq !== this.refreshSeq) return;
      if (latest) this.report = latest.report;
      // null: the spec does not parse right now; keep drawing the last good graph.
      if (graph) this.graph = graph;
      this.postGraph();
    } catch (e) {
      this.deps.output.appendLine(`[flowchart] could not build the flow graph of ${this.specUri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => { this.refreshTimer = undefined; void this.refresh(); }, REFRESH_DEBOUNCE_MS);
  }

  private post(message: HostToWebviewMessage): void {
    void this.panel.webview.postMessage(message).then(undefined, () => { /* the panel went away meanwhile */ });
  }

  private postGraph(): void {
    if (!this.ready || !this.graph) return;
    this.post({ type: 'graph', graph: this.graph, report: this.report, specUri: this.specUri.toString() });
    // A path of another run's samples would mislead: it is kept only while the report is that run's.
    if (this.path && this.report && this.path.runId !== this.report.runId) this.path = null;
    this.post({ type: 'path', sample: this.path });
    // Ranges move with edits, and a fresh panel has not seen the cursor yet: ask the spec's editor again.
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.specUri.toString());
    const cursor = editor?.selection.active;
    if (cursor) this.highlighted = nodeAtPosition(this.graph, { line: cursor.line, character: cursor.character });
    if (this.highlighted) this.post({ type: 'highlight', nodeId: this.highlighted });
  }

  private highlight(nodeId: string | null): void {
    if (nodeId === this.highlighted) return;
    this.highlighted = nodeId;
    if (this.ready) this.post({ type: 'highlight', nodeId });
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHostMessage(message)) {
      this.deps.output.appendLine(`[flowchart] dropped an invalid message from the webview: ${safePreview(message)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: WebviewToHostMessage): void {
    switch (message.type) {
      case 'ready':
        // Also after the webview reloads (hidden and shown again): send everything anew.
        this.ready = true;
        if (this.graph) this.postGraph(); else void this.refresh({ loadLatestRun: !this.report });
        return;
      case 'reveal':
        void this.revealInEditor(message.range);
        return;
      case 'export':
        void this.saveExport(message.format, message.data);
        return;
      case 'error':
        this.deps.output.appendLine(`[flowchart] webview error: ${message.message}`);
        return;
    }
  }

  /** Selects `range` in the spec's editor, opening it (beside nothing: in its own column) when it is not visible. */
  private async revealInEditor(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<void> {
    try {
      const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.specUri.toString());
      const document = visible?.document ?? await vscode.workspace.openTextDocument(this.specUri);
      const target = document.validateRange(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character));
      const editor = await vscode.window.showTextDocument(document, {
        viewColumn: visible?.viewColumn ?? otherColumn(this.panel.viewColumn), preserveFocus: false, selection: target,
      });
      editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (e) {
      this.deps.output.appendLine(`[flowchart] could not reveal the range in ${this.specUri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Asks where to save an exported drawing (beside the spec by default) and writes it. */
  private async saveExport(format: 'svg' | 'png', data: string): Promise<void> {
    const name = `${specNameOf(this.specUri)}.flowchart.${format}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.specUri, '..', name),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      saveLabel: `Export ${format.toUpperCase()}`,
    });
    if (!target) return;
    try {
      const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data, 'base64');
      await vscode.workspace.fs.writeFile(target, bytes);
      this.deps.output.appendLine(`[flowchart] exported ${format.toUpperCase()} to ${target.fsPath} (${bytes.length} bytes)`);
    } catch (e) {
      void vscode.window.showErrorMessage(`XAI Pipelines: could not write ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

/** A column for the editor that is not the panel's own. */
function otherColumn(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

/** At most 200 characters of whatever was posted, for the log. */
function safePreview(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
