/**
 * One Report panel: a webview beside the spec that draws a run's report (dist/webview/report.js). It follows the
 * spec's latest run (refreshed when a run finishes) or, when opened on a run folder, shows that run ("pinned").
 *
 * Host ⇄ webview (protocol/protocol.ts): the webview posts `ready`, the host answers `report` (or `empty` with
 * why). Anything the webview posts that `isReportToHostMessage` rejects is dropped and logged.
 */
import * as vscode from 'vscode';
import {
  isReportToHostMessage, type HostToReportMessage, type ReportToHostMessage, type RunReportParams, type RunReportResult,
} from '../../../protocol/protocol';
import { panelHtml, REPORT_PAGE } from './html';

export const REPORT_VIEW_TYPE = 'xaiPipelines.report';

/** What a panel needs from the language server (`xai/runReport`); the LanguageClient is hidden behind it. */
export interface ReportSource {
  runReport(params: RunReportParams): Promise<RunReportResult>;
}

export interface ReportPanelDeps {
  source: ReportSource;
  output: vscode.OutputChannel;
  /** dist/webview: the bundle's folder and the webview's only local resource root. */
  webviewRoot: vscode.Uri;
}

/** What a panel shows: the latest run of a spec, or one run folder. */
export type ReportTarget = { kind: 'latest'; specUri: vscode.Uri } | { kind: 'run'; runDir: vscode.Uri; specUri?: vscode.Uri };

/** The map key of a target: one panel per spec (latest) and one per run folder. */
export function targetKey(t: ReportTarget): string {
  return t.kind === 'latest' ? `latest:${t.specUri.toString()}` : `run:${t.runDir.toString()}`;
}

/** `stock-price.xai.yaml` → `stock-price`; a run folder → its parent's name and its run id. */
export function targetTitle(t: ReportTarget): string {
  const base = (u: vscode.Uri): string => u.path.slice(u.path.lastIndexOf('/') + 1);
  if (t.kind === 'latest') return `Report: ${base(t.specUri).replace(/\.xai\.ya?ml$/i, '')}`;
  const parent = t.runDir.path.slice(0, t.runDir.path.lastIndexOf('/'));
  return `Report: ${parent.slice(parent.lastIndexOf('/') + 1)} ${base(t.runDir)}`;
}

export function reportWebviewOptions(webviewRoot: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot], enableFindWidget: true };
}

export class ReportPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  /** Bumped per load so that a slow, older answer never overwrites a newer one. */
  private loadSeq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  static create(target: ReportTarget, column: vscode.ViewColumn, deps: ReportPanelDeps): ReportPanel {
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, targetTitle(target), { viewColumn: column, preserveFocus: true },
      reportWebviewOptions(deps.webviewRoot));
    return new ReportPanel(panel, target, deps);
  }

  /** Adopts a webview panel (new, or restored by the serializer; the webview redraws its saved state itself). */
  constructor(readonly panel: vscode.WebviewPanel, readonly target: ReportTarget, private readonly deps: ReportPanelDeps) {
    panel.title = targetTitle(target);
    panel.webview.options = reportWebviewOptions(deps.webviewRoot);
    panel.webview.html = panelHtml(panel.webview, deps.webviewRoot, REPORT_PAGE, panel.title);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  get key(): string { return targetKey(this.target); }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /** Asks the server for the report and sends it to the webview (when it is ready; `ready` loads again). */
  async load(): Promise<void> {
    if (!this.ready) return;
    const seq = ++this.loadSeq;
    const t = this.target;
    const params: RunReportParams = t.kind === 'latest' ? { uri: t.specUri.toString() } : { runDir: t.runDir.toString() };
    let result: RunReportResult;
    try {
      result = await this.deps.source.runReport(params);
    } catch (e) {
      result = { ok: false, message: `the language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (seq !== this.loadSeq || this.disposed) return;
    const specUri = (t.specUri ?? (result.ok ? vscode.Uri.file(result.report.spec.path) : undefined))?.toString();
    if (!result.ok) {
      this.deps.output.appendLine(`[report] ${result.message}`);
      this.post({ type: 'empty', message: `No report to show: ${result.message}`, ...(specUri ? { specUri } : {}) });
      return;
    }
    this.post({
      type: 'report', runDir: vscode.Uri.file(result.runDir).toString(), report: result.report, explanationMarkdown: result.explanationMarkdown,
      pinned: t.kind === 'run', ...(specUri ? { specUri } : {}),
    });
  }

  private post(message: HostToReportMessage): void {
    void this.panel.webview.postMessage(message).then(undefined, () => { /* the panel went away meanwhile */ });
  }

  private onMessage(message: unknown): void {
    if (!isReportToHostMessage(message)) {
      this.deps.output.appendLine(`[report] dropped an invalid message from the webview: ${preview(message)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: ReportToHostMessage): void {
    switch (message.type) {
      case 'ready':
        // Also after the webview reloads (hidden and shown again, window reload): send the report anew.
        this.ready = true;
        void this.load();
        return;
      case 'error':
        this.deps.output.appendLine(`[report] webview: ${message.message}`);
        return;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

/** At most 200 characters of whatever was posted, for the log. */
function preview(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
