/**
 * One Decision Path panel per spec: `xaiPipelines.showDecisionPath` opens it beside the spec and its flowchart
 * (the flowchart is opened too, since a picked sample's path is drawn there), run reports refresh it, and panels
 * come back after a window reload (WebviewPanelSerializer, from the state the webview saved).
 */
import * as vscode from 'vscode';
import type { DecisionPathSample, PathsState } from '../../../protocol/protocol';
import { resolveSpecDocument } from '../specTarget';
import { DECISION_PATH_VIEW_TYPE, DecisionPathPanel, type DecisionPathDeps } from './decisionPathPanel';
import type { FlowchartPanels } from './flowchartPanels';
import { OpenPanels } from './openPanels';

export class DecisionPathPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PathsState> {
  private readonly panels = new OpenPanels<DecisionPathPanel>();
  private readonly deps: DecisionPathDeps;

  constructor(deps: Omit<DecisionPathDeps, 'onSample'>, private readonly flowcharts: FlowchartPanels) {
    this.deps = { ...deps, onSample: (uri, sample) => this.showOnFlowchart(uri, sample) };
  }

  get(specUri: vscode.Uri): DecisionPathPanel | undefined {
    return this.panels.get(specUri.toString());
  }

  /** The spec of the decision path panel that has the focus, if one has. */
  activeSpec(): vscode.Uri | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p.specUri;
    return undefined;
  }

  /** Opens (or brings forward) the spec's panel, after its flowchart, one column to the right of both. */
  async show(specUri: vscode.Uri): Promise<DecisionPathPanel> {
    const open = this.get(specUri);
    if (open) {
      open.reveal();
      return open;
    }
    const flowchart = this.flowcharts.get(specUri) ?? await this.flowcharts.show(specUri);
    const column = (flowchart.panel.viewColumn ?? vscode.ViewColumn.Two) + 1;
    return this.adopt(DecisionPathPanel.create(specUri, this.deps, column as vscode.ViewColumn));
  }

  /** A run finished: explain the open panel's sample again with the new model. */
  onRunFinished(specUri: vscode.Uri): void {
    this.get(specUri)?.onRunFinished();
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: PathsState | undefined): Promise<void> {
    const uri = state?.specUri;
    if (!uri || this.panels.has(uri)) {
      webviewPanel.dispose();
      return;
    }
    this.adopt(new DecisionPathPanel(webviewPanel, vscode.Uri.parse(uri), this.deps, state));
  }

  private showOnFlowchart(specUri: vscode.Uri, sample: DecisionPathSample): void {
    const flowchart = this.flowcharts.get(specUri);
    if (flowchart) flowchart.setPath(sample);
    else void this.flowcharts.show(specUri).then((p) => p.setPath(sample));
  }

  private adopt(panel: DecisionPathPanel): DecisionPathPanel {
    return this.panels.adopt(panel.specUri.toString(), panel);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

/** `xaiPipelines.showDecisionPath`: the spec's Decision Path panel (the active spec, or the given one). */
export function registerDecisionPathCommand(panels: DecisionPathPanels, flowcharts: FlowchartPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('xaiPipelines.showDecisionPath', async (arg?: unknown) => {
      const document = await resolveSpecDocument(arg, () => panels.activeSpec() ?? flowcharts.activeSpec());
      if (document) await panels.show(document.uri);
    }),
    vscode.window.registerWebviewPanelSerializer(DECISION_PATH_VIEW_TYPE, panels),
  ];
}
