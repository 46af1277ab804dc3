/**
 * One flowchart panel per spec: opens it beside the editor, brings an open one forward, feeds it run reports,
 * and restores panels after a window reload (WebviewPanelSerializer, from the state the webview saved).
 */
import * as vscode from 'vscode';
import type { FlowchartState, RunReport } from '../../../protocol/protocol';
import { FLOWCHART_VIEW_TYPE, FlowchartPanel, specNameOf, type FlowchartPanelDeps } from './flowchartPanel';
import { OpenPanels } from './openPanels';

/** workspaceState key: spec name → spec URI, a fallback for restoring panels whose webview saved no specUri. */
const SPEC_URIS_KEY = 'xaiPipelines.flowchartSpecUris';

export class FlowchartPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<FlowchartState> {
  private readonly panels = new OpenPanels<FlowchartPanel>();

  constructor(private readonly deps: FlowchartPanelDeps, private readonly workspaceState: vscode.Memento) {}

  /** The spec of the flowchart panel that has the focus, if one has. */
  activeSpec(): vscode.Uri | undefined {
    for (const panel of this.panels.values()) if (panel.panel.active) return panel.specUri;
    return undefined;
  }

  /** The open panel of a spec, if any. */
  get(specUri: vscode.Uri): FlowchartPanel | undefined {
    return this.panels.get(specUri.toString());
  }

  /**
   * Shows the spec's flowchart beside the active editor (focus stays in the editor). With a report, draws its
   * importance overlay; without, shows the latest run's report if the server knows one.
   */
  async show(specUri: vscode.Uri, report?: RunReport): Promise<FlowchartPanel> {
    let panel = this.get(specUri);
    if (panel) {
      panel.reveal();
    } else {
      panel = this.adopt(FlowchartPanel.create(specUri, vscode.ViewColumn.Beside, this.deps));
    }
    if (report) panel.setReport(report);
    await panel.refresh({ loadLatestRun: !report });
    return panel;
  }

  /** A run finished (from our command or anyone's): update the spec's panel if it is open. */
  onRunFinished(specUri: vscode.Uri, report: RunReport | undefined): void {
    const panel = this.get(specUri);
    if (panel && report) panel.setReport(report);
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: FlowchartState | undefined): Promise<void> {
    const remembered = this.workspaceState.get<Record<string, string>>(SPEC_URIS_KEY, {});
    const uriText = state?.specUri ?? (state?.graph ? remembered[state.graph.specName] : undefined)
      ?? remembered[webviewPanel.title.replace(/^Flowchart: /, '')];
    if (!uriText || this.panels.has(uriText)) {
      this.deps.output.appendLine(`[flowchart] closing a restored panel: ${uriText ? 'its spec already has a panel' : 'its spec is unknown'}`);
      webviewPanel.dispose();
      return;
    }
    this.deps.output.appendLine(`[flowchart] restoring the panel of ${uriText}`);
    const panel = this.adopt(new FlowchartPanel(webviewPanel, vscode.Uri.parse(uriText), this.deps, state));
    await panel.refresh({ loadLatestRun: !state?.report });
  }

  private adopt(panel: FlowchartPanel): FlowchartPanel {
    const key = panel.specUri.toString();
    this.panels.adopt(key, panel);
    const remembered = this.workspaceState.get<Record<string, string>>(SPEC_URIS_KEY, {});
    if (remembered[specNameOf(panel.specUri)] !== key) {
      void this.workspaceState.update(SPEC_URIS_KEY, { ...remembered, [specNameOf(panel.specUri)]: key });
    }
    return panel;
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export { FLOWCHART_VIEW_TYPE };
