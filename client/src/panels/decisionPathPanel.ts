/**
 * The Decision Path panel of one spec, beside its editor: the webview (dist/webview/paths.js) posts `pick` with a
 * SampleSelector; the host asks the language server (`xai/decisionPath`) and answers with the path, and hands the
 * sample to the flowchart (path overlay). Messages are validated on receipt; anything else is dropped and logged.
 */
import * as vscode from 'vscode';
import {
  isPathsToHostMessage,
  type DecisionPathResult, type DecisionPathSample, type HostToPathsMessage, type PathsState, type SampleSelector,
} from '../../../protocol/protocol';
import { specNameOf } from './flowchartPanel';
import { DECISION_PATH_PAGE, panelHtml } from './html';

export const DECISION_PATH_VIEW_TYPE = 'xaiPipelines.decisionPath';

export interface DecisionPathDeps {
  decisionPath(uri: vscode.Uri, selector: SampleSelector): Promise<DecisionPathResult>;
  /** A sample was explained: show its path on the spec's flowchart. */
  onSample(specUri: vscode.Uri, sample: DecisionPathSample): void;
  output: vscode.OutputChannel;
  webviewRoot: vscode.Uri;
}


export class DecisionPathPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  private last: { selector: SampleSelector; result: DecisionPathResult } | undefined;
  /** Bumped per pick so that a slow, older answer never replaces a newer one. */
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  static create(specUri: vscode.Uri, deps: DecisionPathDeps, column: vscode.ViewColumn = vscode.ViewColumn.Beside): DecisionPathPanel {
    const panel = vscode.window.createWebviewPanel(
      DECISION_PATH_VIEW_TYPE, `Decision Path: ${specNameOf(specUri)}`, { viewColumn: column, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [deps.webviewRoot], retainContextWhenHidden: false },
    );
    return new DecisionPathPanel(panel, specUri, deps);
  }

  constructor(readonly panel: vscode.WebviewPanel, readonly specUri: vscode.Uri, private readonly deps: DecisionPathDeps, restored?: PathsState) {
    panel.title = `Decision Path: ${specNameOf(specUri)}`;
    panel.webview.options = { enableScripts: true, localResourceRoots: [deps.webviewRoot] };
    panel.webview.html = panelHtml(panel.webview, deps.webviewRoot, DECISION_PATH_PAGE, panel.title);
    if (restored?.selector && restored.result) this.last = { selector: restored.selector, result: restored.result };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /** Explains the sample `selector` names and shows it here and on the flowchart. */
  async pick(selector: SampleSelector): Promise<DecisionPathResult> {
    const seq = ++this.seq;
    this.post({ type: 'busy', selector });
    let result: DecisionPathResult;
    try {
      result = await this.deps.decisionPath(this.specUri, selector);
    } catch (e) {
      result = { ok: false, message: `the language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (seq !== this.seq || this.disposed) return result;
    this.last = { selector, result };
    this.post({ type: 'decisionPath', selector, result, specUri: this.specUri.toString() });
    if (result.ok && result.sample) this.deps.onSample(this.specUri, result.sample);
    return result;
  }

  /** A new run: explain the same selector again with the new model. */
  onRunFinished(): void {
    if (this.last) void this.pick(this.last.selector);
  }

  private post(message: HostToPathsMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, () => { /* the panel went away meanwhile */ });
  }

  private onMessage(message: unknown): void {
    if (!isPathsToHostMessage(message)) {
      this.deps.output.appendLine(`[decision path] dropped an invalid message from the webview: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.last) {
          this.post({ type: 'decisionPath', ...this.last, specUri: this.specUri.toString() });
          if (this.last.result.sample) this.deps.onSample(this.specUri, this.last.result.sample);
        } else void this.pick({ by: 'row', row: 0 });
        return;
      case 'pick':
        void this.pick(message.selector);
        return;
      case 'error':
        this.deps.output.appendLine(`[decision path] webview error: ${message.message}`);
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
