/**
 * The Report panels: one per spec (its latest run) and one per run folder opened on purpose. Opens them beside
 * the editor, refreshes a spec's panel when a run finishes, and restores panels after a window reload
 * (WebviewPanelSerializer, from the `ReportState` the webview saved).
 */
import * as vscode from 'vscode';
import type { ReportState } from '../../../protocol/protocol';
import { REPORT_VIEW_TYPE, ReportPanel, targetKey, type ReportPanelDeps, type ReportTarget } from './reportPanel';
import { OpenPanels } from './openPanels';

export class ReportPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<ReportState> {
  private readonly panels = new OpenPanels<ReportPanel>();

  constructor(private readonly deps: ReportPanelDeps) {}

  /** Shows the target's panel beside the active editor (focus stays where it is), loading the report afresh. */
  async show(target: ReportTarget): Promise<ReportPanel> {
    let panel = this.panels.get(targetKey(target));
    if (panel) panel.reveal();
    else panel = this.adopt(ReportPanel.create(target, vscode.ViewColumn.Beside, this.deps));
    await panel.load();
    return panel;
  }

  /** A run of `specUri` finished: the panel following its latest run reloads. */
  onRunFinished(specUri: vscode.Uri): void {
    void this.panels.get(targetKey({ kind: 'latest', specUri }))?.load();
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: ReportState | undefined): Promise<void> {
    const target: ReportTarget | undefined = state?.pinnedRunDir
      ? { kind: 'run', runDir: vscode.Uri.parse(state.pinnedRunDir), ...(state.specUri ? { specUri: vscode.Uri.parse(state.specUri) } : {}) }
      : state?.specUri ? { kind: 'latest', specUri: vscode.Uri.parse(state.specUri) } : undefined;
    if (!target || this.panels.has(targetKey(target))) {
      this.deps.output.appendLine(`[report] closing a restored panel: ${target ? 'its run already has a panel' : 'its spec is unknown'}`);
      webviewPanel.dispose();
      return;
    }
    this.deps.output.appendLine(`[report] restoring the panel of ${targetKey(target)}`);
    // The webview draws its saved state at once and posts `ready`, which loads the report afresh.
    this.adopt(new ReportPanel(webviewPanel, target, this.deps));
  }

  private adopt(panel: ReportPanel): ReportPanel {
    return this.panels.adopt(panel.key, panel);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export { REPORT_VIEW_TYPE };
